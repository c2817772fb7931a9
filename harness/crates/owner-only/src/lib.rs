//! Files and folders that may hold secrets, owner-only from the first byte: files are opened with
//! mode 0600 and folders created with mode 0700, never narrowed afterwards.

use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The mode of a file that may hold secrets.
pub const FILE_MODE: u32 = 0o600;
/// The mode of a folder that may hold such files.
pub const DIR_MODE: u32 = 0o700;

/// Creates or truncates `path` for writing with mode 0600. A file that was already there with a
/// wider mode is narrowed before anything is written to it.
pub fn create(path: &Path) -> io::Result<File> {
    let f = OpenOptions::new().write(true).create(true).truncate(true).mode(FILE_MODE).open(path)?;
    if f.metadata()?.permissions().mode() & 0o077 != 0 {
        f.set_permissions(Permissions::from_mode(FILE_MODE))?;
    }
    Ok(f)
}

/// Writes `contents` to `path` (created with mode 0600).
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("nats.conf");
/// natsfault_owner_only::write(&path, "authorization { token: t0ken }").unwrap();
/// assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
/// ```
pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    create(path)?.write_all(contents.as_ref())
}

/// Creates `dir` and its missing parents with mode 0700 (folders already there are left as
/// they are).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)
}

/// A new folder `PREFIX` + random characters in the system temp dir, mode 0700 from its creation
/// (removed on drop, as [`tempfile::TempDir`]).
pub fn tempdir(prefix: &str) -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix(prefix).permissions(Permissions::from_mode(DIR_MODE)).tempdir()
}

/// Copies the file `from` to `to` (created with mode 0600, whatever the mode of `from`).
pub fn copy(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    io::copy(&mut source, &mut create(to)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_and_folders_are_owner_only() {
        let tmp = tempdir("natsfault-test-").unwrap();
        assert_eq!(mode(tmp.path()), DIR_MODE);
        let dir = tmp.path().join("a/b");
        create_dir_all(&dir).unwrap();
        assert_eq!((mode(&tmp.path().join("a")), mode(&dir)), (DIR_MODE, DIR_MODE));
        let wide = dir.join("wide");
        std::fs::write(&wide, "x").unwrap();
        std::fs::set_permissions(&wide, Permissions::from_mode(0o644)).unwrap();
        write(&wide, "secret").unwrap();
        assert_eq!(mode(&wide), FILE_MODE);
        let copied = dir.join("copy");
        std::fs::set_permissions(&wide, Permissions::from_mode(0o644)).unwrap();
        copy(&wide, &copied).unwrap();
        assert_eq!((mode(&copied), std::fs::read_to_string(&copied).unwrap().as_str()), (FILE_MODE, "secret"));
    }
}
