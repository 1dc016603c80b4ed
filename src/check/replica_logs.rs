//! Invariants over the replicas' logs, replayed from `Appended` / `Truncated` events (the "Log
//! Matching" and "no loss of committed data" properties of Kafka's TLA+ specifications):
//!
//! - log-matching: whenever a replica's high watermark moves, everything below it agrees with
//!   what the partition's leaders committed there.
//! - committed-data-loss: an offset a leader committed (moved its high watermark past) later
//!   holds something else, or is gone from the final leader's log (retention aside). This is
//!   the loss `acks=all` promises to prevent, and what zoo #2 and #6 break.

use super::finding::{CheckOutcome, Finding};
use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::BTreeMap;

/// What an offset of a replica's log holds: a record's value, or a transaction marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Value(ValueId),
    Marker(LeaderEpoch),
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Slot::Value(v) => write!(f, "{v}"),
            Slot::Marker(e) => write!(f, "a transaction marker (epoch {e})"),
        }
    }
}

#[derive(Default)]
struct Replay {
    logs: BTreeMap<(BrokerId, TopicPartition), BTreeMap<Offset, Slot>>,
    /// Per partition: what was committed at each offset, and when, by whom.
    committed: BTreeMap<TopicPartition, BTreeMap<Offset, (Slot, SimTime, BrokerId)>>,
    committed_up_to: BTreeMap<TopicPartition, Offset>,
    log_start: BTreeMap<(BrokerId, TopicPartition), Offset>,
    /// Per follower replica: the offsets below this were compared with what was committed
    /// since they last changed. Each high-watermark update compares only what is new, so the
    /// check stays linear in the history rather than in history × log length.
    follower_checked_up_to: BTreeMap<(BrokerId, TopicPartition), Offset>,
}

impl Replay {
    /// Offsets from `offset` on changed on a replica: they must be compared again.
    fn changed_from(&mut self, key: &(BrokerId, TopicPartition), offset: Offset) {
        if let Some(checked) = self.follower_checked_up_to.get_mut(key) {
            *checked = (*checked).min(offset);
        }
    }
}

pub struct ReplicaLogChecks {
    pub log_matching: CheckOutcome,
    pub committed_data_loss: CheckOutcome,
}

pub fn replica_logs(history: &History) -> ReplicaLogChecks {
    let mut replay = Replay::default();
    let mut matching = Vec::new();
    let mut loss = Vec::new();
    for entry in &history.entries {
        let Some(broker) = entry.node.as_broker() else { continue };
        match &entry.event {
            Event::Appended { tp, base_offset, leader_epoch, values, control, .. } => {
                let key = (broker, tp.clone());
                replay.changed_from(&key, *base_offset);
                let log = replay.logs.entry(key).or_default();
                if control.is_some() {
                    log.insert(*base_offset, Slot::Marker(*leader_epoch));
                } else {
                    for (i, v) in values.iter().enumerate() {
                        log.insert(base_offset + i as Offset, Slot::Value(*v));
                    }
                }
            }
            Event::Truncated { tp, offset, .. } => {
                let key = (broker, tp.clone());
                replay.changed_from(&key, *offset);
                if let Some(log) = replay.logs.get_mut(&key) {
                    log.split_off(offset);
                }
            }
            Event::LogStartAdvanced { tp, log_start_offset } => {
                replay.log_start.insert((broker, tp.clone()), *log_start_offset);
                if let Some(log) = replay.logs.get_mut(&(broker, tp.clone())) {
                    *log = log.split_off(log_start_offset);
                }
            }
            Event::HighWatermark { tp, high_watermark, is_leader } => {
                let key = (broker, tp.clone());
                let empty = BTreeMap::new();
                let log = replay.logs.get(&key).unwrap_or(&empty);
                if *is_leader {
                    let from = replay.committed_up_to.get(tp).copied().unwrap_or(0);
                    let committed = replay.committed.entry(tp.clone()).or_default();
                    for (&offset, &slot) in log.range(from.min(*high_watermark)..*high_watermark) {
                        match committed.get(&offset) {
                            Some(&(previous, at, by)) if previous != slot => loss.push(
                                Finding::new(format!(
                                    "offset {offset} of {tp} was committed holding {previous} (by leader {by} at t={at} ms), and leader {broker} later committed {slot} there"
                                ))
                                .at(entry.time_ms)
                                .partition(tp)
                                .offsets([offset])
                                .nodes([history.node_name(entry.node)]),
                            ),
                            Some(_) => {}
                            None => {
                                committed.insert(offset, (slot, entry.time_ms, broker));
                            }
                        }
                    }
                    let up_to = replay.committed_up_to.entry(tp.clone()).or_insert(0);
                    *up_to = (*up_to).max(*high_watermark);
                } else if let Some(committed) = replay.committed.get(tp) {
                    let checked = replay.follower_checked_up_to.entry(key.clone()).or_insert(0);
                    let from = (*checked).min(*high_watermark);
                    *checked = (*checked).max(*high_watermark);
                    for (&offset, &slot) in log.range(from..*high_watermark) {
                        if let Some(&(expected, _, by)) = committed.get(&offset) {
                            if expected != slot {
                                matching.push(
                                    Finding::new(format!(
                                        "{} has {slot} at offset {offset} of {tp}, below its high watermark {high_watermark}, where leader {by} committed {expected}",
                                        history.node_name(entry.node)
                                    ))
                                    .at(entry.time_ms)
                                    .partition(tp)
                                    .offsets([offset])
                                    .nodes([history.node_name(entry.node)]),
                                );
                                break;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // At the end, every committed offset must still hold its value on the final leader.
    for partition in &history.final_state.partitions {
        let Some(leader) = partition.leader else { continue };
        let Some(committed) = replay.committed.get(&partition.tp) else { continue };
        let Some(final_log) = history.final_state.replicas.iter().find(|r| r.broker == leader && r.tp == partition.tp)
        else {
            continue;
        };
        let held: BTreeMap<Offset, ValueId> = final_log.records.iter().copied().collect();
        for (&offset, &(slot, at, by)) in committed {
            if offset < final_log.log_start_offset {
                continue;
            }
            let Slot::Value(value) = slot else { continue };
            if held.get(&offset) != Some(&value) {
                let now_there = held.get(&offset).map_or("nothing".to_string(), |v| v.to_string());
                loss.push(
                    Finding::new(format!(
                        "{value} was committed at offset {offset} of {} (leader {by}, t={at} ms), but the final leader {leader} holds {now_there} there",
                        partition.tp
                    ))
                    .at(at)
                    .partition(&partition.tp)
                    .offsets([offset])
                    .values([value]),
                );
            }
        }
    }
    ReplicaLogChecks {
        log_matching: CheckOutcome::new("log-matching", matching),
        committed_data_loss: CheckOutcome::new("committed-data-loss", loss),
    }
}
