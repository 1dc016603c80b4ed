//! `kafkasim shrink`: from a failing run to the smallest scenario that fails the same way at the
//! same seed (QuickCheck's shrinking, Zeller's delta debugging). A run is deterministic, so each
//! candidate costs exactly one run; the search is greedy: try smaller candidates, biggest cuts
//! first, keep the first that still fails, start over from it, stop when nothing smaller fails or
//! the run budget is spent.
//!
//! A `[nemesis]` is first replaced by the faults it draws at the seed (the same run), so the
//! schedule itself can be cut down. Every candidate goes through the normal parser and
//! validation, so what is written is always a valid scenario; it is written in the file's own
//! form (`RawScenario`), with `seed` set so that `kafkasim run small.toml` replays the failure.

mod faults;
pub mod target;
mod workload;

pub use target::Target;

use crate::lab::run::execute;
use crate::scenario::raw::RawScenario;
use crate::scenario::{concrete_raw, parse_scenario, to_toml, Scenario, DEFAULT_SETTLE_MS};
use std::collections::BTreeMap;

/// A smaller scenario to try, and what it changes (for the report).
type Candidate = (String, RawScenario);

/// The default `--max-runs`.
pub const DEFAULT_MAX_RUNS: usize = 200;

#[derive(Clone, Debug)]
pub struct ShrinkOptions {
    pub seed: u64,
    /// Runs allowed, the first one (which finds the failure) included.
    pub max_runs: usize,
    /// The check to preserve (default: the first one violated, or a panic).
    pub check: Option<String>,
}

/// A user error: bad options, or a run with no failure to shrink (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ShrinkError(pub String);

pub struct ShrinkOutcome {
    pub target: Target,
    /// The smallest scenario found that fails the same way, ready to write.
    pub raw: RawScenario,
    pub scenario: Scenario,
    /// What each accepted step changed, in order.
    pub steps: Vec<String>,
    pub runs: usize,
    /// True when the budget ran out before no smaller candidate was left.
    pub budget_exhausted: bool,
    /// The scenario the search started from (the nemesis drawn as faults), for comparison.
    pub original: RawScenario,
}

/// One family of candidates: how a scenario can be made smaller in one respect.
type Phase = fn(&RawScenario) -> Vec<Candidate>;

/// Biggest cuts first: faults, then time, then sizes, then timing, configs and pairs of faults.
const PHASES: &[Phase] =
    &[faults::drops, workload::durations, workload::sizes, faults::moves, workload::configs, faults::pair_drops];

struct Search {
    seed: u64,
    target: Target,
    max_runs: usize,
    runs: usize,
    /// Candidates already run (by their TOML text): a greedy search may meet one again.
    tried: BTreeMap<String, bool>,
}

impl Search {
    fn exhausted(&self) -> bool {
        self.runs >= self.max_runs
    }

    /// Validates and runs a candidate; `Some` when it still fails the same way.
    fn attempt(&mut self, candidate: &RawScenario) -> Option<(RawScenario, Scenario)> {
        let text = to_toml(candidate);
        if self.tried.contains_key(&text) || self.exhausted() {
            return None;
        }
        let (raw, scenario) = parse_scenario("candidate.toml", &text).ok()?;
        self.runs += 1;
        let holds = self.target.holds(&scenario, self.seed);
        self.tried.insert(text, holds);
        holds.then_some((raw, scenario))
    }
}

