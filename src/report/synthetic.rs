//! A synthetic history generator for measuring plot speed on a big run, and the measurement.
//!
//! `cargo test --release --lib report::synthetic -- --ignored --nocapture` prints how long the
//! plots of a ten-minute run at 50,000 records/s take (no assertion on time: machines differ).

use super::tests::tp;
use super::*;
use crate::history::{Election, Entry, Event, PolledPartition, RunMeta, TopicMeta, TruncationCause};
use crate::protocol::types::{BrokerId, NodeId, Offset, SimTime, ValueId};
use std::time::Instant;

pub struct Spec {
    pub workload_ms: SimTime,
    pub settle_ms: SimTime,
    pub records_per_s: u64,
    pub partitions: i32,
    /// broker-2 is down over this interval; its partitions move to broker-3.
    pub crash_ms: (SimTime, SimTime),
}

const TICK_MS: SimTime = 10;
const PRODUCER: NodeId = NodeId::Client(0);

/// Three brokers, one producer, three consumers of one group; each tick of 10 ms the producer
/// sends `records_per_s / 100` records spread over the partitions, leaders append and followers
/// copy them, the high watermark advances, the sends are acked and the consumers poll the
/// previous tick's records. broker-2 crashes and returns, truncating two records per partition
/// it led.
pub fn history(spec: &Spec) -> History {
    let brokers = [1u32, 2, 3];
    let per_tick = (spec.records_per_s * TICK_MS / 1000) as usize;
    let partitions = spec.partitions as usize;
    let tps: Vec<TopicPartition> = (0..spec.partitions).map(tp).collect();
    let consumers = [NodeId::Client(1), NodeId::Client(2), NodeId::Client(3)];
    let leader_of = |p: usize, t: SimTime| -> u32 {
        let preferred = brokers[p % 3];
        if preferred == 2 && t >= spec.crash_ms.0 + 6_000 {
            3
        } else {
            preferred
        }
    };
    let ticks = spec.workload_ms / TICK_MS;
    let mut entries = Vec::with_capacity((ticks as usize) * (per_tick * 2 + partitions * 8 + 8));
    let mut push = |time_ms, node, event| entries.push(Entry { time_ms, node, event });
    for (p, tp) in tps.iter().enumerate() {
        push(
            0,
            NodeId::Controller(1),
            Event::PartitionChanged {
                tp: tp.clone(),
                replicas: brokers.iter().map(|b| BrokerId(*b)).collect(),
                leader: Some(BrokerId(leader_of(p, 0))),
                leader_epoch: 0,
                partition_epoch: 0,
                isr: brokers.iter().map(|b| BrokerId(*b)).collect(),
                election: Some(Election::Initial),
            },
        );
    }
    let mut log_end: Vec<Offset> = vec![0; partitions];
    let mut previous: Vec<Vec<(Offset, ValueId)>> = vec![Vec::new(); partitions];
    let mut sequence = 0u64;
    let mut crash_log_end: Vec<Offset> = vec![0; partitions];
    let down = |t: SimTime| t >= spec.crash_ms.0 && t < spec.crash_ms.1;
    for tick in 0..ticks {
        let t = tick * TICK_MS;
        if t == spec.crash_ms.0 {
            crash_log_end.clone_from(&log_end);
            push(t, NodeId::Controller(0), Event::Fault { kind: "crash".into(), detail: "broker-2 crashed".into() });
        }
        if t == spec.crash_ms.0 + 6_000 || t == spec.crash_ms.1 + 2_000 {
            let shrink = t < spec.crash_ms.1;
            for (p, tp) in tps.iter().enumerate() {
                let moved = brokers[p % 3] == 2;
                let isr = if shrink { vec![1, 3] } else { vec![1, 2, 3] };
                push(
                    t,
                    NodeId::Controller(1),
                    Event::PartitionChanged {
                        tp: tp.clone(),
                        replicas: brokers.iter().map(|b| BrokerId(*b)).collect(),
                        leader: Some(BrokerId(leader_of(p, t))),
                        leader_epoch: i32::from(moved),
                        partition_epoch: if shrink { 1 } else { 2 },
                        isr: isr.into_iter().map(BrokerId).collect(),
                        election: (moved && shrink).then_some(Election::Clean),
                    },
                );
            }
        }
        if t == spec.crash_ms.1 {
            push(
                t,
                NodeId::Controller(0),
                Event::Fault { kind: "restart".into(), detail: "broker-2 restarted".into() },
            );
            for (p, tp) in tps.iter().enumerate() {
                if brokers[p % 3] == 2 {
                    push(
                        t,
                        NodeId::broker(2),
                        Event::Truncated {
                            tp: tp.clone(),
                            offset: crash_log_end[p] - 2,
                            removed: vec![(crash_log_end[p] - 2, ValueId { producer: 9, sequence: 0 }); 2],
                            cause: TruncationCause::LeaderEpoch,
                        },
                    );
                }
            }
        }
        // Sends.
        let mut batches: Vec<Vec<ValueId>> = vec![Vec::with_capacity(per_tick / partitions + 1); partitions];
        for k in 0..per_tick {
            let value = ValueId { producer: 0, sequence };
            sequence += 1;
            push(t, PRODUCER, Event::SendInvoked { tp: tps[k % partitions].clone(), key: None, value });
            batches[k % partitions].push(value);
        }
        // Appends, leader then followers.
        for (p, values) in batches.iter().enumerate() {
            let leader = leader_of(p, t);
            for (step, broker) in
                [(2, leader)].into_iter().chain(brokers.iter().filter(|b| **b != leader).map(|b| (4, *b)))
            {
                if broker == 2 && down(t) {
                    continue;
                }
                push(
                    t + step,
                    NodeId::broker(broker),
                    Event::Appended {
                        tp: tps[p].clone(),
                        base_offset: log_end[p],
                        leader_epoch: 0,
                        values: values.clone(),
                        control: None,
                        as_leader: broker == leader,
                    },
                );
            }
        }
        for (p, values) in batches.iter().enumerate() {
            let end = log_end[p] + values.len() as Offset;
            for broker in brokers {
                if broker == 2 && down(t) {
                    continue;
                }
                let is_leader = broker == leader_of(p, t);
                push(
                    t + 5,
                    NodeId::broker(broker),
                    Event::HighWatermark { tp: tps[p].clone(), high_watermark: end, is_leader },
                );
            }
        }
        for (p, values) in batches.iter().enumerate() {
            for (i, value) in values.iter().enumerate() {
                let offset = Some(log_end[p] + i as Offset);
                push(t + 6, PRODUCER, Event::SendAcked { tp: tps[p].clone(), value: *value, offset });
            }
        }
        // Polls of the records not yet read: consumer c holds partitions p with p % 3 == c, and
        // cannot fetch from a partition whose leader is down.
        for (c, consumer) in consumers.iter().enumerate() {
            let polled: Vec<PolledPartition> = (0..partitions)
                .filter(|p| p % consumers.len() == c && !(leader_of(*p, t) == 2 && down(t)))
                .map(|p| PolledPartition { tp: tps[p].clone(), records: std::mem::take(&mut previous[p]) })
                .collect();
            push(t + 8, *consumer, Event::Polled { partitions: polled, generation: None });
        }
        for (p, values) in batches.into_iter().enumerate() {
            let base = log_end[p];
            log_end[p] += values.len() as Offset;
            previous[p].extend(values.into_iter().enumerate().map(|(i, v)| (base + i as Offset, v)));
        }
    }
    push(spec.workload_ms, NodeId::Controller(0), Event::Phase { name: "settle".into() });
    let mut nodes: Vec<(NodeId, String)> =
        brokers.iter().map(|b| (NodeId::broker(*b), format!("broker-{b}"))).collect();
    nodes.push((PRODUCER, "p1".into()));
    for (i, consumer) in consumers.iter().enumerate() {
        nodes.push((*consumer, format!("analytics-{}", i + 1)));
    }
    History {
        meta: RunMeta {
            scenario: "synthetic".into(),
            nodes,
            topics: vec![TopicMeta {
                name: "orders".into(),
                partitions: spec.partitions,
                replication_factor: 3,
                configs: vec![],
            }],
            workload_end_ms: spec.workload_ms,
            end_ms: spec.workload_ms + spec.settle_ms,
            ..RunMeta::default()
        },
        entries,
        ..History::default()
    }
}

