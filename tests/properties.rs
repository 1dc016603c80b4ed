//! Kafka's guarantees as properties: proptest draws a cluster, a workload and a fault schedule,
//! the simulator runs it, and the checkers judge the history. When a property fails, proptest
//! shrinks the schedule and the workload (not just the seed) and prints the smallest case, with
//! the scenario file that replays it.
//!
//! Cases per property: `KAFKASIM_PROPTEST_CASES` (default 32, so `cargo test` stays quick; try
//! 2000 for a long hunt). The case generator is seeded (`KAFKASIM_PROPTEST_SEED`, default fixed;
//! `random` for a fresh one each time) so that a CI run is reproducible.

use kafkasim::history::Event;
use kafkasim::lab::run::{execute, render_checks, RunReport};
use kafkasim::scenario::parse_scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

fn cases() -> u32 {
    std::env::var("KAFKASIM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(32)
}

fn config(cases: u32) -> Config {
    let rng_seed = match std::env::var("KAFKASIM_PROPTEST_SEED").as_deref() {
        Ok("random") => RngSeed::Random,
        Ok(n) => n.parse().map(RngSeed::Fixed).unwrap_or(RngSeed::Fixed(2026)),
        Err(_) => RngSeed::Fixed(2026),
    };
    Config {
        cases,
        rng_seed,
        // Every case is a whole simulation: shrink, but not forever.
        max_shrink_iters: 64,
        // A failing case is printed (with its scenario file) rather than saved.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Which broker a fault hits: one by name, or whichever leads a partition when it fires.
#[derive(Clone, Debug)]
enum Target {
    Broker(u32),
    Leader(i32),
}

/// One fault with its end: at most one broker is down or cut off during an episode, and
/// episodes do not overlap.
#[derive(Clone, Debug)]
enum Episode {
    Crash {
        target: Target,
        lose_unflushed: bool,
    },
    Pause(Target),
    /// The broker is cut off from everyone else (controller and clients included).
    Isolate(u32),
}

#[derive(Clone, Debug)]
struct Step {
    /// Quiet time before the episode starts.
    gap_ms: u64,
    /// How long the broker stays down or cut off.
    down_ms: u64,
    episode: Episode,
}

/// A cluster, a workload and a schedule to run.
#[derive(Clone, Debug)]
struct Case {
    seed: u64,
    brokers: u32,
    partitions: i32,
    messages_per_sec: u32,
    steps: Vec<Step>,
}

fn target(brokers: u32, partitions: i32) -> impl Strategy<Value = Target> {
    prop_oneof![(1..=brokers).prop_map(Target::Broker), (0..partitions).prop_map(Target::Leader)]
}

/// Episodes of crash (plain, or power loss with `power_loss`), pause and isolation.
fn episode(brokers: u32, partitions: i32, power_loss: bool) -> impl Strategy<Value = Episode> {
    prop_oneof![
        3 => target(brokers, partitions).prop_map(move |target| Episode::Crash { target, lose_unflushed: power_loss }),
        1 => target(brokers, partitions).prop_map(Episode::Pause),
        1 => (1..=brokers).prop_map(Episode::Isolate),
    ]
}

/// `min_gap_ms`: the least quiet time between two episodes.
fn case(power_loss: bool, min_gap_ms: u64) -> impl Strategy<Value = Case> {
    (3u32..=4, 1i32..=3, 20u32..=100, 0u64..1000).prop_flat_map(move |(brokers, partitions, rate, seed)| {
        let step = (min_gap_ms..min_gap_ms + 3000, 50u64..3000, episode(brokers, partitions, power_loss))
            .prop_map(|(gap_ms, down_ms, episode)| Step { gap_ms, down_ms, episode });
        prop::collection::vec(step, 0..6).prop_map(move |steps| Case {
            seed,
            brokers,
            partitions,
            messages_per_sec: rate,
            steps,
        })
    })
}

fn fault(at_ms: u64, kind: &str, extra: &str) -> String {
    format!("\n[[faults]]\nat_ms = {at_ms}\nkind = \"{kind}\"\n{extra}")
}

impl Case {
    fn node(target: &Target) -> String {
        match target {
            Target::Broker(b) => format!("node = \"broker-{b}\"\n"),
            Target::Leader(p) => format!("node = \"leader:orders-{p}\"\n"),
        }
    }

    /// The end of an episode: a named broker comes back; a leader picked by role could be any
    /// broker, so every broker is restarted or resumed (a no-op for those that are up).
    fn ends(&self, at_ms: u64, kind: &str, target: &Target) -> String {
        match target {
            Target::Broker(_) => fault(at_ms, kind, &Self::node(target)),
            Target::Leader(_) => {
                (1..=self.brokers).map(|b| fault(at_ms, kind, &format!("node = \"broker-{b}\"\n"))).collect()
            }
        }
    }

    fn faults(&self) -> (String, u64) {
        let mut text = String::new();
        let mut at_ms = 0;
        for step in &self.steps {
            at_ms += step.gap_ms;
            let end_ms = at_ms + step.down_ms;
            match &step.episode {
                Episode::Crash { target, lose_unflushed } => {
                    let power = if *lose_unflushed { "lose_unflushed = true\n" } else { "" };
                    text.push_str(&fault(at_ms, "crash", &format!("{}{power}", Self::node(target))));
                    text.push_str(&self.ends(end_ms, "restart", target));
                }
                Episode::Pause(target) => {
                    text.push_str(&fault(at_ms, "pause", &Self::node(target)));
                    text.push_str(&self.ends(end_ms, "resume", target));
                }
                Episode::Isolate(b) => {
                    let others: Vec<String> = (1..=self.brokers)
                        .filter(|o| o != b)
                        .map(|o| format!("\"broker-{o}\""))
                        .chain(["\"controller-1\"".to_string()])
                        .collect();
                    let groups = format!("groups = [[\"broker-{b}\"], [{}]]\n", others.join(", "));
                    // Clients are unlisted: they stay with the majority.
                    text.push_str(&fault(at_ms, "partition", &groups));
                    text.push_str(&fault(end_ms, "heal", ""));
                }
            }
            at_ms = end_ms;
        }
        (text, at_ms)
    }

    /// The scenario file for this case; `cluster`, `topic` and `producer` are extra config lines.
    fn scenario(&self, name: &str, cluster: &str, topic: &str, producer: &str) -> String {
        let (faults, last_ms) = self.faults();
        format!(
            r#"name = "{name}"
seed = {seed}
duration_ms = {duration_ms}
settle_ms = 20000

[cluster]
brokers = {brokers}

[cluster.config]
"replica.lag.time.max.ms" = 5000
{cluster}

[network]
latency_ms = [1, 5]

[[topics]]
name = "orders"
partitions = {partitions}
replication_factor = 3

[topics.config]
{topic}

[[producers]]
name = "p1"
topic = "orders"
messages_per_sec = {rate}
keys = 10

[producers.config]
{producer}

[[consumer_groups]]
group = "audit"
topics = ["orders"]
members = 1

[consumer_groups.config]
"auto.offset.reset" = "earliest"
{faults}"#,
            seed = self.seed,
            duration_ms = (last_ms + 1000).max(3000),
            brokers = self.brokers,
            partitions = self.partitions,
            rate = self.messages_per_sec,
        )
    }
}

fn run(text: &str) -> Result<RunReport, TestCaseError> {
    let (_, scenario) =
        parse_scenario("property.toml", text).map_err(|e| TestCaseError::fail(format!("{}\n{text}", e.render())))?;
    let seed = scenario.seed.unwrap_or(1);
    execute(&scenario, seed).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))
}

fn found(report: &RunReport, check: &str) -> usize {
    report.verdicts.iter().find(|v| v.name == check).map_or(0, |v| v.count)
}

/// Fails the case when any of `checks` found something, with the checks table and the file.
fn assert_none(report: &RunReport, checks: &[&str], text: &str) -> Result<(), TestCaseError> {
    let violated: Vec<&str> = checks.iter().copied().filter(|c| found(report, c) > 0).collect();
    if violated.is_empty() {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "{} found:\n{}\nthe scenario (save it and `kafkasim run` it):\n{text}",
            violated.join(", "),
            render_checks(report)
        )))
    }
}

