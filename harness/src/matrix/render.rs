//! The matrix for people (a summary per pair of versions, a table with the changed rows marked,
//! then the changes, each told once) and as Markdown for an upgrade review.

use std::fmt::Write;

use super::group::{ChangeGroup, groups, pair_lines};
use super::model::{DiffRow, MatrixReport};

const LEGEND: &str = "Each version is compared with the baseline, older → newer: `-` only the older version showed it, `+` only the newer, `old → new` one observation that changed.";

/// A difference as one line: `~ AT: OLD → NEW`, `- AT: OLD` or `+ AT: NEW`.
pub fn row_line(r: &DiffRow) -> Option<String> {
    match (&r.older, &r.newer) {
        (Some(o), Some(n)) => Some(format!("~ {}: {o} → {n}", r.at)),
        (Some(o), None) => Some(format!("- {}: {o}", r.at)),
        (None, Some(n)) => Some(format!("+ {}: {n}", r.at)),
        (None, None) => None,
    }
}

fn status_lines(m: &MatrixReport) -> Vec<String> {
    m.diffs
        .iter()
        .filter_map(|d| {
            let (o, n) = d.status?;
            Some(format!("{} ({}): {} on {}, {} on {}", d.file, d.backend, o.label(), d.older, n.label(), d.newer))
        })
        .collect()
}

fn group_text(g: &ChangeGroup) -> (String, Vec<String>) {
    let head = if g.places.len() > 1 {
        format!("{} → {}: the same change in {} places", g.pair.0, g.pair.1, g.places.len())
    } else {
        let file = g.places[0].split("): ").next().map_or_else(String::new, |f| format!("{f})"));
        format!("{} → {}: {file}", g.pair.0, g.pair.1)
    };
    let mut lines: Vec<String> = row_line(&g.example).into_iter().collect();
    if g.places.len() > 1 {
        lines.extend(g.places.iter().map(|p| format!("  in {p}")));
    }
    (head, lines)
}

/// A plain-text report: the pairs, the table, the changes.
pub fn human(m: &MatrixReport) -> String {
    let width = m.rows.iter().map(|r| r.file.len() + r.backend.len() + 5).max().unwrap_or(10).max(10);
    let mut s = String::new();
    for l in pair_lines(m) {
        let _ = writeln!(s, "{l}");
    }
    let _ = write!(s, "\n{:<width$}", "  scenario");
    for v in &m.versions {
        let mark = if *v == m.baseline { "*" } else { "" };
        let _ = write!(s, "  {:<9}", format!("{v}{mark}"));
    }
    s.push('\n');
    for r in &m.rows {
        let mark = if r.changed { "~ " } else { "  " };
        let _ = write!(s, "{:<width$}", format!("{mark}{} ({})", r.file, r.backend));
        for c in &r.cells {
            let _ = write!(s, "  {:<9}", c.label());
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n* baseline; ~ a scenario that changed. {LEGEND}");
    for l in status_lines(m) {
        let _ = writeln!(s, "\nstatus: {l}");
    }
    for g in groups(m) {
        let (head, lines) = group_text(&g);
        let _ = writeln!(s, "\n{head}");
        for l in lines {
            let _ = writeln!(s, "  {l}");
        }
    }
    s
}

/// The same as Markdown.
pub fn markdown(m: &MatrixReport) -> String {
    let mut s = String::from("# nats-server upgrade review\n\n");
    for l in pair_lines(m) {
        let _ = writeln!(s, "- {l}");
    }
    let _ = writeln!(s, "\nBaseline: **{}**. {LEGEND}\n", m.baseline);
    s.push_str("| | scenario | backend |");
    for v in &m.versions {
        let _ = write!(s, " {v} |");
    }
    s.push_str("\n|---|---|---|");
    for _ in &m.versions {
        s.push_str("---|");
    }
    s.push('\n');
    for r in &m.rows {
        let _ = write!(s, "| {} | `{}` | {} |", if r.changed { "changed" } else { "" }, r.file, r.backend);
        for c in &r.cells {
            let _ = write!(s, " {} |", c.label());
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n## Changes\n");
    let statuses = status_lines(m);
    let grouped = groups(m);
    if statuses.is_empty() && grouped.is_empty() {
        s.push_str("None.\n");
    }
    for l in statuses {
        let _ = writeln!(s, "- status: {l}");
    }
    for g in grouped {
        let (head, lines) = group_text(&g);
        let _ = writeln!(s, "### {head}\n\n```diff");
        for l in lines {
            let _ = writeln!(s, "{l}");
        }
        s.push_str("```\n\n");
    }
    s
}
