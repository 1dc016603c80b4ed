//! Whole simulated runs of the reference workload (scenarios/bench/reference.toml), shortened
//! to 6 s of workload so a sample takes well under a second. `kafkasim bench FILE` reports the
//! full-length figures (simulated-to-wall ratio, events per second, peak memory).

use criterion::{criterion_group, criterion_main, Criterion};
use kafkasim::scenario::parse_scenario;
use kafkasim::sim::run_scenario;

fn reference_run(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/bench/reference.toml"))
        .expect("the reference scenario is in the repository");
    let short = text
        .replace("duration_ms = 60000", "duration_ms = 6000")
        .replace("settle_ms = 10000", "settle_ms = 2000")
        .replace("at_ms = 20000", "at_ms = 2000")
        .replace("at_ms = 40000", "at_ms = 4000");
    assert_ne!(short, text, "the reference scenario's times changed; update this bench");
    let (_, scenario) = parse_scenario("reference-short.toml", &short).expect("valid scenario");
    let mut group = c.benchmark_group("whole runs");
    group.sample_size(10);
    group.bench_function("reference workload, 8 s simulated", |b| {
        b.iter(|| run_scenario(&scenario, 1).expect("no panic").stats.history_entries)
    });
    group.finish();
}

criterion_group!(benches, reference_run);
criterion_main!(benches);
