//! Running many seeds of one scenario at once: `jobs` worker threads take the next seed from a
//! shared counter, and each run gets a fresh OS thread with its own simulation runtime (as every run
//! does), so runs never share state. Results come back in any order and are sorted by seed.

use super::result::SeedResult;
use crate::lab::run::execute;
use crate::scenario::Scenario;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs one seed and boils the report down.
pub fn run_seed(scenario: &Scenario, seed: u64) -> SeedResult {
    match execute(scenario, seed) {
        Ok(report) => SeedResult::from_verdicts(seed, report.trace_sha256.clone(), &report.verdicts),
        Err(error) => SeedResult::from_error(seed, &error),
    }
}

/// Runs every seed of `scenario` with at most `jobs` runs at a time, calling `on_done` as each
/// finishes (on the calling thread). Returns the results ordered by seed.
pub fn run_seeds(scenario: &Scenario, seeds: &[u64], jobs: usize, on_done: impl FnMut(&SeedResult)) -> Vec<SeedResult> {
    run_seeds_with(seeds, jobs, &|seed| run_seed(scenario, seed), on_done)
}

/// `run_seeds` with any runner. A panic that escapes the runner (in a checker, say) fails its
/// seed, never the sweep.
pub fn run_seeds_with(
    seeds: &[u64],
    jobs: usize,
    run: &(dyn Fn(u64) -> SeedResult + Sync),
    mut on_done: impl FnMut(&SeedResult),
) -> Vec<SeedResult> {
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    let mut results = Vec::with_capacity(seeds.len());
    std::thread::scope(|scope| {
        for worker in 0..jobs.max(1).min(seeds.len()) {
            let sender = sender.clone();
            let next = &next;
            std::thread::Builder::new()
                .name(format!("kafkasim-sweep-{worker}"))
                .spawn_scoped(scope, move || {
                    while let Some(&seed) = seeds.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let result = catch_unwind(AssertUnwindSafe(|| run(seed)))
                            .unwrap_or_else(|payload| SeedResult::from_panic(seed, panic_message(payload.as_ref())));
                        if sender.send(result).is_err() {
                            break;
                        }
                    }
                })
                .expect("spawning a sweep worker");
        }
        drop(sender);
        for result in receiver {
            on_done(&result);
            results.push(result);
        }
    });
    results.sort_by_key(|r| r.seed);
    results
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fake(seed: u64) -> SeedResult {
        if seed == 3 {
            panic!("planted panic at seed {seed}");
        }
        SeedResult {
            seed,
            ok: seed % 4 != 0,
            trace_sha256: Some(format!("{seed:064x}")),
            found: BTreeMap::new(),
            failed: Vec::new(),
            panic: None,
        }
    }

    #[test]
    fn results_come_back_in_seed_order_and_a_panic_fails_only_its_seed() {
        let seeds: Vec<u64> = (1..=12).collect();
        let mut seen = 0;
        let results = run_seeds_with(&seeds, 3, &fake, |_| seen += 1);
        assert_eq!(seen, 12);
        assert_eq!(results.iter().map(|r| r.seed).collect::<Vec<_>>(), seeds);
        let panicked: Vec<u64> = results.iter().filter(|r| r.panic.is_some()).map(|r| r.seed).collect();
        assert_eq!(panicked, vec![3]);
        assert!(results[2].panic.as_deref().unwrap().contains("planted panic at seed 3"));
        assert!(!results[2].ok);
        assert_eq!(run_seeds_with(&seeds, 1, &fake, |_| ()), results, "one job or three: the same results");
    }
}
