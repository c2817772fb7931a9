//! Temp folders of runs that died (SIGKILL, a crash, a power cut): every folder natsfault makes
//! in the temp dir names its owner process in [`OWNER_FILE`], written before anything else goes
//! in; the first folder a process makes sweeps away those whose owner is gone, as the container
//! backend sweeps containers. Folders kept with `NATSFAULT_KEEP=1` are never swept.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Once;

use super::owner::{Owner, is_leftover};
use super::sandbox::{SANDBOX_PREFIX, keep_requested};

/// The file in each natsfault temp folder that names its owner (`key=value` lines).
pub const OWNER_FILE: &str = ".natsfault-owner";

/// An owner file is a few short lines; anything longer is not ours.
const OWNER_FILE_MAX: u64 = 4096;

/// Creates `natsfault-<label>-<owner>-XXXX` in the temp dir (mode 0700 from the start), owned by
/// this process, after sweeping dead runs' folders once per process.
pub fn owned_temp_dir(label: &str) -> std::io::Result<tempfile::TempDir> {
    static SWEPT: Once = Once::new();
    SWEPT.call_once(|| {
        sweep_temp_dirs();
    });
    // The owner is in the name from the first instant: a run killed before its owner file is
    // written still leaves a folder the next run can judge.
    let owner = Owner::current();
    let dir = crate::owner_only::tempdir(&format!("{SANDBOX_PREFIX}{label}-{}-", owner.marker(keep_requested())))?;
    let labels = owner.labels("temp", keep_requested());
    let mut text: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    text.sort();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dir.path().join(OWNER_FILE))?
        .write_all((text.join("\n") + "\n").as_bytes())?;
    Ok(dir)
}

/// Removes the natsfault folders in the temp dir whose owner process is gone; returns how many.
pub fn sweep_temp_dirs() -> usize {
    let me = Owner::current();
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return 0 };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_ours = name.to_str().is_some_and(|n| n.starts_with(SANDBOX_PREFIX));
        // `file_type` does not follow links: a link named like ours is not a folder of ours.
        if !is_ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        // The owner file, or, where a run died before writing it, the owner in the name.
        let labels = read_owner(&path).filter(|l| !l.is_empty()).or_else(|| name.to_str().and_then(owner_in_name));
        if labels.is_some_and(|labels| is_leftover(&labels, &me)) && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The owner a folder's name carries: `natsfault-<label>-<marker>-<random>`.
fn owner_in_name(name: &str) -> Option<HashMap<String, String>> {
    let mut parts = name.rsplitn(3, '-');
    let (_random, marker) = (parts.next()?, parts.next()?);
    Owner::labels_of_marker(marker)
}

fn read_owner(dir: &Path) -> Option<HashMap<String, String>> {
    let file = dir.join(OWNER_FILE);
    if !std::fs::symlink_metadata(&file).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&file).ok()?.take(OWNER_FILE_MAX).read_to_string(&mut text).ok()?;
    Some(text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both tests sweep the shared temp dir: one at a time, so neither removes (or half removes)
    /// the other's folders while it looks at them.
    static SWEEPING: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn a_dead_owners_folder_is_swept_a_live_one_stays() {
        let _one = SWEEPING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let live = owned_temp_dir("sweep-live").unwrap();
        let dead = owned_temp_dir("sweep-dead").unwrap().keep();
        let text = std::fs::read_to_string(dead.join(OWNER_FILE)).unwrap();
        let pid_line = text.lines().find(|l| l.starts_with("io.natsfault.pid=")).unwrap().to_string();
        // Pids are below 2^22 on Linux: nobody owns this one.
        std::fs::write(dead.join(OWNER_FILE), text.replace(&pid_line, "io.natsfault.pid=99999999")).unwrap();
        let foreign = tempfile::Builder::new().prefix("natsfault-sweep-unmarked-").tempdir().unwrap();
        assert!(sweep_temp_dirs() >= 1);
        assert!(!dead.exists(), "the dead owner's folder stays");
        assert!(live.path().exists(), "a live owner's folder was swept");
        assert!(foreign.path().exists(), "a folder without an owner file was swept");
    }

    #[test]
    fn a_folder_whose_run_died_before_its_owner_file_is_judged_by_its_name() {
        let _one = SWEEPING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let me = Owner::current();
        // Pids are below 2^22 on Linux: nobody owns 99999999.
        let dead = me.marker(false).replacen(&format!("o{}.", std::process::id()), "o99999999.", 1);
        let orphan = std::env::temp_dir().join(format!("{SANDBOX_PREFIX}orphan-{dead}-abc123"));
        std::fs::create_dir(&orphan).unwrap();
        let alive = std::env::temp_dir().join(format!("{SANDBOX_PREFIX}alive-{}-abc123", me.marker(false)));
        std::fs::create_dir(&alive).unwrap();
        let kept = std::env::temp_dir().join(format!("{SANDBOX_PREFIX}kept-{}k-abc123", &dead));
        std::fs::create_dir(&kept).unwrap();
        sweep_temp_dirs();
        assert!(!orphan.exists(), "a dead run's unmarked folder stays");
        assert!(alive.exists(), "a live run's folder was swept");
        assert!(kept.exists(), "a kept folder was swept");
        std::fs::remove_dir(&alive).unwrap();
        std::fs::remove_dir(&kept).unwrap();
    }
}
