//! Everything the history says about which value sits at which offset: from acknowledged sends
//! (the offset the leader assigned) and from polls (the offset a consumer read). Jepsen's Kafka
//! checker builds the same index to define its anomalies.

use super::dense::{OffsetMap, PartitionIds, ValueMap};
use crate::history::{Event, History, PolledPartition};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// What one partition's acks and polls said about its offsets.
///
/// Almost every offset is seen holding one value, and almost every value at one offset (an ack
/// and the polls of it agree), so the index keeps the first value seen at each offset in an
/// offset-indexed vector, and sets only for the rare offsets and values seen more than one way:
/// those are exactly what `inconsistent-offsets` and `duplicate` report.
#[derive(Clone, Debug)]
pub struct PartitionObservations {
    pub tp: TopicPartition,
    /// Its position among the `Observations`' partitions (below `Observations::partition_count`),
    /// for a checker that keeps state per partition in a vector.
    pub index: usize,
    /// The first value seen at each offset, by an ack or a poll.
    first_at: OffsetMap<ValueId>,
    /// Every value seen at each offset that was seen holding more than one.
    conflicts: BTreeMap<Offset, BTreeSet<ValueId>>,
    /// Every offset of this partition each value was seen at, for the values seen at more than
    /// one place (offset or partition); a value is at two offsets here when the set has two.
    placed_more_than_once: BTreeMap<ValueId, BTreeSet<Offset>>,
    /// Values polled here that some poll had first returned from another partition.
    polled_after_another_partition: BTreeSet<ValueId>,
    /// Whether some consumer was assigned its topic (only then can its writes be expected to
    /// be read).
    pub consumed: bool,
    pub min_polled_offset: Option<Offset>,
    pub max_polled_offset: Option<Offset>,
    /// The lowest and highest offset of each uninterrupted read by one consumer: its polls of
    /// this partition between two changes of assignment, group generation or position reset.
    pub read_spans: Vec<(Offset, Offset)>,
    /// Offsets consumers jumped to when `auto.offset.reset = latest` gave them a position.
    pub latest_resets: Vec<Offset>,
}

impl PartitionObservations {
    fn new(tp: TopicPartition, index: usize) -> PartitionObservations {
        PartitionObservations {
            tp,
            index,
            first_at: OffsetMap::default(),
            conflicts: BTreeMap::new(),
            placed_more_than_once: BTreeMap::new(),
            polled_after_another_partition: BTreeSet::new(),
            consumed: false,
            min_polled_offset: None,
            max_polled_offset: None,
            read_spans: Vec::new(),
            latest_resets: Vec::new(),
        }
    }

    /// Whether one consumer read below and above `offset` without its position being reset in
    /// between: the offset was in its path.
    pub fn read_across(&self, offset: Offset) -> bool {
        self.read_spans.iter().any(|(low, high)| *low < offset && offset < *high)
    }

    /// Every value seen at `offset`, in order.
    pub fn values_at(&self, offset: Offset) -> impl Iterator<Item = ValueId> + '_ {
        let many = self.conflicts.get(&offset);
        let one = if many.is_none() { self.first_at.get(offset).copied() } else { None };
        many.into_iter().flatten().copied().chain(one)
    }

    /// The offsets from `low` up to (not including) `high` that some ack or poll saw a value at.
    pub fn known_offsets(&self, low: Offset, high: Offset) -> impl Iterator<Item = Offset> + '_ {
        self.first_at.range(low, high).map(|(offset, _)| offset)
    }

    /// Every (offset, value) seen from `low` up to (not including) `high`, in order.
    pub fn values_between(&self, low: Offset, high: Offset) -> impl Iterator<Item = (Offset, ValueId)> + '_ {
        self.known_offsets(low, high).flat_map(move |offset| self.values_at(offset).map(move |v| (offset, v)))
    }

    /// Every (offset, value) seen, in order.
    pub fn values(&self) -> impl Iterator<Item = (Offset, ValueId)> + '_ {
        self.values_between(Offset::MIN, Offset::MAX)
    }

    /// The offsets seen holding more than one value, with those values.
    pub fn offsets_with_several_values(&self) -> impl Iterator<Item = (Offset, &BTreeSet<ValueId>)> {
        self.conflicts.iter().map(|(offset, values)| (*offset, values))
    }

    /// The values seen at more than one offset of this partition, with those offsets.
    pub fn values_at_several_offsets(&self) -> impl Iterator<Item = (ValueId, &BTreeSet<Offset>)> {
        self.placed_more_than_once.iter().filter(|(_, offsets)| offsets.len() > 1).map(|(v, offsets)| (*v, offsets))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    pub time_ms: SimTime,
    pub offset: Option<Offset>,
}