const DURABLE_CLUSTER: &str = "\"unclean.leader.election.enable\" = false";
const MIN_ISR_2: &str = "\"min.insync.replicas\" = 2";
const ACKS_ALL: &str = "acks = \"all\"\n\"enable.idempotence\" = true";

proptest! {
    #![proptest_config(config(cases()))]

    /// acks=all, RF 3, min.insync.replicas=2, no unclean election, one broker down or cut off
    /// at a time: nothing acknowledged is lost.
    #[test]
    fn acks_all_min_isr_2_loses_nothing(case in case(false, 500)) {
        let text = case.scenario("property-acks-all", DURABLE_CLUSTER, MIN_ISR_2, ACKS_ALL);
        let report = run(&text)?;
        assert_none(&report, &["lost-write", "committed-data-loss"], &text)?;
    }

    /// The same clusters and schedules: after healing, every replica converges (same log, full
    /// ISR). This property found a liveness bug (a follower kept an empty epoch and never caught
    /// up; `regression_a_leader_that_appended_nothing_in_its_epoch_catches_up_as_a_follower` in
    /// tests/sweep.rs).
    #[test]
    fn acks_all_min_isr_2_converges_after_healing(case in case(false, 500)) {
        let text = case.scenario("property-acks-all-converged", DURABLE_CLUSTER, MIN_ISR_2, ACKS_ALL);
        let report = run(&text)?;
        assert_none(&report, &["converged"], &text)?;
    }

    /// The same with power losses: a crashed broker also loses what it never fsynced (Kafka
    /// relies on replication, not fsync). Power losses are one broker at a time, and the next
    /// fault waits long enough (5 s) for the restarted broker to catch up from the leader.
    #[test]
    fn acks_all_min_isr_2_survives_a_power_loss_of_any_single_broker(case in case(true, 5000)) {
        let text = case.scenario("property-power-loss", DURABLE_CLUSTER, MIN_ISR_2, ACKS_ALL);
        let report = run(&text)?;
        assert_none(&report, &["lost-write", "committed-data-loss"], &text)?;
    }

}

