//! Toxics in the order a phase plays them: a `remove-toxic` names a toxic that an earlier
//! `add-toxic` step of the same client installed in that phase, and no name is installed twice.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::problem::Problem;
use super::scenario::Scenario;
use super::step::{Action, Phase};

/// What is wrong with one step, and in which phases.
struct Finding {
    span: Range<usize>,
    message: String,
    label: &'static str,
    help: String,
    phases: Vec<Phase>,
}

/// Every `remove-toxic` of a toxic not installed at that point and every `add-toxic` of a name
/// already installed, per phase (steps with `only` run in one phase alone).
pub(super) fn validate_toxics(s: &Scenario) -> Vec<Problem> {
    let mut findings: Vec<Finding> = Vec::new();
    for phase in s.phases() {
        // Toxics installed on each client's tap so far; `None` once an `add-toxic` of the
        // client did not load (its name is unknown, so nothing is said about the client).
        let mut installed: BTreeMap<&str, Option<BTreeSet<&str>>> = BTreeMap::new();
        // Toxics removed so far, by client.
        let mut removed: BTreeSet<(&str, &str)> = BTreeSet::new();
        for step in s.steps.iter().filter(|st| st.runs_in(phase)) {
            // A link's proxy (`link = "leaf->hub"`) keeps its toxics like a client's tap.
            let Some(client) = step.client_name().or(step.link.as_ref().map(|l| l.get_ref().as_str())) else {
                continue;
            };
            let who = if step.client.is_some() { "client" } else { "link" };
            let on = installed.entry(client).or_insert_with(|| Some(BTreeSet::new()));
            match *step.action.get_ref() {
                Action::AddToxic => match (&step.toxic, on.as_mut()) {
                    (None, _) => *on = None,
                    (Some(t), Some(names)) if names.contains(t.name.as_str()) => {
                        let span = step.toxic_at.as_ref().map_or_else(|| step.action.span(), |a| a.span());
                        let message = format!("toxic `{}` is already installed on {who} `{client}`", t.name);
                        let help = "remove it first (`remove-toxic`) or give this toxic another `name`".to_string();
                        note(
                            &mut findings,
                            Finding { span, message, label: "installed twice", help, phases: vec![phase] },
                        );
                    }
                    (Some(t), Some(names)) => {
                        names.insert(t.name.as_str());
                    }
                    (Some(_), None) => {}
                },
                Action::RemoveToxic => {
                    let (Some(name), Some(names)) = (&step.toxic_name, on.as_mut()) else { continue };
                    if !names.remove(name.get_ref().as_str()) {
                        let earlier = if removed.contains(&(client, name.get_ref().as_str())) {
                            "an earlier `remove-toxic` step already removed from"
                        } else {
                            "no earlier `add-toxic` step installs on"
                        };
                        let message =
                            format!("`remove-toxic` of `{}`, which {earlier} {who} `{client}`", name.get_ref());
                        let help = if names.is_empty() {
                            format!("no toxic is installed on `{client}` at this step")
                        } else {
                            format!(
                                "installed on `{client}` at this step: {}",
                                names.iter().copied().collect::<Vec<_>>().join(", ")
                            )
                        };
                        let label = "not installed here";
                        note(&mut findings, Finding { span: name.span(), message, label, help, phases: vec![phase] });
                    } else {
                        removed.insert((client, name.get_ref().as_str()));
                    }
                }
                _ => {}
            }
        }
    }
    let all = s.phases().len();
    findings
        .into_iter()
        .map(|f| {
            let message = if f.phases.len() == all {
                f.message
            } else {
                let phases: Vec<&str> = f.phases.iter().map(|p| p.as_str()).collect();
                format!("{} in the {} phase", f.message, phases.join(" and "))
            };
            Problem::new(&s.source, f.span, message).label(f.label).help(f.help)
        })
        .collect()
}

/// Records a finding, once per step: the same one in another phase adds the phase.
fn note(findings: &mut Vec<Finding>, new: Finding) {
    match findings.iter_mut().find(|f| f.span == new.span && f.message == new.message) {
        Some(f) => f.phases.extend(new.phases),
        None => findings.push(new),
    }
}