/// An acknowledged write, with what the checkers ask about it.
#[derive(Clone, Copy, Debug)]
pub struct AckedWrite<'o> {
    pub value: ValueId,
    pub ack: Ack,
    /// The partition it was sent to (None when the history holds no send of it).
    pub sent_to: Option<&'o PartitionObservations>,
    /// Whether a poll returned it from that partition.
    pub polled: bool,
}

/// What the history says about one value (partitions by their index in `Observations`).
#[derive(Clone, Debug, Default)]
struct ValueFacts {
    /// The partition it was sent to (the last send, should a history hold two).
    sent_to: Option<u32>,
    /// The last acknowledgement, unless the value is `uncommitted`.
    ack: Option<Ack>,
    /// Where it was first seen, by an ack or a poll.
    first_seen: Option<(u32, Offset)>,
    /// The partition a poll first returned it from.
    first_polled_in: Option<u32>,
    /// Sent in a transaction that did not commit.
    uncommitted: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Observations {
    /// Every partition the history sends to, acknowledges, polls or resets, and the index of
    /// each (built once: the per-record work below looks partitions up by index).
    partitions: Vec<PartitionObservations>,
    ids: PartitionIds,
    /// The partitions' ids in partition order.
    index: BTreeMap<TopicPartition, u32>,
    values: ValueMap<ValueFacts>,
    /// Topics some consumer was assigned (only their writes can be expected to be read).
    pub consumed_topics: BTreeSet<TopicName>,
}

/// Builds each consumer's uninterrupted reads (`PartitionObservations::read_spans`).
#[derive(Default)]
struct ReadSpans {
    /// Per consumer, per partition index: the span being read.
    open: BTreeMap<NodeId, BTreeMap<u32, (Offset, Offset)>>,
    closed: Vec<(u32, (Offset, Offset))>,
    generation: BTreeMap<NodeId, Option<i32>>,
}

impl ReadSpans {
    /// A poll returned `records` of the partition with index `partition`.
    fn polled(&mut self, node: NodeId, partition: u32, records: &[(Offset, ValueId)]) {
        let Some(low) = records.iter().map(|(o, _)| *o).min() else { return };
        let high = records.iter().map(|(o, _)| *o).max().unwrap_or(low);
        let span = self.open.entry(node).or_default().entry(partition).or_insert((low, high));
        *span = (span.0.min(low), span.1.max(high));
    }

    /// A poll in `generation` began: one in another generation than the node's last ends its
    /// reads (a rebalance happened between them).
    fn generation(&mut self, node: NodeId, generation: Option<i32>) {
        if self.generation.insert(node, generation).is_some_and(|g| g != generation) {
            self.end_all(node);
        }
    }

    fn end(&mut self, node: NodeId, partition: u32) {
        if let Some(span) = self.open.get_mut(&node).and_then(|spans| spans.remove(&partition)) {
            self.closed.push((partition, span));
        }
    }

