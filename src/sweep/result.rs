//! What a sweep found, seed by seed, in a form that is the same however the runs were scheduled
//! (ordered by seed, no wall-clock times) and that merges: the `--json` output of one shard is
//! the input of `kafkasim sweep --merge`.

use super::seeds::{SeedRange, Shard};
use super::SweepError;
use crate::check::CheckVerdict;
use crate::scenario::{CheckExpectation, Expect};
use crate::sim::RunError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Names the JSON so that `--merge` can tell a sweep result from any other file.
pub const FORMAT: &str = "kafkasim-sweep/1";

/// One seed's run, boiled down to what the sweep reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedResult {
    pub seed: u64,
    /// Every listed check met its expectation (false when the run panicked).
    pub ok: bool,
    /// The run's trace hash (none when it panicked): two sweeps of the same seed must agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_sha256: Option<String>,
    /// Every check that found a violation, with how many.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub found: BTreeMap<String, usize>,
    /// The listed checks whose expectation this seed missed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    /// The panic message when the simulation panicked (a bug in kafkasim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panic: Option<String>,
}

impl SeedResult {
    pub fn from_verdicts(seed: u64, trace_sha256: String, verdicts: &[CheckVerdict]) -> SeedResult {
        SeedResult {
            seed,
            ok: verdicts.iter().all(|v| v.ok),
            trace_sha256: Some(trace_sha256),
            found: verdicts.iter().filter(|v| v.count > 0).map(|v| (v.name.clone(), v.count)).collect(),
            failed: verdicts.iter().filter(|v| !v.ok).map(|v| v.name.clone()).collect(),
            panic: None,
        }
    }

    pub fn from_panic(seed: u64, message: String) -> SeedResult {
        SeedResult {
            seed,
            ok: false,
            trace_sha256: None,
            found: BTreeMap::new(),
            failed: Vec::new(),
            panic: Some(message),
        }
    }

    pub fn from_error(seed: u64, error: &RunError) -> SeedResult {
        match error {
            RunError::Panic { message, .. } => SeedResult::from_panic(seed, message.clone()),
        }
    }
}

/// A check the scenario lists and what it expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    pub name: String,
    pub expect: Expect,
}

/// A whole sweep (or one shard of it, or several merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepResult {
    pub format: String,
    pub scenario: String,
    /// The scenario file as the command line named it (the replay commands use it).
    pub file: String,
    pub range: SeedRange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    pub expectations: Vec<Expectation>,
    /// Every seed met every expectation.
    pub ok: bool,
    pub seeds: Vec<SeedResult>,
}

/// Per check, over all seeds: where it found something and where it missed its expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSummary {
    pub name: String,
    pub expect: Option<Expect>,
    pub seeds_found: usize,
    pub seeds_failed: usize,
}

impl SweepResult {
    pub fn new(
        file: &str,
        scenario: &str,
        checks: &[CheckExpectation],
        range: SeedRange,
        shard: Option<Shard>,
        mut seeds: Vec<SeedResult>,
    ) -> SweepResult {
        seeds.sort_by_key(|s| s.seed);
        SweepResult {
            format: FORMAT.to_string(),
            scenario: scenario.to_string(),
            file: file.to_string(),
            range,
            shard,
            expectations: checks.iter().map(|c| Expectation { name: c.name.clone(), expect: c.expect }).collect(),
            ok: seeds.iter().all(|s| s.ok),
            seeds,
        }
    }

    pub fn failing(&self) -> impl Iterator<Item = &SeedResult> {
        self.seeds.iter().filter(|s| !s.ok)
    }

    /// Every check (in `check::names` order), then `panic` if a run panicked.
    pub fn summary(&self) -> Vec<CheckSummary> {
        let mut rows: Vec<CheckSummary> = crate::check::names::all_checks()
            .map(|name| CheckSummary {
                name: name.to_string(),
                expect: self.expectations.iter().find(|e| e.name == name).map(|e| e.expect),
                seeds_found: self.seeds.iter().filter(|s| s.found.contains_key(name)).count(),
                seeds_failed: self.seeds.iter().filter(|s| s.failed.iter().any(|f| f == name)).count(),
            })
            .collect();
        let panics = self.seeds.iter().filter(|s| s.panic.is_some()).count();
        if panics > 0 {
            rows.push(CheckSummary {
                name: "panic".to_string(),
                expect: Some(Expect::None),
                seeds_found: panics,
                seeds_failed: panics,
            });
        }
        rows
    }