#[test]
fn a_small_synthetic_run_plots_every_figure() {
    let spec =
        Spec { workload_ms: 20_000, settle_ms: 5_000, records_per_s: 2_000, partitions: 6, crash_ms: (5_000, 12_000) };
    let history = history(&spec);
    let dir = tempfile::tempdir().unwrap();
    let files = render_plots(&history, dir.path(), &PlotOptions::default()).unwrap();
    assert_eq!(files.len(), 8);
    let data = compute(&history, &PlotOptions::default()).unwrap();
    assert_eq!(data.unseen.acked_total, 40_000);
    assert_eq!(data.isr.under_replicated_at(11_000), 6);
    assert_eq!(data.lag.series.len(), 6);
    if let Ok(keep) = std::env::var("KAFKASIM_PLOTS_DIR") {
        render_plots(&history, &Path::new(&keep).join("synthetic"), &PlotOptions::default()).unwrap();
    }
}

/// Prints the time to plot a ten-minute run at 50,000 records/s (`KAFKASIM_SYNTH_SECONDS`
/// changes the length).
#[test]
#[ignore = "a measurement, not a test: run with --release --ignored --nocapture"]
fn plot_time_of_a_ten_minute_run_at_50k_records_per_s() {
    let seconds: u64 = std::env::var("KAFKASIM_SYNTH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    let spec = Spec {
        workload_ms: seconds * 1_000,
        settle_ms: 30_000,
        records_per_s: 50_000,
        partitions: 6,
        crash_ms: (seconds * 1_000 / 3, seconds * 1_000 / 3 + 30_000),
    };
    let started = Instant::now();
    let history = history(&spec);
    println!(
        "generated {} entries ({} bytes each) in {:.2?}",
        history.entries.len(),
        std::mem::size_of::<Entry>(),
        started.elapsed()
    );
    // The floor: one pass that only reads each entry's time and kind.
    let started = Instant::now();
    let polls = history.entries.iter().filter(|e| matches!(e.event, Event::Polled { .. })).count();
    let last_ms = history.entries.iter().map(|e| e.time_ms).max().unwrap_or(0);
    println!("an empty pass over the entries ({polls} polls, last at {last_ms} ms): {:.2?}", started.elapsed());
    let dir = tempfile::tempdir().unwrap();
    let options = PlotOptions::default();
    for round in 1..=3 {
        let started = Instant::now();
        let data = compute(&history, &options).unwrap();
        let computed = started.elapsed();
        let files = render_data(&data, dir.path(), &options).unwrap();
        let total = started.elapsed();
        println!(
            "round {round}: {} plots, {} buckets of {} ms: series in {computed:.2?}, drawing in {:.2?}, total {total:.2?}",
            files.len(),
            data.buckets.count,
            data.buckets.bucket_ms,
            total - computed
        );
    }
    if let Ok(keep) = std::env::var("KAFKASIM_PLOTS_DIR") {
        render_plots(&history, Path::new(&keep), &options).unwrap();
    }
}