    fn end_all(&mut self, node: NodeId) {
        if let Some(spans) = self.open.remove(&node) {
            self.closed.extend(spans);
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
        let mut obs = Observations::default();
        for value in &txns.uncommitted_values {
            obs.values.get_or_insert_with(*value, ValueFacts::default).uncommitted = true;
        }
        let mut spans = ReadSpans::default();
        for entry in &history.entries {
            match &entry.event {
                Event::SendInvoked { tp, value, .. } => {
                    let partition = obs.partition_index(tp);
                    obs.values.get_or_insert_with(*value, ValueFacts::default).sent_to = Some(partition);
                }
                Event::SendAcked { tp, value, offset } => {
                    let facts = obs.values.get_or_insert_with(*value, ValueFacts::default);
                    if !facts.uncommitted {
                        facts.ack = Some(Ack { time_ms: entry.time_ms, offset: *offset });
                    }
                    if let Some(offset) = offset {
                        let partition = obs.partition_index(tp);
                        obs.observe(partition, *offset, *value, false);
                    }
                }
                Event::Polled { partitions, generation } => {
                    spans.generation(entry.node, *generation);
                    for p in partitions {
                        obs.polled(&mut spans, entry.node, p);
                    }
                }
                Event::Assigned { partitions, .. } => {
                    spans.end_all(entry.node);
                    obs.consumed_topics.extend(partitions.iter().map(|tp| tp.topic.clone()));
                }
                Event::LogTruncationDetected { tp, .. } => {
                    let partition = obs.partition_index(tp);
                    spans.end(entry.node, partition);
                }
                Event::PositionReset { tp, offset, to_latest } => {
                    let partition = obs.partition_index(tp);
                    spans.end(entry.node, partition);
                    if *to_latest {
                        obs.partitions[partition as usize].latest_resets.push(*offset);
                    }
                }
                _ => {}
            }
        }
        let open = std::mem::take(&mut spans.open).into_values().flatten();
        for (partition, span) in open.chain(spans.closed) {
            obs.partitions[partition as usize].read_spans.push(span);
        }
        for part in &mut obs.partitions {
            part.consumed = obs.consumed_topics.contains(&part.tp.topic);
        }
        obs
    }

    fn partition_index(&mut self, tp: &TopicPartition) -> u32 {
        let (index, new) = self.ids.id(tp);
        if new {
            self.partitions.push(PartitionObservations::new(tp.clone(), index as usize));
            self.index.insert(tp.clone(), index);
        }
        index
    }

    fn polled(&mut self, spans: &mut ReadSpans, node: NodeId, polled: &PolledPartition) {
        let partition = self.partition_index(&polled.tp);
        spans.polled(node, partition, &polled.records);
        for (offset, value) in &polled.records {
            self.observe(partition, *offset, *value, true);
        }
        let part = &mut self.partitions[partition as usize];
        for (offset, _) in &polled.records {
            part.max_polled_offset = Some(part.max_polled_offset.map_or(*offset, |m| m.max(*offset)));
            part.min_polled_offset = Some(part.min_polled_offset.map_or(*offset, |m| m.min(*offset)));
        }
    }

    /// `value` was seen at `offset` of the partition with index `partition`, by a poll or an ack.
    fn observe(&mut self, partition: u32, offset: Offset, value: ValueId, by_poll: bool) {
        let part = &mut self.partitions[partition as usize];
        match part.first_at.get(offset) {
            None => {
                part.first_at.insert(offset, value);
            }
            Some(first) if *first == value => {}
            Some(first) => {
                let first = *first;
                part.conflicts.entry(offset).or_insert_with(|| BTreeSet::from([first])).insert(value);
            }
        }
        let facts = self.values.get_or_insert_with(value, ValueFacts::default);
        match facts.first_seen {
            None => facts.first_seen = Some((partition, offset)),
            Some(first) if first == (partition, offset) => {}
            Some((first_partition, first_offset)) => {
                let offsets = part.placed_more_than_once.entry(value).or_default();
                if first_partition == partition {
                    offsets.insert(first_offset);
                }
                offsets.insert(offset);
            }
        }
        if by_poll {
            match facts.first_polled_in {
                None => facts.first_polled_in = Some(partition),
                Some(first) if first == partition => {}
                Some(_) => {
                    part.polled_after_another_partition.insert(value);
                }
            }
        }
    }

    pub fn partition(&self, tp: &TopicPartition) -> Option<&PartitionObservations> {
        self.index.get(tp).map(|i| &self.partitions[*i as usize])
    }

    /// Every partition, in order.
    pub fn partitions(&self) -> impl Iterator<Item = &PartitionObservations> {
        self.index.values().map(|i| &self.partitions[*i as usize])
    }

    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// The partition `value` was sent to.
    pub fn sent_to(&self, value: ValueId) -> Option<&TopicPartition> {
        let partition = self.values.get(&value)?.sent_to?;
        Some(&self.partitions[partition as usize].tp)
    }

    /// The acknowledgement of `value`'s send (none for a send of a transaction that did not
    /// commit).
    pub fn ack(&self, value: ValueId) -> Option<Ack> {
        self.values.get(&value)?.ack
    }

    /// Every acknowledged write, in value order.
    pub fn acked_writes(&self) -> impl Iterator<Item = AckedWrite<'_>> {
        self.values.iter().filter_map(|(value, facts)| {
            let sent_to = facts.sent_to.map(|p| &self.partitions[p as usize]);
            let polled = sent_to.is_some_and(|part| self.polled_in(value, facts, part));
            Some(AckedWrite { value, ack: facts.ack?, sent_to, polled })
        })
    }

    /// Whether `value` was sent in a transaction that did not commit.
    pub fn is_uncommitted(&self, value: ValueId) -> bool {
        self.values.get(&value).is_some_and(|facts| facts.uncommitted)
    }

    /// Whether a poll returned `value` from `part`.
    fn polled_in(&self, value: ValueId, facts: &ValueFacts, part: &PartitionObservations) -> bool {
        facts.first_polled_in == Some(part.index as u32) || part.polled_after_another_partition.contains(&value)
    }
}
