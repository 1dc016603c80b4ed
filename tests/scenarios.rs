//! Every scenario in `scenarios/` meets the expectations it declares, and replays to the same
//! trace hash with the same seed. Some scenarios also get assertions about what they teach.

use kafkasim::history::{Election, Event, History, TruncationCause};
use kafkasim::lab::consumer_groups::describe_group_at;
use kafkasim::lab::partition_spread::acked_per_partition;
use kafkasim::lab::producer_metrics::producer_metrics;
use kafkasim::lab::rebalances::rebalances;
use kafkasim::lab::run::{execute, render_checks, RunReport};
use kafkasim::protocol::errors::ErrorCode;
use kafkasim::protocol::producer::metrics::ProducerMetricRates;
use kafkasim::protocol::producer::partitioner::partition_for_key;
use kafkasim::protocol::types::{BrokerId, NodeId, SimTime as SimTimeMs, TopicName, ValueId};
use kafkasim::scenario::{self, Scenario};
use std::collections::{BTreeMap, BTreeSet};
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

/// How many writes were acknowledged strictly between `from_ms` and `to_ms`.
fn acked_between(history: &History, from_ms: SimTimeMs, to_ms: SimTimeMs) -> usize {
    let acked = |e: &&kafkasim::history::Entry| matches!(e.event, Event::SendAcked { .. });
    history.entries.iter().filter(|e| e.time_ms > from_ms && e.time_ms < to_ms).filter(acked).count()
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
    // The producer, cut off from the old leader, finds the new one long before the heal at 60 s
    // (it rebootstraps when the only broker its metadata names stops answering).
    let acked_to_new_leader = acked_between(&report.history, 30_000, 60_000);
    assert!(acked_to_new_leader > 1000, "only {acked_to_new_leader} writes acknowledged between 30 s and 60 s");
}

#[test]
fn kip101_truncation_to_the_high_watermark_loses_writes() {
    check_scenario("kip101-truncate-to-hw");
}

#[test]
fn kip101_truncation_by_leader_epoch_does_not() {
    check_scenario("kip101-truncate-by-leader-epoch");
}

/// What each consumer group read at each offset of payments-0 (node names `<group>-<n>`).
fn offsets_read_by_group(history: &History) -> BTreeMap<String, BTreeMap<i64, ValueId>> {
    let mut by_group: BTreeMap<String, BTreeMap<i64, ValueId>> = BTreeMap::new();
    for entry in &history.entries {
        if let Event::Polled { partitions, .. } = &entry.event {
            let name = history.node_name(entry.node);
            let group = name.rsplit_once('-').map_or(name.as_str(), |(g, _)| g).to_string();
            for p in partitions.iter().filter(|p| &*p.tp.topic == "payments") {
                by_group.entry(group.clone()).or_default().extend(p.records.iter().copied());
            }
        }
    }
    by_group
}

/// Offsets of payments-0 where the ledger and audit groups read different records.
fn offsets_read_differently(history: &History) -> Vec<i64> {
    let groups = offsets_read_by_group(history);
    let (ledger, audit) = (&groups["ledger"], &groups["audit"]);
    ledger.iter().filter(|(o, v)| audit.get(*o).is_some_and(|a| a != *v)).map(|(o, _)| *o).collect()
}

