//! `kafkasim sweep`: one scenario over many seeds, in parallel, to find the seeds whose runs miss
//! an expectation (the FoundationDB / TigerBeetle way of hunting bugs in a deterministic
//! simulator: every failing seed replays exactly with `kafkasim run FILE --seed N`).
//!
//! A sweep can be cut into shards (`--shard i/n`) for a batch scheduler and the shards' JSON
//! results joined again (`--merge`); the results do not depend on how runs were scheduled.

pub mod engine;
pub mod progress;
pub mod render;
pub mod result;
pub mod seeds;

pub use engine::{run_seed, run_seeds, run_seeds_with};
pub use render::render_text;
pub use result::{merge, CheckSummary, SeedResult, SweepResult};
pub use seeds::{SeedRange, Shard};

use crate::scenario::Scenario;

/// A user error in a sweep's arguments or inputs (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{0}")]
    Input(String),
}

/// What to sweep.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// The scenario file as the user named it (for the replay commands).
    pub file: String,
    pub range: SeedRange,
    pub shard: Option<Shard>,
    /// At most this many runs at once.
    pub jobs: usize,
}

impl SweepPlan {
    /// Parses the command line's `--seeds`, `--shard` and `--jobs`.
    pub fn parse(file: &str, seeds: &str, shard: Option<&str>, jobs: Option<usize>) -> Result<SweepPlan, SweepError> {
        let range = SeedRange::parse(seeds)?;
        let shard = shard.map(Shard::parse).transpose()?;
        let jobs = match jobs {
            Some(0) => return Err(SweepError::Input("--jobs 0: at least one run must go at a time".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(SweepPlan { file: file.to_string(), range, shard, jobs })
    }
}

/// Runs the sweep, reporting progress on stderr. Returns the result ordered by seed.
pub fn sweep(scenario: &Scenario, plan: &SweepPlan) -> SweepResult {
    let seeds = plan.range.seeds(plan.shard);
    let file = plan.file.clone();
    let mut progress = progress::Progress::new(seeds.len(), move |seed| format!("kafkasim run {file} --seed {seed}"));
    let results = run_seeds(scenario, &seeds, plan.jobs, |r| progress.on_done(r));
    progress.finish();
    SweepResult::new(&plan.file, &scenario.name, &scenario.checks, plan.range, plan.shard, results)
}