/// The idempotent producer retries (a short request.timeout.ms makes it retry often) without
/// writing a record twice or out of order. Also counts the cases that did retry: a property
/// that never exercised a retry would prove nothing.
#[test]
fn idempotent_producer_writes_no_duplicates_and_keeps_order_under_retries() {
    let producer = format!("{ACKS_ALL}\n\"request.timeout.ms\" = 1000\n\"retry.backoff.ms\" = 50");
    let retried = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(config(cases()));
    let outcome = runner.run(&case(false, 500), |case| {
        let text = case.scenario("property-idempotence", DURABLE_CLUSTER, MIN_ISR_2, &producer);
        let report = run(&text)?;
        if report.history.entries.iter().any(|e| matches!(e.event, Event::ProduceError { .. })) {
            retried.set(retried.get() + 1);
        }
        assert_none(&report, &["duplicate", "nonmonotonic-send"], &text)
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    assert!(retried.get() > 0, "no case made the producer retry: the property was not exercised");
}

/// `text` with p1 made a transactional consume-transform-produce application (transactions of
/// `records` records, a share `abort_ratio` aborted, reading `orders` inside each) and the group
/// reading with `isolation.level = read_committed`.
fn transactional(text: &str, records: u64, abort_ratio: f64) -> String {
    let workload = format!(
        "keys = 10\nread_topics = [\"orders\"]\ntransaction_records = {records}\nabort_ratio = {abort_ratio:?}\n"
    );
    let replaced = text
        .replacen("keys = 10\n", &workload, 1)
        .replacen("[producers.config]\n", "[producers.config]\n\"transactional.id\" = \"orders-tx\"\n", 1)
        .replacen(
            "\"auto.offset.reset\" = \"earliest\"\n",
            "\"auto.offset.reset\" = \"earliest\"\n\"isolation.level\" = \"read_committed\"\n",
            1,
        );
    let changed = ["read_topics", "transactional.id", "isolation.level"].iter().all(|k| replaced.contains(k));
    assert!(changed, "the scenario template changed:\n{text}");
    replaced
}

/// Values of aborted transactions that some replica appended: what read_committed must skip.
fn aborted_in_the_log(report: &RunReport) -> usize {
    let aborted: std::collections::BTreeSet<_> = report
        .history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::TxnAborted { values, .. } => Some(values.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect();
    let appended = report.history.entries.iter().filter_map(|e| match &e.event {
        Event::Appended { values, .. } => Some(values.iter().filter(|v| aborted.contains(v))),
        _ => None,
    });
    appended.flatten().collect::<std::collections::BTreeSet<_>>().len()
}

/// read_committed consumers never see a record of an aborted transaction (no `G1a`), whatever
/// the transaction sizes, abort ratio, cluster and one-broker-at-a-time faults; neither does the
/// transactional producer's own read_committed reader. Counts the cases whose logs held aborted
/// records: a property that never had any would prove nothing.
#[test]
fn read_committed_never_sees_aborted_records() {
    let cluster = format!("{DURABLE_CLUSTER}\n\"transaction.state.log.num.partitions\" = 3");
    let cases_with_aborts = std::cell::Cell::new(0);
    let strategy = (case(false, 500), 1u64..=30, 0.0f64..=0.6);
    let mut runner = TestRunner::new(config(cases()));
    let outcome = runner.run(&strategy, |(case, records, abort_ratio)| {
        let plain = case.scenario("property-read-committed", &cluster, MIN_ISR_2, ACKS_ALL);
        let text = transactional(&plain, records, abort_ratio);
        let report = run(&text)?;
        if aborted_in_the_log(&report) > 0 {
            cases_with_aborts.set(cases_with_aborts.get() + 1);
        }
        assert_none(&report, &["G1a"], &text)
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    println!("{} of {} case(s) had aborted records in the log", cases_with_aborts.get(), cases());
    assert!(cases_with_aborts.get() > 0, "no case had aborted records in the log: the property was not exercised");
}

/// acks=1 is a trade: a leader acknowledges before any follower has the record, so a leader
/// crash can lose acknowledged writes. Search cluster, workload and leader-crash schedules for
/// a losing one; it must exist (and is shrunk, then printed).
#[test]
fn acks_1_with_leader_crashes_can_lose_acknowledged_writes() {
    let crashes = (3u32..=4, 1i32..=3, 50u32..=200, 0u64..1000, prop::collection::vec((500u64..3000, 0i32..3), 1..4))
        .prop_map(|(brokers, partitions, rate, seed, crashes)| Case {
            seed,
            brokers,
            partitions,
            messages_per_sec: rate,
            steps: crashes
                .into_iter()
                .map(|(gap_ms, p)| Step {
                    gap_ms,
                    down_ms: 2000,
                    episode: Episode::Crash { target: Target::Leader(p % partitions), lose_unflushed: false },
                })
                .collect(),
        });
    let mut runner = TestRunner::new(config(cases().max(64)));
    let outcome = runner.run(&crashes, |case| {
        let text = case.scenario("property-acks-1", "", "", "acks = \"1\"\n\"enable.idempotence\" = false");
        let report = run(&text)?;
        if found(&report, "lost-write") > 0 {
            Err(TestCaseError::fail(format!("{} lost writes:\n{text}", found(&report, "lost-write"))))
        } else {
            Ok(())
        }
    });
    match outcome {
        Err(TestError::Fail(why, case)) => {
            println!("a losing acks=1 schedule (shrunk): {case:?}\n{why}");
        }
        other => panic!("no acks=1 leader-crash schedule lost an acknowledged write: {other:?}"),
    }
}