    /// The command that replays one seed of this sweep.
    pub fn replay(&self, seed: u64) -> String {
        format!("kafkasim run {} --seed {seed}", self.file)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a sweep result serializes")
    }

    /// Reads the `--json` output of a sweep; `name` says which file in errors.
    pub fn from_json(name: &str, text: &str) -> Result<SweepResult, SweepError> {
        let result: SweepResult = serde_json::from_str(text)
            .map_err(|e| SweepError::Input(format!("{name}: not a kafkasim sweep result: {e}")))?;
        if result.format != FORMAT {
            return Err(SweepError::Input(format!(
                "{name}: format '{}' is not {FORMAT}, which this kafkasim reads",
                result.format
            )));
        }
        Ok(result)
    }
}

/// Joins the results of several shards (or consecutive ranges) of one sweep. Every seed from the
/// lowest start to the highest end must be there exactly once, and the runs must be of the same
/// scenario with the same expectations.
pub fn merge(parts: &[(String, SweepResult)]) -> Result<SweepResult, SweepError> {
    let Some((first_name, first)) = parts.first() else {
        return Err(SweepError::Input("--merge needs at least one sweep result file".into()));
    };
    let mut seeds: BTreeMap<u64, (&str, &SeedResult)> = BTreeMap::new();
    let mut overlaps = Vec::new();
    for (name, part) in parts {
        if part.scenario != first.scenario {
            return Err(SweepError::Input(format!(
                "{name} is a sweep of scenario '{}', but {first_name} is of '{}': merge one scenario at a time",
                part.scenario, first.scenario
            )));
        }
        if part.expectations != first.expectations {
            return Err(SweepError::Input(format!(
                "{name} and {first_name} sweep scenario '{}' with different [[checks]]: the file changed between the runs",
                part.scenario
            )));
        }
        for seed in &part.seeds {
            if !part.range.contains(seed.seed) {
                return Err(SweepError::Input(format!(
                    "{name}: seed {} is outside its own range {}",
                    seed.seed, part.range
                )));
            }
            if let Some((other, earlier)) = seeds.insert(seed.seed, (name, seed)) {
                let same = if earlier.trace_sha256 == seed.trace_sha256 {
                    "same trace"
                } else {
                    "DIFFERENT traces: a determinism bug"
                };
                overlaps.push(format!("seed {} is in {other} and {name} ({same})", seed.seed));
            }
        }
    }
    if !overlaps.is_empty() {
        let more = if overlaps.len() > 5 { format!(" (and {} more)", overlaps.len() - 5) } else { String::new() };
        overlaps.truncate(5);
        return Err(SweepError::Input(format!(
            "the results overlap: {}{more}; merge each shard once",
            overlaps.join("; ")
        )));
    }
    let start = parts.iter().map(|(_, p)| p.range.start).min().expect("at least one part");
    let end = parts.iter().map(|(_, p)| p.range.end).max().expect("at least one part");
    let range = SeedRange { start, end };
    let missing: Vec<u64> = (start..end).filter(|s| !seeds.contains_key(s)).take(11).collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().take(10).map(|s| s.to_string()).collect();
        let more = if missing.len() > 10 { ", ..." } else { "" };
        return Err(SweepError::Input(format!(
            "seeds missing from {range}: {}{more}; merge the results of every shard",
            list.join(", ")
        )));
    }
    let expectations: Vec<CheckExpectation> =
        first.expectations.iter().map(|e| CheckExpectation { name: e.name.clone(), expect: e.expect }).collect();
    let all: Vec<SeedResult> = seeds.into_values().map(|(_, s)| s.clone()).collect();
    Ok(SweepResult::new(&first.file, &first.scenario, &expectations, range, None, all))
}
