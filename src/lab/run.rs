//! One scenario run, end to end: simulate, check, and summarize for a person (text) or a
//! program (the `--json` object of SCENARIO-FORMAT.md).

use super::consumer_groups::{describe_group_at, group_names, render_group};
use super::describe::describe_topics;
use super::partition_spread::render_partition_spread;
use super::producer_metrics::{producer_metrics, render_producer_metrics, ProducerMetricsRow};
use crate::check::{run_all, verdicts, CheckOutcome, CheckVerdict};
use crate::history::{trace_sha256, Event, History};
use crate::scenario::{CheckExpectation, Expect, Scenario};
use crate::sim::{run_scenario_with, RunError, RunOptions, RunStats};
use serde::Serialize;

pub struct RunReport {
    pub history: History,
    pub outcomes: Vec<CheckOutcome>,
    pub verdicts: Vec<CheckVerdict>,
    pub stats: RunStats,
    pub trace_sha256: String,
}

impl RunReport {
    /// Every listed check met its expectation.
    pub fn ok(&self) -> bool {
        self.verdicts.iter().all(|v| v.ok)
    }
}

/// Runs `scenario` with `seed`: its `[nemesis]` (if any) draws its faults from the seed first.
pub fn execute(scenario: &Scenario, seed: u64) -> Result<RunReport, RunError> {
    execute_with(scenario, seed, &RunOptions::default())
}

/// [`execute`], recording what `options` ask for too (e.g. the messages of a window).
pub fn execute_with(scenario: &Scenario, seed: u64, options: &RunOptions) -> Result<RunReport, RunError> {
    let result = run_scenario_with(&scenario.for_seed(seed), seed, options)?;
    Ok(report_for(scenario, result.history, result.stats))
}

/// Checks a history (live or loaded) against a scenario's expectations.
pub fn report_for(scenario: &Scenario, history: History, stats: RunStats) -> RunReport {
    report_for_checks(&scenario.checks, history, stats)
}

/// Checks a history against the given expectations (none for a history without its scenario).
pub fn report_for_checks(checks: &[CheckExpectation], history: History, stats: RunStats) -> RunReport {
    let outcomes = run_all(&history);
    let verdicts = verdicts(&outcomes, checks);
    let trace_sha256 = trace_sha256(&history);
    RunReport { history, outcomes, verdicts, stats, trace_sha256 }
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    name: &'a str,
    expect: Option<Expect>,
    found: Expect,
    count: usize,
    ok: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    scenario: &'a str,
    seed: u64,
    trace_sha256: &'a str,
    sim_ms: u64,
    wall_ms: u64,
    ok: bool,
    checks: Vec<JsonCheck<'a>>,
    stats: &'a RunStats,
    producers: Vec<ProducerMetricsRow>,
}