/// Shrinks `scenario` (read from `raw`) at `options.seed`. `progress` hears each accepted step.
pub fn shrink(
    raw: &RawScenario,
    scenario: &Scenario,
    options: &ShrinkOptions,
    mut progress: impl FnMut(&str),
) -> Result<ShrinkOutcome, ShrinkError> {
    if options.max_runs == 0 {
        return Err(ShrinkError("--max-runs 0: the first run alone needs one".into()));
    }
    let seed = options.seed;
    let first = execute(scenario, seed);
    let target = Target::pick(scenario, &first, options.check.as_deref(), seed).map_err(ShrinkError)?;
    drop(first);
    progress(&format!("seed {seed}: {target}; shrinking"));

    // The nemesis drawn at this seed, as plain faults: the same run, and now editable.
    let start = concrete_raw(raw, scenario, seed);
    let (mut current_raw, mut current) = parse_scenario("concrete.toml", &to_toml(&start))
        .map_err(|e| ShrinkError(format!("the scenario with its nemesis drawn does not validate (a bug): {e}")))?;
    let original = current_raw.clone();
    let mut search = Search { seed, target, max_runs: options.max_runs, runs: 1, tried: BTreeMap::new() };
    let mut steps = Vec::new();
    loop {
        let mut progressed = false;
        for phase in PHASES {
            // After a success at candidate k, the next pass starts at k: the candidates before
            // it were just tried on an almost equal scenario (the next round tries them again).
            let mut start_at = 0;
            'phase: loop {
                for (k, (what, candidate)) in phase(&current_raw).into_iter().enumerate().skip(start_at) {
                    if search.exhausted() {
                        break 'phase;
                    }
                    if let Some((raw, scenario)) = search.attempt(&candidate) {
                        progress(&format!("run {}: {what}", search.runs));
                        steps.push(what);
                        (current_raw, current) = (raw, scenario);
                        progressed = true;
                        start_at = k;
                        continue 'phase;
                    }
                }
                break;
            }
        }
        if !progressed || search.exhausted() {
            break;
        }
    }
    Ok(ShrinkOutcome {
        budget_exhausted: search.exhausted(),
        target: search.target,
        raw: current_raw,
        scenario: current,
        steps,
        runs: search.runs,
        original,
    })
}

impl ShrinkOutcome {
    /// The shrunk scenario as a file: named and described as such, with the seed that fails.
    pub fn to_toml(&self, file: &str, seed: u64) -> String {
        let mut raw = self.raw.clone();
        let name = raw.name.get_ref().clone();
        raw.name = toml::Spanned::new(0..0, format!("{name}-shrunk"));
        raw.description = Some(format!(
            "Shrunk by `kafkasim shrink {file} --seed {seed}` in {} runs: {}. The original: {}",
            self.runs,
            self.target,
            self.raw.description.as_deref().unwrap_or("(no description)").trim()
        ));
        raw.seed = Some(seed);
        to_toml(&raw)
    }

    /// Before and after, for what the search measures.
    pub fn summary(&self) -> Vec<String> {
        let (a, b) = (&self.original, &self.raw);
        let mut lines = vec![
            format!("faults: {} -> {}", a.faults.len(), b.faults.len()),
            format!("duration_ms: {} -> {}", a.duration_ms.get_ref(), b.duration_ms.get_ref()),
        ];
        let settle = |r: &RawScenario| r.settle_ms.as_ref().map_or(DEFAULT_SETTLE_MS, |s| *s.get_ref());
        if settle(a) != settle(b) {
            lines.push(format!("settle_ms: {} -> {}", settle(a), settle(b)));
        }
        if a.cluster.brokers.get_ref() != b.cluster.brokers.get_ref() {
            lines.push(format!("brokers: {} -> {}", a.cluster.brokers.get_ref(), b.cluster.brokers.get_ref()));
        }
        let partitions = |r: &RawScenario| r.topics.iter().map(|t| *t.partitions.get_ref()).sum::<i32>();
        if partitions(a) != partitions(b) {
            lines.push(format!("partitions (all topics): {} -> {}", partitions(a), partitions(b)));
        }
        let rate = |r: &RawScenario| r.producers.iter().map(|p| *p.messages_per_sec.get_ref()).sum::<f64>();
        if rate(a) != rate(b) {
            lines.push(format!("messages_per_sec (all producers): {} -> {}", rate(a), rate(b)));
        }
        let members = |r: &RawScenario| r.consumer_groups.iter().map(|g| *g.members.get_ref()).sum::<u32>();
        if members(a) != members(b) {
            lines.push(format!("consumer members: {} -> {}", members(a), members(b)));
        }
        lines
    }
}
