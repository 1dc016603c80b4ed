//! Every scenario in `scenarios/` meets the expectations it declares, and replays to the same
//! trace hash with the same seed. Some scenarios also get assertions about what they teach.

use kafkasim::history::{Event, History};
use kafkasim::lab::run::{execute, render_checks, RunReport};
use kafkasim::protocol::errors::ErrorCode;
use kafkasim::protocol::types::BrokerId;
use kafkasim::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

fn load(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(format!("{name}.toml"));
    scenario::load(&path).unwrap_or_else(|e| panic!("{}", e.render())).1
}

fn run(scenario: &Scenario, seed: u64) -> RunReport {
    execute(scenario, seed).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a scenario at its own seed twice; both runs must meet the expectations and agree.
fn check_scenario(name: &str) -> RunReport {
    let scenario = load(name);
    let seed = scenario.seed.unwrap_or(1);
    let first = run(&scenario, seed);
    assert!(first.ok(), "{name} (seed {seed}) missed its expectations:\n{}", render_checks(&first));
    let second = run(&scenario, seed);
    assert_eq!(first.trace_sha256, second.trace_sha256, "{name}: the same seed must replay byte for byte");
    first
}

fn produce_errors(history: &History, error: ErrorCode) -> usize {
    history.entries.iter().filter(|e| matches!(&e.event, Event::ProduceError { error: x, .. } if *x == error)).count()
}

/// The ISR of a partition after each change the controller made, with the change's time.
fn isr_history(history: &History, topic: &str, partition: i32) -> Vec<(u64, Vec<u32>)> {
    history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::PartitionChanged { tp, isr, .. } if &*tp.topic == topic && tp.partition == partition => {
                let mut ids: Vec<u32> = isr.iter().map(|b: &BrokerId| b.0).collect();
                ids.sort();
                Some((e.time_ms, ids))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn fault_tolerance_isr_shrinks_while_broker_2_is_down_and_regrows_after() {
    let report = check_scenario("fault-tolerance");
    for partition in 0..3 {
        let isrs = isr_history(&report.history, "fault-test", partition);
        let shrunk = isrs.iter().find(|(t, isr)| *t > 20_000 && *t < 40_000 && isr == &vec![1, 3]);
        assert!(
            shrunk.is_some(),
            "fault-test-{partition}: the ISR should shrink to 1,3 after broker-2 stops: {isrs:?}"
        );
        let regrown = isrs.iter().find(|(t, isr)| *t > 40_000 && isr == &vec![1, 2, 3]);
        assert!(
            regrown.is_some(),
            "fault-test-{partition}: broker-2 should rejoin the ISR after its restart: {isrs:?}"
        );
    }
}

#[test]
fn acks_all_minisr2_survives_everything_it_is_put_through() {
    let report = check_scenario("acks-all-minisr2-survives");
    let acked = report.history.entries.iter().filter(|e| matches!(e.event, Event::SendAcked { .. })).count();
    assert!(acked > 40_000, "the producer kept writing through the faults: {acked} acknowledged");
}

#[test]
fn unclean_election_loses_acknowledged_writes() {
    let report = check_scenario("unclean-election-loses");
    let unclean = report.history.entries.iter().any(|e| {
        matches!(&e.event, Event::PartitionChanged { election: Some(kafkasim::history::Election::Unclean), .. })
    });
    assert!(unclean, "the loss must come from an unclean election");
}

#[test]
fn kip101_truncation_to_the_high_watermark_loses_writes() {
    check_scenario("kip101-truncate-to-hw");
}

#[test]
fn kip101_truncation_by_leader_epoch_does_not() {
    check_scenario("kip101-truncate-by-leader-epoch");
}

#[test]
fn acks1_leader_crash_loses_writes() {
    check_scenario("acks1-leader-crash-loses-writes");
}

#[test]
fn min_isr_refuses_writes_with_not_enough_replicas() {
    let report = check_scenario("min-isr-not-enough-replicas");
    assert!(
        produce_errors(&report.history, ErrorCode::NotEnoughReplicas) > 0,
        "producers should see NOT_ENOUGH_REPLICAS"
    );
}

/// Scenarios listed in the tests above; a new scenario file must be added here too.
const TESTED: &[&str] = &[
    "fault-tolerance",
    "acks-all-minisr2-survives",
    "unclean-election-loses",
    "kip101-truncate-to-hw",
    "kip101-truncate-by-leader-epoch",
    "acks1-leader-crash-loses-writes",
    "min-isr-not-enough-replicas",
];

#[test]
fn every_scenario_file_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        assert!(TESTED.contains(&name.as_str()), "scenarios/{name}.toml has no test in tests/scenarios.rs");
    }
}

#[test]
fn a_different_seed_gives_a_different_trace() {
    let scenario = load("fault-tolerance");
    assert_ne!(run(&scenario, 1).trace_sha256, run(&scenario, 2).trace_sha256);
}
