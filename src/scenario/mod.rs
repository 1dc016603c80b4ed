//! Scenario files: format v1 (SCENARIO-FORMAT.md) parsed with positions, validated into a
//! typed `Scenario`, and written back as TOML.

pub mod error;
pub mod model;
pub mod nemesis;
pub mod raw;
mod validate;

pub use error::ScenarioError;
pub use model::*;
pub use nemesis::{concrete_raw, Nemesis, NemesisFamily};
pub use raw::RawScenario;
pub use validate::{parse_scenario, validate_embedded};

use std::path::Path;

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<(RawScenario, Scenario), ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::whole_file(&file, format!("cannot read the scenario: {e}")))?;
    parse_scenario(&file, &text)
}

/// The scenario as TOML (the same format it was read in). Arrays stay on one line, as people
/// write them (`latency_ms = [1, 5]`, partition groups), so a written-back schedule reads well.
pub fn to_toml(raw: &RawScenario) -> String {
    toml::to_string(raw).expect("a parsed scenario serializes")
}
