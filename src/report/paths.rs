//! Where report files go: every file is a fixed plain name inside the chosen directory, and a
//! name that could lead out of it (a separator, `..`, an absolute path) is refused.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathError {
    #[error("{what} {name:?} cannot name a file in the report directory (it must be one plain name: no '/', '\\\\' or '..')")]
    NotPlain { what: &'static str, name: String },
}

/// True when `name` is exactly one normal path component.
pub fn is_plain_name(name: &str) -> bool {
    if name.is_empty() || name.contains(['/', '\\', '\0']) || name.starts_with('.') {
        return false;
    }
    let mut components = Path::new(name).components();
    matches!((components.next(), components.next()), (Some(Component::Normal(_)), None))
}

/// `dir/name`, refusing a `name` that is not one plain name.
pub fn file_in(dir: &Path, name: &str) -> Result<PathBuf, PathError> {
    if is_plain_name(name) {
        Ok(dir.join(name))
    } else {
        Err(PathError::NotPlain { what: "file name", name: name.to_string() })
    }
}

/// `reports/<scenario>-<seed>`: refused when the scenario's name would leave `reports/`.
pub fn default_report_dir(scenario: &str, seed: u64) -> Result<PathBuf, PathError> {
    let name = format!("{scenario}-{seed}");
    if is_plain_name(&name) {
        Ok(Path::new("reports").join(name))
    } else {
        Err(PathError::NotPlain { what: "the scenario name", name: scenario.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_stay_inside() {
        for good in ["report.html", "fault-tolerance-7", "a b"] {
            assert!(is_plain_name(good), "{good}");
        }
        for bad in ["", "..", ".", "../x", "a/b", "/etc/passwd", "a\\b", ".hidden", "x/../y"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        assert_eq!(default_report_dir("fault-tolerance", 7).unwrap(), Path::new("reports/fault-tolerance-7"));
        assert!(default_report_dir("../../etc", 7).is_err());
        assert!(file_in(Path::new("out"), "../x").is_err());
    }
}
