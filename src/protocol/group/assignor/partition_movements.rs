//! Bookkeeping of the partitions the sticky general algorithm has moved during one assignment:
//! Kafka's `AbstractStickyAssignor.PartitionMovements` (KIP-54).
//!
//! When the balancing loop wants to move a partition of topic T from member A to member B, and
//! an earlier step already moved some partition of T from B to A, it moves that earlier
//! partition back instead. Two members thus never swap partitions of one topic, which would
//! cost two moves where none was needed. Which of several such partitions goes back is the
//! first one Java's `HashSet` iterator yields, replayed here with `JavaHashSet`.

use super::java_hash::JavaHashSet;
use crate::protocol::types::{TopicName, TopicPartition};
use std::collections::BTreeMap;

/// Kafka's `ConsumerPair`: a partition moved from `src` to `dst`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ConsumerPair {
    src: String,
    dst: String,
}

#[derive(Debug, Default)]
pub(crate) struct PartitionMovements {
    /// Per topic, per (src, dst) pair, the partitions currently recorded as moved that way.
    partition_movements_by_topic: BTreeMap<TopicName, BTreeMap<ConsumerPair, JavaHashSet<TopicPartition>>>,
    /// Per moved partition, where it started and where it is now.
    partition_movements: BTreeMap<TopicPartition, ConsumerPair>,
}

impl PartitionMovements {
    fn remove_movement_record_of_partition(&mut self, partition: &TopicPartition) -> ConsumerPair {
        let pair = self.partition_movements.remove(partition).expect("the partition has a record");
        let for_topic = self
            .partition_movements_by_topic
            .get_mut(&partition.topic)
            .expect("a recorded partition's topic has records");
        let partitions = for_topic.get_mut(&pair).expect("the pair has a set");
        partitions.remove(partition);
        if partitions.is_empty() {
            for_topic.remove(&pair);
        }
        if for_topic.is_empty() {
            self.partition_movements_by_topic.remove(&partition.topic);
        }
        pair
    }

    fn add_partition_movement_record(&mut self, partition: &TopicPartition, pair: ConsumerPair) {
        self.partition_movements.insert(partition.clone(), pair.clone());
        self.partition_movements_by_topic
            .entry(partition.topic.clone())
            .or_default()
            .entry(pair)
            .or_insert_with(JavaHashSet::new)
            .insert(partition.clone());
    }

    /// Records that `partition` moves from `old_consumer` to `new_consumer`; a partition moving
    /// back to where it started leaves no record.
    pub(crate) fn move_partition(&mut self, partition: &TopicPartition, old_consumer: &str, new_consumer: &str) {
        if self.partition_movements.contains_key(partition) {
            let existing = self.remove_movement_record_of_partition(partition);
            debug_assert_eq!(existing.dst, old_consumer, "a moved partition moves on from where it went");
            if existing.src != new_consumer {
                let pair = ConsumerPair { src: existing.src, dst: new_consumer.to_string() };
                self.add_partition_movement_record(partition, pair);
            }
        } else {
            let pair = ConsumerPair { src: old_consumer.to_string(), dst: new_consumer.to_string() };
            self.add_partition_movement_record(partition, pair);
        }
    }

    /// The partition to move when `partition` should go from `old_consumer` to `new_consumer`:
    /// a partition of the same topic that went the opposite way earlier, if any.
    pub(crate) fn get_the_actual_partition_to_be_moved(
        &self,
        partition: &TopicPartition,
        old_consumer: &str,
        new_consumer: &str,
    ) -> TopicPartition {
        let Some(for_topic) = self.partition_movements_by_topic.get(&partition.topic) else {
            return partition.clone();
        };
        let mut old_consumer = old_consumer;
        if let Some(pair) = self.partition_movements.get(partition) {
            debug_assert_eq!(pair.dst, old_consumer, "a moved partition sits where it went");
            old_consumer = &pair.src;
        }
        let reverse_pair = ConsumerPair { src: new_consumer.to_string(), dst: old_consumer.to_string() };
        match for_topic.get(&reverse_pair) {
            None => partition.clone(),
            Some(partitions) => partitions.first().expect("empty sets are removed").clone(),
        }
    }
}
