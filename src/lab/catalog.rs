//! Where the labs are: `labs/NN-topic/lab.toml`, in number order.

use std::path::{Path, PathBuf};

/// The lab directories under `root` (`labs/`): names starting with two digits and a dash that
/// hold a `lab.toml`, sorted by name (so by number).
pub fn lab_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let numbered = name.len() > 3 && name.as_bytes()[..2].iter().all(u8::is_ascii_digit) && &name[2..3] == "-";
        if numbered && path.join("lab.toml").is_file() {
            dirs.push(path);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// The lab `which` names: its number (`4`, `04`) or its directory name (`04-fault-tolerance`).
pub fn find_lab(root: &Path, which: &str) -> Result<PathBuf, String> {
    let dirs = lab_dirs(root).map_err(|e| format!("cannot list the labs in {}: {e}", root.display()))?;
    let number = which.parse::<u32>().ok().map(|n| format!("{n:02}-"));
    let found = dirs.iter().find(|d| {
        let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        name == which || number.as_deref().is_some_and(|prefix| name.starts_with(prefix))
    });
    found.cloned().ok_or_else(|| {
        let names: Vec<String> =
            dirs.iter().filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
        format!("no lab `{which}` in {} (labs: {})", root.display(), names.join(", "))
    })
}
