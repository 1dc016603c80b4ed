//! The cluster as it was at one moment of a recorded run, rebuilt by replaying the History up to
//! that time: what the controller's metadata said (leader, ISR, epochs: `PartitionChanged`), each
//! replica's log end offset and high watermark (`Appended`, `Truncated`, `HighWatermark`), which
//! nodes were down, and the client-side counters a lab asks about.
//!
//! The simulator is not paused or re-run for this: a lab runs a scenario once and looks back at
//! the recording, so `kafkasim run` and its trace hash stay exactly as they are.

use crate::history::{Election, Entry, Event, History, PartitionSnapshot};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// One replica's log positions as of the moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplicaPositions {
    pub log_end_offset: Offset,
    pub high_watermark: Offset,
}

/// Everything the lab's views and expectations read, as of one time.
#[derive(Clone, Debug, Default)]
pub struct ClusterAt {
    pub time_ms: SimTime,
    pub partitions: BTreeMap<TopicPartition, PartitionSnapshot>,
    pub replicas: BTreeMap<(TopicPartition, BrokerId), ReplicaPositions>,
    pub down: BTreeSet<NodeId>,
    pub sent: u64,
    pub acked: u64,
    pub failed: u64,
    /// Produce errors per Kafka error name (per batch attempt, as the producer logs them).
    pub produce_errors: BTreeMap<&'static str, u64>,
    /// Records appended by each partition's leader (what producers wrote where).
    pub records: BTreeMap<TopicPartition, u64>,
    pub leader_changes: BTreeMap<TopicPartition, u64>,
    pub unclean_elections: u64,
    pub truncations: u64,
    /// Records removed from logs by truncation.
    pub truncated_records: u64,
    /// Completed rebalances per group.
    pub rebalances: BTreeMap<String, u64>,
    /// Committed offsets of each group's members, as `kafka-consumer-groups` reads them.
    pub committed: BTreeMap<(String, TopicPartition), Offset>,
    /// The last high watermark any leader of each partition reported: the LOG-END-OFFSET column
    /// of `kafka-consumer-groups` (it asks the leader with ListOffsets).
    pub latest_leader_high_watermark: BTreeMap<TopicPartition, Offset>,
    /// Partitions given up by members of each group (`onPartitionsRevoked`/`onPartitionsLost`).
    pub revoked: BTreeMap<String, u64>,
}

impl ClusterAt {
    /// Partitions whose ISR is smaller than their replica set: Kafka's UnderReplicatedPartitions
    /// (which counts internal topics such as `__consumer_offsets` too), or of one topic.
    pub fn under_replicated(&self, topic: Option<&str>) -> usize {
        self.partitions
            .values()
            .filter(|p| topic.is_none_or(|t| &*p.tp.topic == t) && p.isr.len() < p.replicas.len())
            .count()
    }

    /// Partitions with no leader (Kafka's OfflinePartitionsCount).
    pub fn offline(&self) -> usize {
        self.partitions.values().filter(|p| p.leader.is_none()).count()
    }

    /// A group's total lag: the LAG column of `kafka-consumer-groups --describe` summed over the
    /// partitions the group has committed (a partition without a commit shows `-`, not a lag).
    pub fn group_lag(&self, group: &str) -> Offset {
        self.committed
            .iter()
            .filter(|((g, _), _)| g == group)
            .map(|((_, tp), committed)| {
                (self.latest_leader_high_watermark.get(tp).copied().unwrap_or(0) - committed).max(0)
            })
            .sum()
    }

    /// The leader's high watermark of `tp` (what consumers can read), if it has a leader.
    pub fn leader_high_watermark(&self, tp: &TopicPartition) -> Option<Offset> {
        let leader = self.partitions.get(tp)?.leader?;
        self.replicas.get(&(tp.clone(), leader)).map(|r| r.high_watermark)
    }
}

/// Folds history entries into a `ClusterAt`, one at a time, so that a caller can sample the
/// state at many times in one pass (the alert rules and the checkpoint scan do).
#[derive(Clone)]
pub struct ClusterFold<'h> {
    history: &'h History,
    group_of: BTreeMap<NodeId, String>,
    pub state: ClusterAt,
}

impl<'h> ClusterFold<'h> {
    pub fn new(history: &'h History) -> ClusterFold<'h> {
        let group_of = history.meta.consumers.iter().filter_map(|c| c.group.clone().map(|g| (c.node, g))).collect();
        ClusterFold { history, group_of, state: ClusterAt::default() }
    }

    pub fn history(&self) -> &'h History {
        self.history
    }