/// broker-1's truncations of payments-0 after it restarts at 36 s: (offset, records removed).
fn broker_1_truncations_after_restart(history: &History) -> Vec<(i64, usize, TruncationCause)> {
    history
        .entries
        .iter()
        .filter(|e| e.time_ms >= 36_000 && e.node == NodeId::Broker(BrokerId(1)))
        .filter_map(|e| match &e.event {
            Event::Truncated { tp, offset, removed, cause } if &*tp.topic == "payments" => {
                Some((*offset, removed.len(), *cause))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn kip279_fast_failovers_diverge_with_the_kip101_answer() {
    let report = check_scenario("kip279-fast-failover-diverges");
    let unclean = report.history.entries.iter().any(|e| {
        matches!(&e.event, Event::PartitionChanged { election: Some(kafkasim::history::Election::Unclean), .. })
    });
    assert!(!unclean, "every election in zoo #4 is clean");
    assert_eq!(
        broker_1_truncations_after_restart(&report.history),
        vec![],
        "with the KIP-101 answer broker-1 keeps its epoch-2 records"
    );
    let differ = offsets_read_differently(&report.history);
    assert!(!differ.is_empty(), "the two groups must read different records at some offset");
    assert!(differ.len() <= 5, "only the records of the 5 in-flight requests diverge: {differ:?}");
}

#[test]
fn kip279_fixes_the_fast_failover_divergence() {
    let report = check_scenario("kip279-fast-failover-fixed");
    let truncations = broker_1_truncations_after_restart(&report.history);
    assert!(
        matches!(truncations.as_slice(), [(_, removed, TruncationCause::LeaderEpoch | TruncationCause::DivergingEpoch)] if *removed > 0),
        "broker-1 drops its unreplicated epoch-2 records once: {truncations:?}"
    );
    assert_eq!(offsets_read_differently(&report.history), Vec::<i64>::new());
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

#[test]
fn group_scale_out_rebalances_as_members_join_and_lag_drains() {
    let report = check_scenario("group-scale-out");
    let summaries = rebalances(&report.history);
    let generations: Vec<usize> = summaries[0].rebalances.iter().map(|r| r.members).collect();
    assert_eq!(generations, vec![1, 2, 3], "one rebalance per joining member");
    let end = describe_group_at(&report.history, "analytics", report.history.meta.end_ms);
    assert!(end.rows.iter().all(|r| r.lag() == Some(0)), "lag drains by the end: {:?}", end.rows);
}

#[test]
fn assignor_comparison_sticky_assignors_move_less_than_range() {
    let report = check_scenario("assignor-comparison");
    let moved = |group: &str| -> usize {
        rebalances(&report.history)
            .iter()
            .find(|g| g.group == group)
            .map(|g| g.rebalances.iter().map(|r| r.moved).sum())
            .unwrap()
    };
    assert!(moved("sticky") <= moved("range"), "sticky {} vs range {}", moved("sticky"), moved("range"));
    assert!(moved("cooperative") <= moved("roundrobin"));
}

#[test]
fn a_crashed_consumer_is_replaced_after_its_session_times_out() {
    let report = check_scenario("consumer-crash-rebalance");
    let generations = rebalances(&report.history)[0].rebalances.iter().map(|r| r.members).collect::<Vec<_>>();
    assert!(generations.windows(2).any(|w| w == [3, 2]), "the group shrinks when the session expires: {generations:?}");
}

#[test]
fn a_slow_consumer_leaves_the_group_after_max_poll_interval() {
    let report = check_scenario("slow-consumer-lag-spike");
    let left = report
        .history
        .entries
        .iter()
        .any(|e| matches!(&e.event, Event::LeftGroup { reason } if reason.contains("max.poll.interval.ms")));
    assert!(left, "the slow member must leave for exceeding max.poll.interval.ms");
}

#[test]
fn a_zombie_consumers_commit_is_refused_but_its_work_is_duplicated() {
    let report = check_scenario("zombie-consumer-duplicates");
    let refused = report.history.entries.iter().any(|e| {
        matches!(&e.event, Event::OffsetCommitFailed { error, .. } if matches!(error, ErrorCode::UnknownMemberId | ErrorCode::IllegalGeneration))
    });
    assert!(refused, "the thawed zombie's commit is refused");
}

#[test]
fn at_most_once_skips_what_the_crashed_member_was_processing() {
    let report = check_scenario("auto-commit-at-most-once-loss");
    let lost = report.outcomes.iter().find(|o| o.name == "lost-write").unwrap();
    assert!(lost.findings[0].message.contains("consumers skipped it"), "{}", lost.findings[0].message);
}

#[test]
fn coordinator_failover_loses_no_committed_progress() {
    let report = check_scenario("coordinator-failover");
    let crash = report
        .history
        .entries
        .iter()
        .find(
            |e| matches!(&e.event, Event::Fault { detail, .. } if detail.contains("(coordinator:settlement) crashed")),
        )
        .expect("the scenario crashes the group's coordinator");
    let commits_after = report
        .history
        .entries
        .iter()
        .filter(|e| e.time_ms > crash.time_ms && matches!(e.event, Event::OffsetsCommitted { .. }))
        .count();
    assert!(commits_after > 0, "members find the new coordinator and keep committing");
    let end = describe_group_at(&report.history, "settlement", report.history.meta.end_ms);
    assert!(end.rows.iter().all(|r| r.lag() == Some(0)), "{:?}", end.rows);
}

/// Records the producers sent again after a failed attempt (their record-retry-total).
fn records_retried(report: &RunReport) -> u64 {
    report.history.final_state.producers.iter().map(|p| p.metrics.records_retried).sum()
}

fn producer_rates(report: &RunReport, name: &str) -> ProducerMetricRates {
    producer_metrics(&report.history).into_iter().find(|r| r.producer == name).expect("producer still running").rates
}

#[test]
fn each_partitioner_places_records_as_kafka_would() {
    let report = check_scenario("partitioning-strategies");
    let h = &report.history;
    for e in &h.entries {
        if let Event::SendInvoked { tp, key, value } = &e.event {
            let producer = h.producer_name(*value);
            let key = key.as_deref();
            match producer.as_str() {
                "keyed" => {
                    let key = key.expect("keyed records have keys");
                    assert_eq!(tp.partition, partition_for_key(key.as_bytes(), 6), "murmur2 of {key}");
                }
                "premium" => {
                    let key = key.expect("premium records have keys");
                    assert_eq!(tp.partition == 0, key.starts_with("premium_"), "{key} went to {}", tp.partition);
                }
                _ => assert!(key.is_none()),
            }
        }
    }
    let counts: BTreeMap<String, Vec<u64>> =
        acked_per_partition(h).remove(&TopicName::from("orders")).expect("acknowledged records").into_iter().collect();
    let round_robin = &counts["round-robin"];
    let (min, max) = (round_robin.iter().min().unwrap(), round_robin.iter().max().unwrap());
    assert!(max - min <= 1, "round-robin spreads evenly: {round_robin:?}");
    let keyed = &counts["keyed"];
    assert!(
        keyed.iter().max().unwrap() > &(2 * keyed.iter().min().unwrap()),
        "zipf keys make a hot partition: {keyed:?}"
    );
    assert!(
        producer_rates(&report, "sticky").batch_size_avg > 2.0 * producer_rates(&report, "round-robin").batch_size_avg,
        "sticky batches fill one partition at a time; round-robin splits every batch six ways"
    );
}

#[test]
fn lingering_fills_batches_and_compression_shrinks_them() {
    let report = check_scenario("batching-linger");
    let (eager, lingering, compressed) =
        (producer_rates(&report, "eager"), producer_rates(&report, "lingering"), producer_rates(&report, "compressed"));
    assert!(lingering.batch_size_avg > 3.0 * eager.batch_size_avg, "{lingering:?} vs {eager:?}");
    assert!(lingering.record_queue_time_avg > eager.record_queue_time_avg + 20.0, "lingering costs latency");
    assert_eq!(eager.compression_rate_avg, 1.0);
    assert!(compressed.compression_rate_avg < 0.5, "zstd over the generated values: {compressed:?}");
}

#[test]
fn a_retry_after_a_frozen_leader_duplicates_without_idempotence() {
    let report = check_scenario("retries-duplicate-without-idempotence");
    assert!(records_retried(&report) > 0, "the producer timed out and retried");
}

#[test]
fn the_idempotent_producer_retries_without_duplicating() {
    let report = check_scenario("idempotence-no-duplicates");
    assert!(records_retried(&report) > 0, "records were sent twice, and the broker kept one copy");
}

#[test]
fn retries_reorder_and_duplicate_without_idempotence_but_not_with_it() {
    check_scenario("retries-reorder-without-idempotence");
    let mut idempotent = load("retries-reorder-without-idempotence");
    for producer in &mut idempotent.producers {
        producer.config.enable_idempotence = true;
    }
    let seed = idempotent.seed.unwrap();
    let report = run(&idempotent, seed);
    for check in ["nonmonotonic-send", "duplicate", "lost-write"] {
        let outcome = report.outcomes.iter().find(|o| o.name == check).unwrap();
        assert_eq!(outcome.count, 0, "{check} with idempotence:\n{}", render_checks(&report));
    }
    assert!(records_retried(&report) > 0, "the same losses made the idempotent producer retry too");
}

/// The values of every transaction that ended the given way, by the producer node's name.
fn txn_values(history: &History, committed: bool) -> BTreeMap<String, Vec<ValueId>> {
    let mut out: BTreeMap<String, Vec<ValueId>> = BTreeMap::new();
    for e in &history.entries {
        match &e.event {
            Event::TxnCommitted { values, .. } if committed => {
                out.entry(history.node_name(e.node)).or_default().extend(values)
            }
            Event::TxnAborted { values, .. } if !committed => {
                out.entry(history.node_name(e.node)).or_default().extend(values)
            }
            _ => {}
        }
    }
    out
}

/// Values the members of `group` polled.
fn polled_by_group(history: &History, group: &str) -> BTreeSet<ValueId> {
    let members: BTreeSet<NodeId> =
        history.meta.consumers.iter().filter(|c| c.group.as_deref() == Some(group)).map(|c| c.node).collect();
    history
        .entries
        .iter()
        .filter(|e| members.contains(&e.node))
        .filter_map(|e| match &e.event {
            Event::Polled { partitions, .. } => Some(partitions.iter().flat_map(|p| p.records.iter().map(|(_, v)| *v))),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn read_committed_skips_aborted_transactions_that_read_uncommitted_sees() {
    let report = check_scenario("transactions-read-committed");
    let aborted: BTreeSet<ValueId> = txn_values(&report.history, false).into_values().flatten().collect();
    let committed: BTreeSet<ValueId> = txn_values(&report.history, true).into_values().flatten().collect();
    assert!(aborted.len() > 50 && committed.len() > 200, "{} aborted, {} committed", aborted.len(), committed.len());
    let read_committed = polled_by_group(&report.history, "committed");
    let read_uncommitted = polled_by_group(&report.history, "uncommitted");
    assert!(read_committed.is_disjoint(&aborted), "read_committed never sees an aborted record");
    assert!(committed.is_subset(&read_committed), "and sees every committed one");
    let seen_aborted = read_uncommitted.intersection(&aborted).count();
    assert!(seen_aborted > 50, "read_uncommitted reads aborted records too: {seen_aborted}");
    assert_eq!(
        kafkasim::check::uncommitted_reads_of_aborted(
            &report.history,
            &kafkasim::check::transactions::Transactions::from_history(&report.history)
        ),
        seen_aborted
    );
    // The coordinator's broker crashed: another broker took over __transaction_state-0, and
    // transactions committed after it did.
    let takeover = report.history.entries.iter().find_map(|e| match &e.event {
        Event::BecameLeader { tp, .. } if &*tp.topic == "__transaction_state" && e.time_ms > 10_000 => Some(e.time_ms),
        _ => None,
    });
    let takeover = takeover.expect("the coordinator moved");
    assert!(report
        .history
        .entries
        .iter()
        .any(|e| e.time_ms > takeover && matches!(e.event, Event::TxnCommitted { .. })));
}

#[test]
fn a_zombie_producer_is_fenced_and_its_open_transaction_never_becomes_visible() {
    let report = check_scenario("transactions-zombie-fenced");
    let fenced: Vec<(SimTimeMs, String)> = report
        .history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::TxnAborted { reason, .. } if reason.starts_with("fenced") => {
                Some((e.time_ms, report.history.node_name(e.node)))
            }
            _ => None,
        })
        .collect();
    assert!(
        matches!(&fenced[..], [(t, p)] if *t >= 12_000 && p == "p1"),
        "p1 learns it is fenced after it thaws: {fenced:?}"
    );
    let aborted = txn_values(&report.history, false);
    let zombie: BTreeSet<ValueId> = aborted["p1"].iter().copied().collect();
    assert!(!zombie.is_empty());
    assert!(polled_by_group(&report.history, "ledger").is_disjoint(&zombie), "the zombie's writes stay invisible");
    let committed = txn_values(&report.history, true);
    assert!(committed["p2"].len() >= 500, "the replacement commits: {}", committed["p2"].len());
}

/// Values of the aborted transactions that a partition leader appended after the transaction ended.
fn appended_after_abort(history: &History) -> usize {
    let mut aborted_at: BTreeMap<ValueId, u64> = BTreeMap::new();
    for e in &history.entries {
        if let Event::TxnAborted { values, .. } = &e.event {
            aborted_at.extend(values.iter().map(|v| (*v, e.time_ms)));
        }
    }
    history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Appended { values, as_leader: true, .. } => {
                Some(values.iter().filter(|v| aborted_at.get(v).is_some_and(|t| e.time_ms > *t)).count())
            }
            _ => None,
        })
        .sum()
}

#[test]
fn a_late_produce_lands_in_the_next_transaction_without_kip_890() {
    let report = check_scenario("transactions-late-produce-kip890-off");
    assert!(appended_after_abort(&report.history) > 0, "T1's produce was appended after its ABORT marker");
}

#[test]
fn kip_890_fences_the_late_produce() {
    let report = check_scenario("transactions-late-produce-kip890-on");
    assert_eq!(appended_after_abort(&report.history), 0, "the late produce was rejected");
    let aborted = txn_values(&report.history, false);
    assert!(!aborted["p1"].is_empty(), "the same abort happened");
}

#[test]
fn concurrent_transactions_interleave_in_the_log_yet_stay_atomic() {
    let report = check_scenario("transactions-concurrent-writers");
    let committed = txn_values(&report.history, true);
    assert!(committed["p1"].len() >= 500 && committed["p2"].len() >= 500, "both commit: {committed:?}");
    let audited = polled_by_group(&report.history, "audit");
    assert!(committed.values().flatten().all(|v| audited.contains(v)), "every committed record becomes visible");
    let skip = report.outcomes.iter().find(|o| o.name == "int-send-skip").expect("checked");
    assert!(skip.findings[0].message.contains(" from p"), "names the other writer: {}", skip.findings[0].message);
}

#[test]
fn transactions_that_read_and_write_form_information_cycles() {
    let report = check_scenario("transactions-read-write-cycle");
    let txns = kafkasim::check::transactions::Transactions::from_history(&report.history);
    let reads: Vec<ValueId> = txns.txns.iter().flat_map(|t| t.reads.iter().map(|(_, _, v)| *v)).collect();
    assert!(reads.len() > 1000, "the producers poll inside their transactions: {} reads", reads.len());
    let committed = |v: &ValueId| txns.writer.get(v).is_some_and(|t| txns.txns[*t].committed);
    assert!(reads.iter().all(committed), "read_committed: a transaction reads only committed records");
    let g1c = report.outcomes.iter().find(|o| o.name == "G1c").expect("checked");
    let cycle = &g1c.findings[0].message;
    assert!(cycle.contains("(wr)") && cycle.contains("(ww)"), "a read edge and a write edge: {cycle}");
}

/// The consumers of a `[[consumer_groups]]` entry: its group's members, or its assign-mode
/// readers (named `<group>-<n>`, in no group).
fn readers_of(history: &History, group: &str) -> BTreeSet<NodeId> {
    let prefix = format!("{group}-");
    let ours = |c: &&kafkasim::history::ClientMeta| c.group.as_deref() == Some(group) || c.name.starts_with(&prefix);
    history.meta.consumers.iter().filter(ours).map(|c| c.node).collect()
}

/// The offsets of `tp` that the consumers of `group` polled.
fn offsets_polled_by_group(history: &History, group: &str, topic: &str, partition: i32) -> BTreeSet<i64> {
    let members = readers_of(history, group);
    let mut offsets = BTreeSet::new();
    for entry in history.entries.iter().filter(|e| members.contains(&e.node)) {
        if let Event::Polled { partitions, .. } = &entry.event {
            for p in partitions.iter().filter(|p| &*p.tp.topic == topic && p.tp.partition == partition) {
                offsets.extend(p.records.iter().map(|(o, _)| *o));
            }
        }
    }
    offsets
}

#[test]
fn a_leader_that_drops_a_batch_from_consumer_fetches_makes_readers_skip_acknowledged_records() {
    let report = check_scenario("planted-fetch-drops-middle-batch");
    let finding = &findings(&report, "int-poll-skip")[0];
    let tp = finding.tp.as_ref().expect("names its partition");
    let polled = offsets_polled_by_group(&report.history, "readers", &tp.topic, tp.partition);
    assert!(!finding.offsets.is_empty() && finding.offsets.iter().all(|o| !polled.contains(o)), "{finding:?}");
    let acked: BTreeSet<i64> = report
        .history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::SendAcked { tp: t, offset: Some(o), .. } if t == tp => Some(*o),
            _ => None,
        })
        .collect();
    assert!(finding.offsets.iter().all(|o| acked.contains(o)), "the skipped records had been acknowledged");
}

#[test]
fn a_leader_that_reverses_consumer_fetches_garbles_the_order_but_loses_nothing() {
    let report = check_scenario("planted-fetch-reverses-batches");
    let backwards = report.outcomes.iter().find(|o| o.name == "int-nonmonotonic-poll").expect("checked");
    let [earlier, later] = backwards.findings[0].offsets[..] else {
        panic!("two offsets: {:?}", backwards.findings[0])
    };
    assert!(later < earlier, "a smaller offset after a larger one in one poll: {:?}", backwards.findings[0]);
    let acked: BTreeSet<ValueId> = report
        .history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::SendAcked { value, .. } => Some(*value),
            _ => None,
        })
        .collect();
    assert!(acked.is_subset(&polled_by_group(&report.history, "readers")), "every acknowledged record is read");
    // With no processing time the application polls again at once while records are buffered,
    // as a real poll loop does: one response is handed out max.poll.records (7) at a time in the
    // same simulated millisecond, so the reader keeps up with 400 records/s.
    let mut polls_at: BTreeMap<u64, usize> = BTreeMap::new();
    for entry in report.history.entries.iter().filter(|e| matches!(e.event, Event::Polled { .. })) {
        *polls_at.entry(entry.time_ms).or_default() += 1;
    }
    assert!(polls_at.values().any(|n| *n >= 3), "several polls per wake-up: {:?}", polls_at.values().max());
}

