//! Files the CLI writes for the patient: exports, reports and backups hold
//! mental-health data, so they are readable by the owner only, and written
//! to a new file that replaces the target, never through a symlink there.

use std::io::Write;
use std::path::Path;

use crate::Failure;

/// Writes `bytes` to `path` (mode 0600), durably, replacing what was there.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::other(format!("cannot write {}: {e}", path.display()));
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // A new file, created exclusively and 0600 by tempfile, renamed over the
    // target: a symlink planted at `path` is replaced, not followed.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    file.write_all(bytes).and_then(|()| file.as_file().sync_all()).map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(failed)
}

/// Overwrites a regular file with zeros, durably, then deletes it; a
/// symlink is deleted without touching what it points to.
pub fn shred(path: &Path) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::other(format!("cannot delete {}: {e}", path.display()));
    let metadata = std::fs::symlink_metadata(path).map_err(failed)?;
    if metadata.is_file() {
        let mut file = std::fs::OpenOptions::new().write(true).open(path).map_err(failed)?;
        file.write_all(&vec![0; metadata.len() as usize]).and_then(|()| file.sync_all()).map_err(failed)?;
    }
    std::fs::remove_file(path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_file_is_the_owners_alone_and_a_planted_symlink_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.txt");
        std::fs::write(&elsewhere, "untouched").unwrap();
        let target = dir.path().join("export.json");
        std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
        write_private(&target, b"mood data").unwrap();
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "untouched");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "mood data");
        let metadata = std::fs::symlink_metadata(&target).unwrap();
        assert!(metadata.is_file());
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
    }
}