    pub fn apply(&mut self, entry: &Entry) {
        let s = &mut self.state;
        s.time_ms = s.time_ms.max(entry.time_ms);
        match &entry.event {
            Event::SendInvoked { .. } => s.sent += 1,
            Event::SendAcked { .. } => s.acked += 1,
            Event::SendFailed { .. } => s.failed += 1,
            Event::ProduceError { error, .. } => *s.produce_errors.entry(error.name()).or_default() += 1,
            Event::PartitionChanged { tp, replicas, leader, leader_epoch, isr, election, .. } => {
                let previous_leader = s.partitions.get(tp).and_then(|p| p.leader);
                if s.partitions.contains_key(tp) && previous_leader != *leader {
                    *s.leader_changes.entry(tp.clone()).or_default() += 1;
                }
                if *election == Some(Election::Unclean) {
                    s.unclean_elections += 1;
                }
                s.partitions.insert(
                    tp.clone(),
                    PartitionSnapshot {
                        tp: tp.clone(),
                        replicas: replicas.clone(),
                        leader: *leader,
                        leader_epoch: *leader_epoch,
                        isr: isr.clone(),
                    },
                );
            }
            Event::Appended { tp, base_offset, values, as_leader, .. } => {
                if let Some(broker) = entry.node.as_broker() {
                    let r = s.replicas.entry((tp.clone(), broker)).or_default();
                    r.log_end_offset = r.log_end_offset.max(base_offset + values.len() as Offset);
                }
                if *as_leader {
                    *s.records.entry(tp.clone()).or_default() += values.len() as u64;
                }
            }
            Event::Truncated { tp, offset, removed, .. } => {
                if let Some(broker) = entry.node.as_broker() {
                    let r = s.replicas.entry((tp.clone(), broker)).or_default();
                    r.log_end_offset = *offset;
                    r.high_watermark = r.high_watermark.min(*offset);
                }
                s.truncations += 1;
                s.truncated_records += removed.len() as u64;
            }
            Event::HighWatermark { tp, high_watermark, is_leader } => {
                if let Some(broker) = entry.node.as_broker() {
                    s.replicas.entry((tp.clone(), broker)).or_default().high_watermark = *high_watermark;
                }
                if *is_leader {
                    s.latest_leader_high_watermark.insert(tp.clone(), *high_watermark);
                }
            }
            Event::OffsetsCommitted { offsets, .. } => {
                if let Some(group) = self.group_of.get(&entry.node) {
                    for (tp, offset) in offsets {
                        s.committed.insert((group.clone(), tp.clone()), *offset);
                    }
                }
            }
            Event::Crashed { .. } | Event::Paused => {
                s.down.insert(entry.node);
            }
            Event::Restarted | Event::Resumed => {
                s.down.remove(&entry.node);
            }
            Event::GroupStable { group, .. } => *s.rebalances.entry(group.clone()).or_default() += 1,
            Event::Revoked { partitions, .. } => {
                if let Some(group) = self.group_of.get(&entry.node) {
                    *s.revoked.entry(group.clone()).or_default() += partitions.len() as u64;
                }
            }
            _ => {}
        }
    }
}

/// The state as of `at_ms` (every entry stamped at or before it applied).
pub fn cluster_at(history: &History, at_ms: SimTime) -> ClusterAt {
    let mut fold = ClusterFold::new(history);
    for entry in history.entries.iter().take_while(|e| e.time_ms <= at_ms) {
        fold.apply(entry);
    }
    fold.state.time_ms = at_ms;
    fold.state
}

/// The controller's view of every partition at `at_ms`, in the form `kafka-topics --describe`
/// renders (see `describe::describe_topics`).
pub fn partitions_at(history: &History, at_ms: SimTime) -> Vec<PartitionSnapshot> {
    cluster_at(history, at_ms).partitions.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Entry;

    fn changed(time_ms: SimTime, leader: u32, isr: &[u32]) -> Entry {
        Entry {
            time_ms,
            node: NodeId::Controller(1),
            event: Event::PartitionChanged {
                tp: TopicPartition::new("orders", 0),
                replicas: vec![BrokerId(1), BrokerId(2), BrokerId(3)],
                leader: Some(BrokerId(leader)),
                leader_epoch: 0,
                partition_epoch: 0,
                isr: isr.iter().map(|b| BrokerId(*b)).collect(),
                election: None,
            },
        }
    }

    #[test]
    fn the_state_at_a_time_ignores_later_events() {
        let h = History {
            entries: vec![changed(10, 1, &[1, 2, 3]), changed(20, 1, &[1, 3]), changed(30, 2, &[2, 3])],
            ..Default::default()
        };
        let tp = TopicPartition::new("orders", 0);
        let at = |t| cluster_at(&h, t);
        assert_eq!(at(15).partitions[&tp].isr, vec![BrokerId(1), BrokerId(2), BrokerId(3)]);
        assert_eq!(at(20).partitions[&tp].isr, vec![BrokerId(1), BrokerId(3)]);
        assert_eq!(at(20).under_replicated(None), 1);
        assert_eq!(at(25).leader_changes.get(&tp), None);
        assert_eq!(at(30).leader_changes[&tp], 1);
        assert!(at(5).partitions.is_empty());
    }
}