/// The `--json` object (SCENARIO-FORMAT.md's contract, plus an overall `ok`).
pub fn to_json(report: &RunReport) -> serde_json::Value {
    let json = JsonReport {
        scenario: &report.history.meta.scenario,
        seed: report.history.meta.seed,
        trace_sha256: &report.trace_sha256,
        sim_ms: report.stats.sim_ms,
        wall_ms: report.stats.wall_ms,
        ok: report.ok(),
        checks: report
            .verdicts
            .iter()
            .map(|v| JsonCheck { name: &v.name, expect: v.expect, found: v.found, count: v.count, ok: v.ok })
            .collect(),
        stats: &report.stats,
        producers: producer_metrics(&report.history),
    };
    serde_json::to_value(json).expect("the report serializes")
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// How many records were sent, acknowledged and failed.
pub fn send_counts(h: &History) -> (u64, u64, u64) {
    h.entries.iter().fold((0, 0, 0), |(s, a, f), e| match e.event {
        Event::SendInvoked { .. } => (s + 1, a, f),
        Event::SendAcked { .. } => (s, a + 1, f),
        Event::SendFailed { .. } => (s, a, f + 1),
        _ => (s, a, f),
    })
}

/// The human summary printed after the seed line.
pub fn render_text(scenario: &Scenario, report: &RunReport, replay: &str) -> String {
    let h = &report.history;
    let mut out = String::new();
    out.push_str(&format!("replay: {replay}\n"));
    out.push_str(&format!(
        "scenario {}: {} workload + {} settle; {} broker(s), {} topic(s), {} producer(s), {} consumer group(s)\n",
        scenario.name,
        seconds(scenario.duration_ms),
        seconds(scenario.settle_ms),
        scenario.brokers,
        scenario.topics.len(),
        scenario.producers.len(),
        scenario.consumer_groups.len()
    ));
    let faults: Vec<String> = h
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Fault { detail, .. } if !detail.starts_with("settle:") => {
                Some(format!("  {:>8} ms  {detail}", e.time_ms))
            }
            _ => None,
        })
        .collect();
    if !faults.is_empty() {
        out.push_str("faults:\n");
        out.push_str(&faults.join("\n"));
        out.push('\n');
    }
    let (sent, acked, failed) = send_counts(h);
    out.push_str(&format!("records: {sent} sent, {acked} acknowledged, {failed} failed\n"));
    let mut errors: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for e in &h.entries {
        if let Event::ProduceError { error, .. } = &e.event {
            *errors.entry(error.name()).or_default() += 1;
        }
    }
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(|(name, n)| format!("{name} x{n}")).collect();
        out.push_str(&format!("produce errors (per batch attempt): {}\n", list.join(", ")));
    }
    out.push_str(&render_partition_spread(h));
    let metrics = render_producer_metrics(&producer_metrics(h));
    if !metrics.is_empty() {
        out.push_str("producer-metrics (over the workload phase):\n");
        out.push_str(&metrics);
    }
    let ratio = report.stats.sim_ms as f64 / (report.stats.wall_ms.max(1)) as f64;
    out.push_str(&format!(
        "simulated {} in {:.2} s wall ({ratio:.0}x real time), {} messages delivered\n",
        seconds(report.stats.sim_ms),
        report.stats.wall_ms as f64 / 1000.0,
        report.stats.network.messages_delivered
    ));
    out.push_str(&format!("trace sha256: {}\n\n", report.trace_sha256));
    out.push_str("$ kafka-topics.sh --bootstrap-server broker-1:9092 --describe\n");
    out.push_str(&describe_topics(&h.meta.topics, &h.final_state.partitions));
    let summaries = super::rebalances::rebalances(h);
    if !summaries.is_empty() {
        out.push_str("rebalances:\n");
        out.push_str(&super::rebalances::render(&summaries));
        out.push('\n');
    }
    for group in group_names(h) {
        out.push_str(&format!(
            "\n$ kafka-consumer-groups.sh --bootstrap-server broker-1:9092 --describe --group {group}\n"
        ));
        out.push_str(&render_group(&describe_group_at(h, &group, h.meta.end_ms)));
    }
    out.push('\n');
    out.push_str(&render_checks(report));
    out
}

/// The checks table, then the first findings of every check that found something.
pub fn render_checks(report: &RunReport) -> String {
    let mut out = String::from("CHECK                        EXPECT  FOUND  COUNT  RESULT\n");
    for v in &report.verdicts {
        let expect = match v.expect {
            Some(Expect::None) => "none",
            Some(Expect::Some) => "some",
            None => "-",
        };
        let found = if v.found == Expect::Some { "some" } else { "none" };
        let result = match (v.expect, v.ok) {
            (None, _) => "",
            (_, true) => "ok",
            (_, false) => "FAIL",
        };
        let line = format!("{:<28} {:<7} {:<6} {:<6} {}", v.name, expect, found, v.count, result);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for outcome in report.outcomes.iter().filter(|o| o.count > 0) {
        out.push_str(&format!("\n{} ({} found):\n", outcome.name, outcome.count));
        for f in outcome.findings.iter().take(3) {
            out.push_str(&format!("  - {}\n", f.message));
        }
        if outcome.count > 3 {
            out.push_str(&format!("  ... and {} more\n", outcome.count - 3));
        }
    }
    out
}
