//! Everything the history says about which value sits at which offset: from acknowledged sends
//! (the offset the leader assigned) and from polls (the offset a consumer read). Jepsen's Kafka
//! checker builds the same index to define its anomalies.

use crate::history::{Event, History, PolledPartition};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default)]
pub struct PartitionObservations {
    /// Every value seen at each offset, by acks and polls.
    pub by_offset: BTreeMap<Offset, BTreeSet<ValueId>>,
    /// Every offset each value was seen at.
    pub by_value: BTreeMap<ValueId, BTreeSet<Offset>>,
    /// Values some poll returned.
    pub polled: BTreeSet<ValueId>,
    pub min_polled_offset: Option<Offset>,
    pub max_polled_offset: Option<Offset>,
    /// The lowest and highest offset of each uninterrupted read by one consumer: its polls of
    /// this partition between two changes of assignment, group generation or position reset.
    pub read_spans: Vec<(Offset, Offset)>,
    /// Offsets consumers jumped to when `auto.offset.reset = latest` gave them a position.
    pub latest_resets: Vec<Offset>,
}

impl PartitionObservations {
    /// Whether one consumer read below and above `offset` without its position being reset in
    /// between: the offset was in its path.
    pub fn read_across(&self, offset: Offset) -> bool {
        self.read_spans.iter().any(|(low, high)| *low < offset && offset < *high)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    pub time_ms: SimTime,
    pub offset: Option<Offset>,
}

#[derive(Clone, Debug, Default)]
pub struct Observations {
    pub partitions: BTreeMap<TopicPartition, PartitionObservations>,
    /// Where each value was sent, when, by which producer node.
    pub invoked: BTreeMap<ValueId, (TopicPartition, SimTime, NodeId)>,
    pub acked: BTreeMap<ValueId, Ack>,
    /// Topics some consumer was assigned (only their writes can be expected to be read).
    pub consumed_topics: BTreeSet<TopicName>,
    /// Values of transactions that did not commit: a read_committed consumer passes over them.
    pub uncommitted: BTreeSet<ValueId>,
}

/// Builds each consumer's uninterrupted reads (`PartitionObservations::read_spans`).
#[derive(Default)]
struct ReadSpans {
    open: BTreeMap<(NodeId, TopicPartition), (Offset, Offset)>,
    closed: Vec<((NodeId, TopicPartition), (Offset, Offset))>,
    generation: BTreeMap<NodeId, Option<i32>>,
}

impl ReadSpans {
    fn polled(&mut self, node: NodeId, generation: Option<i32>, partitions: &[PolledPartition]) {
        if self.generation.insert(node, generation).is_some_and(|g| g != generation) {
            self.end_all(node);
        }
        for p in partitions {
            for (offset, _) in &p.records {
                let span = self.open.entry((node, p.tp.clone())).or_insert((*offset, *offset));
                *span = (span.0.min(*offset), span.1.max(*offset));
            }
        }
    }

    fn end(&mut self, node: NodeId, tp: &TopicPartition) {
        if let Some(span) = self.open.remove(&(node, tp.clone())) {
            self.closed.push(((node, tp.clone()), span));
        }
    }

    fn end_all(&mut self, node: NodeId) {
        let ending: Vec<TopicPartition> =
            self.open.keys().filter(|(n, _)| *n == node).map(|(_, tp)| tp.clone()).collect();
        for tp in ending {
            self.end(node, &tp);
        }
    }
}

impl Observations {
    pub fn from_history(history: &History) -> Observations {
        Self::from_history_with(history, &super::transactions::Transactions::from_history(history))
    }

    /// With the history's transactions: a send of a transaction that did not commit is not an
    /// acknowledged write, whatever the partition leader answered (Jepsen counts it as failed).
    pub fn from_history_with(history: &History, txns: &super::transactions::Transactions) -> Observations {
        let mut obs = Observations { uncommitted: txns.uncommitted_values.clone(), ..Default::default() };
        let mut spans = ReadSpans::default();
        for entry in &history.entries {
            match &entry.event {
                Event::SendInvoked { tp, value, .. } => {
                    obs.invoked.insert(*value, (tp.clone(), entry.time_ms, entry.node));
                }
                Event::SendAcked { tp, value, offset } => {
                    if !txns.uncommitted_values.contains(value) {
                        obs.acked.insert(*value, Ack { time_ms: entry.time_ms, offset: *offset });
                    }
                    if let Some(offset) = offset {
                        obs.observe(tp, *offset, *value);
                    }
                }
                Event::Polled { partitions, generation } => {
                    spans.polled(entry.node, *generation, partitions);
                    for p in partitions {
                        for (offset, value) in &p.records {
                            obs.observe(&p.tp, *offset, *value);
                            let part = obs.partitions.entry(p.tp.clone()).or_default();
                            part.polled.insert(*value);
                            part.max_polled_offset = Some(part.max_polled_offset.map_or(*offset, |m| m.max(*offset)));
                            part.min_polled_offset = Some(part.min_polled_offset.map_or(*offset, |m| m.min(*offset)));
                        }
                    }
                }
                Event::Assigned { partitions, .. } => {
                    spans.end_all(entry.node);
                    obs.consumed_topics.extend(partitions.iter().map(|tp| tp.topic.clone()));
                }
                Event::PositionReset { tp, offset, to_latest } => {
                    spans.end(entry.node, tp);
                    if *to_latest {
                        obs.partitions.entry(tp.clone()).or_default().latest_resets.push(*offset);
                    }
                }
                _ => {}
            }
        }
        for ((_, tp), span) in std::mem::take(&mut spans.open).into_iter().chain(spans.closed) {
            obs.partitions.entry(tp).or_default().read_spans.push(span);
        }
        obs
    }

    fn observe(&mut self, tp: &TopicPartition, offset: Offset, value: ValueId) {
        let part = self.partitions.entry(tp.clone()).or_default();
        part.by_offset.entry(offset).or_default().insert(value);
        part.by_value.entry(value).or_default().insert(offset);
    }

    pub fn partition(&self, tp: &TopicPartition) -> Option<&PartitionObservations> {
        self.partitions.get(tp)
    }

    /// Whether any poll returned `value` (in the partition it was sent to).
    pub fn was_polled(&self, value: ValueId) -> bool {
        self.invoked.get(&value).and_then(|(tp, ..)| self.partitions.get(tp)).is_some_and(|p| p.polled.contains(&value))
    }
}
