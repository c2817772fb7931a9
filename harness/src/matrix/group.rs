//! The same change seen in several places, told once: rows of every scenario grouped by the pair
//! of versions, the kind of observation and the shape of the change (quoted names masked, so
//! that the 2.12 log format change of every scenario is one group).

use std::collections::BTreeMap;

use super::model::{DiffRow, MatrixReport};

/// One change and every place it was seen.
#[derive(Clone, Debug)]
pub struct ChangeGroup {
    /// `older → newer`.
    pub pair: (String, String),
    /// An example row (the first place's).
    pub example: DiffRow,
    /// `file (backend): at` of each place.
    pub places: Vec<String>,
}

/// `s` with the text inside quotes and backticks masked.
fn shape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside: Option<char> = None;
    for c in s.chars() {
        match inside {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                inside = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                inside = Some(c);
            }
            None => out.push(c),
        }
    }
    if inside.is_some() {
        out.push('…');
    }
    out
}

/// The kind of observation of a row's place: what follows its last `: ` (`auth failure reason`).
fn kind(at: &str) -> &str {
    at.rsplit(": ").next().unwrap_or(at)
}

/// Every change of `m`, grouped; groups seen in more than one place first, then in order.
pub fn groups(m: &MatrixReport) -> Vec<ChangeGroup> {
    let mut by: BTreeMap<(String, String, String, String, String), ChangeGroup> = BTreeMap::new();
    let mut order = Vec::new();
    for d in &m.diffs {
        for row in &d.rows {
            let key = (
                d.older.clone(),
                d.newer.clone(),
                kind(&row.at).to_string(),
                row.older.as_deref().map(shape).unwrap_or_default(),
                row.newer.as_deref().map(shape).unwrap_or_default(),
            );
            let place = format!("{} ({}): {}", d.file, d.backend, row.at);
            match by.get_mut(&key) {
                Some(g) => g.places.push(place),
                None => {
                    order.push(key.clone());
                    by.insert(
                        key,
                        ChangeGroup {
                            pair: (d.older.clone(), d.newer.clone()),
                            example: row.clone(),
                            places: vec![place],
                        },
                    );
                }
            }
        }
    }
    let mut out: Vec<ChangeGroup> = order.into_iter().filter_map(|k| by.remove(&k)).collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.places.len() > 1));
    out
}

/// One line per pair of versions: how many scenarios changed, and how.
pub fn pair_lines(m: &MatrixReport) -> Vec<String> {
    let mut pairs: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for v in m.versions.iter().filter(|v| **v != m.baseline) {
        let older_first = m.versions.iter().position(|x| x == v) < m.versions.iter().position(|x| *x == m.baseline);
        let pair = if older_first { (v.clone(), m.baseline.clone()) } else { (m.baseline.clone(), v.clone()) };
        pairs.entry(pair).or_default();
    }
    for d in &m.diffs {
        let e = pairs.entry((d.older.clone(), d.newer.clone())).or_default();
        if d.status.is_some() {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let total = m.rows.len();
    pairs
        .into_iter()
        .map(|((o, n), (status, observed))| match status + observed {
            0 => format!("{o} → {n}: no scenario changed ({total} played)"),
            c => format!(
                "{o} → {n}: {c} of {total} scenarios changed ({status} in status, {observed} in observations only)"
            ),
        })
        .collect()
}
