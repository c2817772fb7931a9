//! Labels on everything the harness creates in the engine, naming the process that owns it, so
//! a later run can tell a leftover (owner gone) from another run's live container.

use std::collections::HashMap;

/// Set to `1` on every container, network and image natsfault creates.
pub const LABEL: &str = "io.natsfault";
/// The backend instance (`<pid>-<n>`) that created a container or network.
pub const LABEL_RUN: &str = "io.natsfault.run";
/// The scenario label of a container (its file stem).
#[cfg_attr(not(feature = "container"), allow(dead_code))]
pub const LABEL_SCENARIO: &str = "io.natsfault.scenario";
/// The owning process id.
pub const LABEL_PID: &str = "io.natsfault.pid";
/// The owning process' start time (clock ticks after boot, `/proc/<pid>/stat` field 22), so a
/// reused pid is not taken for the owner.
pub const LABEL_PID_START: &str = "io.natsfault.pid-start";
/// The owner's pid namespace (`pid:[4026531836]`): pids are only compared within one.
pub const LABEL_PID_NS: &str = "io.natsfault.pid-ns";
/// `1` when created under `NATSFAULT_KEEP=1`: never swept.
pub const LABEL_KEEP: &str = "io.natsfault.keep";

/// The process that owns engine objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    pid: u32,
    start: Option<String>,
    ns: Option<String>,
}

impl Owner {
    /// This process.
    pub(crate) fn current() -> Owner {
        let pid = std::process::id();
        Owner { pid, start: start_time(pid), ns: pid_namespace() }
    }

    /// The owner named by `labels`, if they name one.
    pub(crate) fn from_labels(labels: &HashMap<String, String>) -> Option<Owner> {
        let pid = labels.get(LABEL_PID)?.parse().ok()?;
        Some(Owner { pid, start: labels.get(LABEL_PID_START).cloned(), ns: labels.get(LABEL_PID_NS).cloned() })
    }

    /// The labels for an object this owner creates for backend instance `run`.
    pub(crate) fn labels(&self, run: &str, keep: bool) -> HashMap<String, String> {
        let mut l = HashMap::from([
            (LABEL.to_string(), "1".to_string()),
            (LABEL_RUN.to_string(), run.to_string()),
            (LABEL_PID.to_string(), self.pid.to_string()),
        ]);
        if let Some(s) = &self.start {
            l.insert(LABEL_PID_START.into(), s.clone());
        }
        if let Some(n) = &self.ns {
            l.insert(LABEL_PID_NS.into(), n.clone());
        }
        if keep {
            l.insert(LABEL_KEEP.into(), "1".into());
        }
        l
    }

    /// The owner as a folder-name marker, `o<pid>.<start>.<pid namespace inode>` (with `k` at
    /// the end when kept): a folder named with it at creation is owned from its first instant,
    /// before any owner file is written into it.
    pub(crate) fn marker(&self, keep: bool) -> String {
        let ns: String = self.ns.as_deref().unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
        format!("o{}.{}.{ns}{}", self.pid, self.start.as_deref().unwrap_or_default(), if keep { "k" } else { "" })
    }

    /// The labels a [`Owner::marker`] stands for; `None` when `marker` is not one.
    pub(crate) fn labels_of_marker(marker: &str) -> Option<HashMap<String, String>> {
        let (body, keep) = match marker.strip_suffix('k') {
            Some(b) => (b, true),
            None => (marker, false),
        };
        let mut parts = body.strip_prefix('o')?.split('.');
        let (pid, start, ns) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if parts.next().is_some() || pid.is_empty() || !digits(pid) || !digits(start) || !digits(ns) {
            return None;
        }
        let mut l = HashMap::from([(LABEL_PID.to_string(), pid.to_string())]);
        if !start.is_empty() {
            l.insert(LABEL_PID_START.into(), start.into());
        }
        if !ns.is_empty() {
            l.insert(LABEL_PID_NS.into(), format!("pid:[{ns}]"));
        }
        if keep {
            l.insert(LABEL_KEEP.into(), "1".into());
        }
        Some(l)
    }

    /// The process id.
    #[cfg_attr(not(feature = "container"), allow(dead_code))]
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// Whether the owner still runs: `/proc/<pid>` exists and started when the label says.
    fn is_alive(&self) -> bool {
        if !std::path::Path::new(&format!("/proc/{}", self.pid)).exists() {
            return false;
        }
        match (&self.start, start_time(self.pid)) {
            (Some(recorded), Some(now)) => *recorded == now,
            _ => true,
        }
    }
}

/// Whether an object with `labels` was left behind by a run that is over: not kept, and its
/// owner (in this pid namespace) is gone. Objects without an owner label are never judged: a
/// container someone ran from the `natsfault/nats-server` image inherits its `io.natsfault=1`
/// label but is not the harness's. Nor are objects of another pid namespace.
pub(crate) fn is_leftover(labels: &HashMap<String, String>, me: &Owner) -> bool {
    if labels.get(LABEL_KEEP).is_some_and(|v| v == "1") {
        return false;
    }
    if !std::path::Path::new("/proc/self").exists() {
        return false;
    }
    Owner::from_labels(labels).is_some_and(|o| o.ns == me.ns && !o.is_alive())
}

/// Field 22 of `/proc/<pid>/stat` (the start time), read after the parenthesised command name,
/// which may itself hold spaces.
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19).map(str::to_string)
}

fn pid_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/pid").ok().map(|p| p.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_not_a_leftover() {
        let me = Owner::current();
        let labels = me.labels("1-0", false);
        assert_eq!(Owner::from_labels(&labels), Some(me.clone()));
        assert!(!is_leftover(&labels, &me));
    }

    #[test]
    fn a_dead_owner_is_a_leftover_unless_kept() {
        let me = Owner::current();
        let mut labels = me.labels("1-0", false);
        // Pids are below 2^22 on Linux.
        labels.insert(LABEL_PID.into(), "99999999".into());
        assert!(is_leftover(&labels, &me));
        // Only the image's label: someone's own container.
        assert!(!is_leftover(&HashMap::from([(LABEL.to_string(), "1".to_string())]), &me));
        labels.insert(LABEL_KEEP.into(), "1".into());
        assert!(!is_leftover(&labels, &me));
    }

    #[test]
    fn a_reused_pid_is_not_the_owner() {
        let me = Owner::current();
        let mut labels = me.labels("1-0", false);
        labels.insert(LABEL_PID_START.into(), "1".into());
        assert!(is_leftover(&labels, &me));
    }

    #[test]
    fn another_namespace_is_never_judged() {
        let me = Owner::current();
        let mut labels = me.labels("1-0", false);
        labels.insert(LABEL_PID.into(), "99999999".into());
        labels.insert(LABEL_PID_NS.into(), "pid:[1]".into());
        assert!(!is_leftover(&labels, &me));
    }
}
