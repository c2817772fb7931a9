//! Toxics and shaping rules in the order a phase plays them: a `remove-toxic` (`remove-rule`)
//! names a toxic (rule) that an earlier `add-toxic` (`add-rule`) step of the same client or link
//! installed in that phase, and no name is installed twice.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use super::problem::Problem;
use super::scenario::Scenario;
use super::step::{Action, Phase, Step};

/// What is installed and removed by name: toxics or shaping rules.
struct Named {
    noun: &'static str,
    add: Action,
    remove: Action,
    key: &'static str,
    /// The name an add step installs (`None` when its table did not load), and where.
    added: fn(&Step) -> (Option<&str>, Range<usize>),
    /// The name a remove step removes.
    removed: fn(&Step) -> Option<&Spanned<String>>,
}

const TOXICS: Named = Named {
    noun: "toxic",
    add: Action::AddToxic,
    remove: Action::RemoveToxic,
    key: "name",
    added: |st| {
        (
            st.toxic.as_ref().map(|t| t.name.as_str()),
            st.toxic_at.as_ref().map_or_else(|| st.action.span(), |a| a.span()),
        )
    },
    removed: |st| st.toxic_name.as_ref(),
};

const RULES: Named = Named {
    noun: "rule",
    add: Action::AddRule,
    remove: Action::RemoveRule,
    key: "name",
    added: |st| match &st.rule {
        Some(r) => (Some(r.get_ref().name.get_ref().as_str()), r.get_ref().name.span()),
        None => (None, st.action.span()),
    },
    removed: |st| st.rule_name.as_ref(),
};

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
    let mut out = validate_named(s, &TOXICS);
    out.extend(validate_named(s, &RULES));
    out.extend(validate_shaped(s));
    out
}

/// Every `shaped` expectation names a rule some `add-rule` step of the file installs.
fn validate_shaped(s: &Scenario) -> Vec<Problem> {
    let rules: BTreeSet<&str> =
        s.steps.iter().filter_map(|st| st.rule.as_ref()).map(|r| r.get_ref().name.get_ref().as_str()).collect();
    let expects = s.steps.iter().flat_map(|st| std::iter::once(&st.expect).chain(st.expect_fixed.as_ref()));
    expects
        .filter_map(|e| e.shaped.as_ref())
        .filter(|name| !rules.contains(name.get_ref().as_str()))
        .map(|name| {
            let help = if rules.is_empty() {
                "no `add-rule` step installs a rule in this file".to_string()
            } else {
                format!("rules of this file: {}", rules.iter().copied().collect::<Vec<_>>().join(", "))
            };
            Problem::new(
                &s.source,
                name.span(),
                format!("`shaped` names rule `{}`, which no step adds", name.get_ref()),
            )
            .label("unknown rule")
            .help(help)
        })
        .collect()
}

fn validate_named(s: &Scenario, named: &Named) -> Vec<Problem> {
    let (noun, add, remove) = (named.noun, named.add.as_str(), named.remove.as_str());
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
                a if a == named.add => match ((named.added)(step), on.as_mut()) {
                    ((None, _), _) => *on = None,
                    ((Some(t), span), Some(names)) if names.contains(t) => {
                        let message = format!("{noun} `{t}` is already installed on {who} `{client}`");
                        let help = format!("remove it first (`{remove}`) or give this {noun} another `{}`", named.key);
                        note(
                            &mut findings,
                            Finding { span, message, label: "installed twice", help, phases: vec![phase] },
                        );
                    }
                    ((Some(t), _), Some(names)) => {
                        names.insert(t);
                    }
                    ((Some(_), _), None) => {}
                },
                a if a == named.remove => {
                    let (Some(name), Some(names)) = ((named.removed)(step), on.as_mut()) else { continue };
                    if !names.remove(name.get_ref().as_str()) {
                        let earlier = if removed.contains(&(client, name.get_ref().as_str())) {
                            format!("an earlier `{remove}` step already removed from")
                        } else {
                            format!("no earlier `{add}` step installs on")
                        };
                        let message = format!("`{remove}` of `{}`, which {earlier} {who} `{client}`", name.get_ref());
                        let help = if names.is_empty() {
                            format!("no {noun} is installed on `{client}` at this step")
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