/// (position, diverging offset) of each truncation the consumers of `group` detected (KIP-320).
fn truncations_detected(history: &History, group: &str) -> Vec<(i64, i64)> {
    let members = readers_of(history, group);
    history
        .entries
        .iter()
        .filter(|e| members.contains(&e.node))
        .filter_map(|e| match &e.event {
            Event::LogTruncationDetected { position, diverging_offset, .. } => Some((*position, *diverging_offset)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_kip320_consumer_rereads_from_where_an_unclean_truncation_diverged() {
    let report = check_scenario("kip320-consumer-detects-truncation");
    let [(position, diverging)] = truncations_detected(&report.history, "readers")[..] else {
        panic!("one truncation detected: {:?}", truncations_detected(&report.history, "readers"))
    };
    assert!(diverging < position, "the log diverged below the position: {diverging} < {position}");
    let back = &findings(&report, "nonmonotonic-poll")[0];
    assert_eq!(backwards_offsets(back), (position - 1, diverging), "{back:?}");
    // The report's fault timeline says what the consumer did about it.
    let lines = kafkasim::report::document::fault_lines(&report.history);
    let detected = lines.iter().find(|l| l.kind == "truncation detected").expect("on the timeline");
    assert!(detected.detail.contains(&format!("reads on from offset {diverging}")), "{}", detected.detail);
}

#[test]
fn a_consumer_before_kip320_silently_skips_what_replaced_the_records_it_read() {
    let report = check_scenario("kip320-consumer-skips-truncated-records");
    assert!(truncations_detected(&report.history, "readers").is_empty(), "nothing validates its position");
    let lost = findings(&report, "lost-write");
    let polled = offsets_polled_by_group(&report.history, "readers", "events", 0);
    // Every lost record sits at an offset the reader did read, from the old leader's log.
    assert!(lost.iter().flat_map(|f| &f.offsets).all(|o| polled.contains(o)), "{:?}", lost[0]);
    assert!(lost[0].message.contains("diverged there"), "explained: {}", lost[0].message);
}

/// (read up to, read next) of a nonmonotonic-poll finding.
fn backwards_offsets(finding: &kafkasim::check::finding::Finding) -> (i64, i64) {
    match finding.offsets[..] {
        [previous, first] => (previous, first),
        _ => panic!("two offsets: {finding:?}"),
    }
}

/// A partition change as the controller recorded it: (leader, leader epoch, ISR, election).
type PartitionChange = (Option<u32>, i32, Vec<u32>, Option<Election>);

/// Each change the controller made to `tp`.
fn partition_changes(history: &History, tp: &str) -> Vec<PartitionChange> {
    history
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::PartitionChanged { tp: t, leader, leader_epoch, isr, election, .. } if t.to_string() == tp => {
                Some((leader.map(|b| b.0), *leader_epoch, isr.iter().map(|b| b.0).collect(), *election))
            }
            _ => None,
        })
        .collect()
}

/// The findings of check `check`.
fn findings<'a>(report: &'a RunReport, check: &str) -> &'a [kafkasim::check::Finding] {
    &report.outcomes.iter().find(|o| o.name == check).expect("every check runs").findings
}

