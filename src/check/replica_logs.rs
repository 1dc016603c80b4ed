//! Invariants over the replicas' logs, replayed from `Appended` / `Truncated` events (the "Log
//! Matching" and "no loss of committed data" properties of Kafka's TLA+ specifications):
//!
//! - log-matching: whenever a replica's high watermark moves, everything below it agrees with
//!   what the partition's leaders committed there.
//! - committed-data-loss: an offset a leader committed (moved its high watermark past) later
//!   holds something else, or is gone from the final leader's log (retention aside). This is
//!   the loss `acks=all` promises to prevent, and what zoo #2 and #6 break.

use super::dense::{OffsetMap, PartitionIds};
use super::final_logs::{FinalLogs, RecordsByOffset};
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

/// One partition's replay. Logs are offset-indexed vectors (`OffsetMap`): a replica appends at
/// its log end and truncates its tail, so the offsets are dense and a vector replays a long run
/// in a fraction of a B-tree's time and memory.
#[derive(Default)]
struct PartitionReplay {
    logs: BTreeMap<BrokerId, OffsetMap<Slot>>,
    /// What was committed at each offset, and when, by whom; None until a leader first moved
    /// its high watermark.
    committed: Option<OffsetMap<(Slot, SimTime, BrokerId)>>,
    committed_up_to: Offset,
    /// Per follower replica: the offsets below this were compared with what was committed
    /// since they last changed. Each high-watermark update compares only what is new, so the
    /// check stays linear in the history rather than in history × log length.
    follower_checked_up_to: BTreeMap<BrokerId, Offset>,
}

impl PartitionReplay {
    /// Offsets from `offset` on changed on a replica: they must be compared again.
    fn changed_from(&mut self, broker: BrokerId, offset: Offset) {
        if let Some(checked) = self.follower_checked_up_to.get_mut(&broker) {
            *checked = (*checked).min(offset);
        }
    }
}

pub struct ReplicaLogChecks {
    pub log_matching: CheckOutcome,
    pub committed_data_loss: CheckOutcome,
}

pub fn replica_logs(history: &History, finals: &FinalLogs) -> ReplicaLogChecks {
    // Per partition (by its id): the replay.
    let mut ids = PartitionIds::default();
    let mut partitions: Vec<PartitionReplay> = Vec::new();
    let mut id_of: BTreeMap<&TopicPartition, usize> = BTreeMap::new();
    let mut matching = Vec::new();
    let mut loss = Vec::new();
    let empty = OffsetMap::default();
    for entry in &history.entries {
        let Some(broker) = entry.node.as_broker() else { continue };
        let tp = match &entry.event {
            Event::Appended { tp, .. }
            | Event::Truncated { tp, .. }
            | Event::LogStartAdvanced { tp, .. }
            | Event::HighWatermark { tp, .. } => tp,
            _ => continue,
        };
        let (id, new) = ids.id(tp);
        if new {
            partitions.push(PartitionReplay::default());
            id_of.insert(tp, id as usize);
        }
        let replay = &mut partitions[id as usize];
        match &entry.event {
            Event::Appended { base_offset, leader_epoch, values, control, .. } => {
                replay.changed_from(broker, *base_offset);
                let log = replay.logs.entry(broker).or_default();
                if control.is_some() {
                    log.insert(*base_offset, Slot::Marker(*leader_epoch));
                } else {
                    for (i, v) in values.iter().enumerate() {
                        log.insert(base_offset + i as Offset, Slot::Value(*v));
                    }
                }
            }
            Event::Truncated { offset, .. } => {
                replay.changed_from(broker, *offset);
                if let Some(log) = replay.logs.get_mut(&broker) {
                    log.remove_from(*offset);
                }
            }
            Event::LogStartAdvanced { log_start_offset, .. } => {
                if let Some(log) = replay.logs.get_mut(&broker) {
                    log.remove_below(*log_start_offset);
                }
            }
            Event::HighWatermark { high_watermark, is_leader, .. } => {
                let log = replay.logs.get(&broker).unwrap_or(&empty);
                if *is_leader {
                    let from = replay.committed_up_to;
                    let committed = replay.committed.get_or_insert_with(OffsetMap::default);
                    for (offset, &slot) in log.range(from.min(*high_watermark), *high_watermark) {
                        match committed.get(offset) {
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
                    replay.committed_up_to = replay.committed_up_to.max(*high_watermark);
                } else if let Some(committed) = &replay.committed {
                    let checked = replay.follower_checked_up_to.entry(broker).or_insert(0);
                    let from = (*checked).min(*high_watermark);
                    *checked = (*checked).max(*high_watermark);
                    for (offset, &slot) in log.range(from, *high_watermark) {
                        if let Some(&(expected, _, by)) = committed.get(offset) {
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
        let Some(committed) = id_of.get(&partition.tp).and_then(|id| partitions[*id].committed.as_ref()) else {
            continue;
        };
        let Some(final_log) = finals.replica(&partition.tp, leader) else { continue };
        let held = RecordsByOffset::new(&final_log.records);
        for (offset, &(slot, at, by)) in committed.iter() {
            if offset < final_log.log_start_offset {
                continue;
            }
            let Slot::Value(value) = slot else { continue };
            if held.get(offset) != Some(value) {
                let now_there = held.get(offset).map_or("nothing".to_string(), |v| v.to_string());
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
