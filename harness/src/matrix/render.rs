//! The matrix for people (a table, then the differences) and as Markdown for an upgrade review.

use std::fmt::Write;

use super::model::MatrixReport;

/// A plain-text table and the differences.
pub fn human(m: &MatrixReport) -> String {
    let width = m.rows.iter().map(|r| r.file.len() + r.backend.len() + 3).max().unwrap_or(10).max(10);
    let mut s = format!("{:<width$}", "scenario");
    for v in &m.versions {
        let mark = if *v == m.baseline { "*" } else { "" };
        let _ = write!(s, "  {:<9}", format!("{v}{mark}"));
    }
    s.push('\n');
    for r in &m.rows {
        let _ = write!(s, "{:<width$}", format!("{} ({})", r.file, r.backend));
        for c in &r.cells {
            let _ = write!(s, "  {:<9}", c.label());
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n* baseline. {} scenario/version pairs differ from it.", m.diffs.len());
    for d in &m.diffs {
        let _ = writeln!(s, "\n{} ({}): {} against {}", d.file, d.backend, d.version, m.baseline);
        for l in &d.only_baseline {
            let _ = writeln!(s, "  - {l}");
        }
        for l in &d.only_version {
            let _ = writeln!(s, "  + {l}");
        }
    }
    s
}

/// The same as Markdown: a table and a section per difference.
pub fn markdown(m: &MatrixReport) -> String {
    let mut s = String::from("# nats-server upgrade review\n\n");
    let _ = writeln!(
        s,
        "Baseline: **{}**. `-` lines: only the baseline showed them; `+` lines: only that version.\n",
        m.baseline
    );
    s.push_str("| scenario | backend |");
    for v in &m.versions {
        let _ = write!(s, " {v} |");
    }
    s.push_str("\n|---|---|");
    for _ in &m.versions {
        s.push_str("---|");
    }
    s.push('\n');
    for r in &m.rows {
        let _ = write!(s, "| `{}` | {} |", r.file, r.backend);
        for c in &r.cells {
            let _ = write!(s, " {} |", c.label());
        }
        s.push('\n');
    }
    let _ = writeln!(s, "\n## Differences against {}\n", m.baseline);
    if m.diffs.is_empty() {
        s.push_str("None.\n");
    }
    for d in &m.diffs {
        let _ = writeln!(s, "### `{}` ({}) on {}\n\n```diff", d.file, d.backend, d.version);
        for l in &d.only_baseline {
            let _ = writeln!(s, "- {l}");
        }
        for l in &d.only_version {
            let _ = writeln!(s, "+ {l}");
        }
        s.push_str("```\n\n");
    }
    s
}