/// The messages of the findings of check `name` about partition `tp`.
fn findings_on(report: &RunReport, name: &str, tp: &str) -> Vec<String> {
    findings(report, name)
        .iter()
        .filter(|f| f.tp.as_ref().is_some_and(|t| t.to_string() == tp))
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn an_unclean_election_that_keeps_the_isr_leaves_its_leader_outside_it() {
    let report = check_scenario("planted-unclean-election-keeps-isr");
    // events-0's ISR is {1} when broker-1 is fenced: broker-2 is elected uncleanly, and the ISR
    // stays {1} instead of becoming {2}.
    let changes = partition_changes(&report.history, "events-0");
    assert!(changes.contains(&(Some(2), 1, vec![1], Some(Election::Unclean))), "{changes:?}");
    assert_eq!(
        findings_on(&report, "leader-in-isr", "events-0"),
        vec!["events-0 epoch 1: leader 2 is not in its ISR [BrokerId(1)]".to_string()]
    );
    // That unclean election, the only one, is the only finding.
    let unclean = report
        .history
        .entries
        .iter()
        .filter(|e| matches!(e.event, Event::PartitionChanged { election: Some(Election::Unclean), .. }))
        .count();
    let outcome = report.outcomes.iter().find(|o| o.name == "leader-in-isr").expect("checked");
    assert_eq!((outcome.count, unclean), (1, 1));
    // With Kafka's ISR {2}, broker-2 commits at once (zoo #1 acknowledges over 1000 writes between
    // 30 s and 60 s); here its high watermark waits for broker-1, cut off until 60 s.
    assert_eq!(acked_between(&report.history, 27_200, 60_000), 0);
}

#[test]
fn a_leader_change_that_keeps_the_epoch_gives_two_leaders_one_epoch() {
    let report = check_scenario("planted-leader-change-keeps-epoch");
    let leaders: Vec<(Option<u32>, i32)> =
        partition_changes(&report.history, "events-0").into_iter().map(|(l, epoch, ..)| (l, epoch)).collect();
    assert_eq!(leaders, vec![(Some(1), 0), (Some(2), 0), (Some(2), 0)], "the ISR grows back in the last change");
    assert_eq!(
        findings_on(&report, "single-leader-per-epoch", "events-0"),
        vec![
            "the controller made both 1 and 2 leader of events-0 in epoch 0".to_string(),
            "brokers 1 and 2 both acted as leader of events-0 in epoch 0".to_string(),
        ]
    );
    // Back from its isolation, broker-1 asks where epoch 0 ends; broker-2, leading in epoch 0
    // too, answers with its own log end, so broker-1 truncates nothing.
    let broker_1_truncations = report
        .history
        .entries
        .iter()
        .filter(|e| e.node == NodeId::broker(1) && matches!(e.event, Event::Truncated { .. }))
        .count();
    assert_eq!(broker_1_truncations, 0);
}

#[test]
fn planted_high_watermark_follows_isr_minimum_moves_the_leaders_high_watermark_back() {
    let report = check_scenario("planted-high-watermark-follows-isr-minimum");
    let finding = &findings(&report, "monotonic-high-watermark")[0];
    let [from, to] = finding.offsets[..] else { panic!("previous and new high watermark: {finding:?}") };
    assert!(to < from && from > 1000, "a real regression of the leader's high watermark: {from} -> {to}");
    // The cause: the last follower that lost power before it came back with its log cut to `to`,
    // still in the ISR (metadata.version 3.9-IV0), and fetched from there.
    let at = finding.time_ms.expect("timed");
    let power_loss = report.history.entries.iter().filter(|e| e.time_ms < at).rev().find_map(|e| match &e.event {
        Event::Truncated { offset, cause: TruncationCause::PowerLoss, .. } => Some((e.node, *offset)),
        _ => None,
    });
    let (follower, kept) = power_loss.expect("a follower lost its unflushed tail first");
    assert_eq!(kept, to, "the high watermark fell to what {} kept", report.history.node_name(follower));
    assert!(!finding.nodes.contains(&report.history.node_name(follower)), "the leader moved back, not the follower");
}

#[test]
fn planted_assignor_overlaps_gives_two_members_one_partition() {
    let report = check_scenario("planted-assignor-overlaps");
    // range gives billing-1 orders-0,1, billing-2 orders-2,3, billing-3 orders-4,5; the planted
    // bug also gives each member's first partition to the next member, the last's to the first.
    let mut shared: Vec<(String, Vec<String>)> = findings(&report, "group-exclusive-assignment")
        .iter()
        .filter(|f| !f.nodes.is_empty()) // what members believed they own (Assigned)
        .map(|f| {
            let mut nodes = f.nodes.clone();
            nodes.sort();
            (f.tp.as_ref().expect("a partition").to_string(), nodes)
        })
        .collect();
    shared.sort();
    let pair = |tp: &str, a: &str, b: &str| (tp.to_string(), vec![a.to_string(), b.to_string()]);
    assert_eq!(
        shared,
        vec![
            pair("orders-0", "billing-1", "billing-2"),
            pair("orders-2", "billing-2", "billing-3"),
            pair("orders-4", "billing-1", "billing-3")
        ]
    );
    // Exactly the shared partitions are read twice by the group.
    let mut duplicated: Vec<String> =
        findings(&report, "duplicate").iter().map(|f| f.tp.as_ref().expect("a partition").to_string()).collect();
    duplicated.sort();
    assert_eq!(duplicated, ["orders-0", "orders-2", "orders-4"]);
}

/// Issue 5's bar: every checker is shown to fire for real. Each name here is declared
/// `expect = "some"` by a scenario, and the tests above hold every scenario to what it declares.
#[test]
fn every_checker_fires_in_some_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut fired: BTreeSet<String> = BTreeSet::new();
    for name in TESTED {
        let scenario = scenario::load(&dir.join(format!("{name}.toml"))).unwrap_or_else(|e| panic!("{}", e.render())).1;
        let some = scenario.checks.iter().filter(|c| c.expect == scenario::Expect::Some);
        fired.extend(some.map(|c| c.name.clone()));
    }
    let missing: Vec<&str> = kafkasim::check::names::all_checks().filter(|c| !fired.contains(*c)).collect();
    assert!(missing.is_empty(), "no scenario in scenarios/ expects these checkers to fire: {missing:?}");
}

/// Scenarios listed in the tests above; a new scenario file must be added here too.
const TESTED: &[&str] = &[
    "fault-tolerance",
    "acks-all-minisr2-survives",
    "unclean-election-loses",
    "kip101-truncate-to-hw",
    "kip101-truncate-by-leader-epoch",
    "kip279-fast-failover-diverges",
    "kip279-fast-failover-fixed",
    "acks1-leader-crash-loses-writes",
    "min-isr-not-enough-replicas",
    "group-scale-out",
    "assignor-comparison",
    "consumer-crash-rebalance",
    "slow-consumer-lag-spike",
    "zombie-consumer-duplicates",
    "auto-commit-at-most-once-loss",
    "coordinator-failover",
    "partitioning-strategies",
    "batching-linger",
    "retries-duplicate-without-idempotence",
    "idempotence-no-duplicates",
    "retries-reorder-without-idempotence",
    "transactions-read-committed",
    "transactions-zombie-fenced",
    "transactions-late-produce-kip890-off",
    "transactions-late-produce-kip890-on",
    "transactions-concurrent-writers",
    "transactions-read-write-cycle",
    "planted-fetch-drops-middle-batch",
    "planted-fetch-reverses-batches",
    "kip320-consumer-detects-truncation",
    "kip320-consumer-skips-truncated-records",
    "planted-unclean-election-keeps-isr",
    "planted-leader-change-keeps-epoch",
    "planted-high-watermark-follows-isr-minimum",
    "planted-assignor-overlaps",
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
