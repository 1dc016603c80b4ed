//! `org.apache.kafka.clients.producer.RoundRobinPartitioner` (KIP-369), selected with
//! `partitioner.class = org.apache.kafka.clients.producer.RoundRobinPartitioner`.
//!
//! Every record, keyed or not, goes to the next partition in turn. The turn is a per-topic
//! counter (`topicCounterMap`, an `AtomicInteger` per topic that starts at 0) taken modulo the
//! number of *available* partitions (those with a known leader), so the cycle skips partitions
//! whose leader is down, and shifts when that set changes, since the counter is not reset. With
//! no available partition at all it falls back to all partitions. Keys are ignored, so the
//! per-key ordering that the default partitioner gives is lost.
//!
//! KAFKA-9965, as it stands in Kafka 4.x: from Kafka 2.4 to 3.9 `KafkaProducer` called the
//! partitioner a second time for a record that started a new batch (after
//! `Partitioner.onNewBatch`, part of KIP-480's sticky partitioning), so the counter advanced
//! twice for such records and, with an even partition count, whole partitions could be skipped
//! (often only every other partition received data). Kafka 4.0 removed `onNewBatch` together
//! with that second call (KAFKA-18295), so `partition()` now runs exactly once per record and
//! the cycle is strict; this module models that. KAFKA-17632 patched the same symptom inside
//! `RoundRobinPartitioner` itself (it remembered the partition across `onNewBatch`), a fix that
//! reached the 3.9 branch after 3.9.1. The `partitioner.class` documentation of Kafka 4.x still
//! carries the KAFKA-9965 warning about uneven distribution.
//!
//! Not modelled: the pre-4.0 double call (a simulator of Kafka 4.x has no `onNewBatch`).

use super::murmur2::to_positive;
use super::TopicPartitionsView;
use crate::protocol::types::TopicName;
use std::collections::BTreeMap;

/// The state of a `RoundRobinPartitioner`: one counter per topic.
#[derive(Clone, Debug, Default)]
pub struct RoundRobinPartitioner {
    topic_counter_map: BTreeMap<TopicName, i32>,
}

impl RoundRobinPartitioner {
    pub fn new() -> RoundRobinPartitioner {
        RoundRobinPartitioner::default()
    }

    /// `RoundRobinPartitioner.partition(...)`: the partition for the next record of `topic`.
    pub fn partition(&mut self, topic: &str, cluster: &TopicPartitionsView) -> i32 {
        let next_value = self.next_value(topic);
        if !cluster.available_partitions.is_empty() {
            let part = to_positive(next_value) as usize % cluster.available_partitions.len();
            cluster.available_partitions[part]
        } else {
            // No partition has a leader: give a non-available one; the record waits in the
            // accumulator for a leader.
            assert!(cluster.num_partitions >= 1, "topic {topic} has no partitions in the metadata");
            to_positive(next_value) % cluster.num_partitions
        }
    }

    /// `nextValue(topic)`: `getAndIncrement` on the topic's counter, wrapping like a Java `int`
    /// (`to_positive` then keeps the index non-negative).
    fn next_value(&mut self, topic: &str) -> i32 {
        let counter = match self.topic_counter_map.get_mut(topic) {
            Some(counter) => counter,
            None => self.topic_counter_map.entry(TopicName::from(topic)).or_insert(0),
        };
        let value = *counter;
        *counter = counter.wrapping_add(1);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(num_partitions: i32, available: &[i32]) -> TopicPartitionsView<'_> {
        TopicPartitionsView { num_partitions, available_partitions: available }
    }

    /// `RoundRobinPartitionerTest.testRoundRobinWithUnavailablePartitions`: partition 1 of 3 has
    /// no leader and the metadata lists the others out of order; 100 records split 50 / 0 / 50.
    #[test]
    fn cycles_over_available_partitions_only() {
        let mut p = RoundRobinPartitioner::new();
        let available = [2, 0];
        let mut counts = [0; 3];
        for _ in 0..100 {
            counts[p.partition("test", &view(3, &available)) as usize] += 1;
        }
        assert_eq!(counts, [50, 0, 50]);
        // The cycle follows the metadata's order.
        let mut q = RoundRobinPartitioner::new();
        assert_eq!(q.partition("test", &view(3, &available)), 2);
        assert_eq!(q.partition("test", &view(3, &available)), 0);
    }

    /// `RoundRobinPartitionerTest.testRoundRobinWithKeyBytes`: 30 records to topicA, with a
    /// record to topicB every fifth one, split 10 / 10 / 10: one counter per topic.
    #[test]
    fn one_counter_per_topic() {
        let mut p = RoundRobinPartitioner::new();
        let all = [0, 1, 2];
        let mut counts = [0; 3];
        for i in 0..30 {
            counts[p.partition("topicA", &view(3, &all)) as usize] += 1;
            if i % 5 == 0 {
                p.partition("topicB", &view(1, &[0]));
            }
        }
        assert_eq!(counts, [10, 10, 10]);
        let a: Vec<i32> = (0..4).map(|_| p.partition("topicA", &view(3, &all))).collect();
        assert_eq!(a, [0, 1, 2, 0]);
    }

    #[test]
    fn even_partition_counts_get_every_partition() {
        // The KAFKA-9965 symptom was that only even partitions got data; with one call per
        // record every partition gets an equal share.
        let mut p = RoundRobinPartitioner::new();
        let all: Vec<i32> = (0..4).collect();
        let mut counts = [0; 4];
        for _ in 0..400 {
            counts[p.partition("t", &view(4, &all)) as usize] += 1;
        }
        assert_eq!(counts, [100; 4]);
    }

    #[test]
    fn falls_back_to_all_partitions_and_shifts_when_availability_changes() {
        let mut p = RoundRobinPartitioner::new();
        assert_eq!(p.partition("t", &view(3, &[])), 0);
        assert_eq!(p.partition("t", &view(3, &[])), 1);
        // Counter is now 2; with partitions [0, 2] available, 2 % 2 = 0 -> partition 0.
        assert_eq!(p.partition("t", &view(3, &[0, 2])), 0);
        assert_eq!(p.partition("t", &view(3, &[0, 2])), 2);
    }

    #[test]
    fn counter_wraps_like_a_java_int() {
        let mut p = RoundRobinPartitioner::new();
        p.topic_counter_map.insert(TopicName::from("t"), i32::MAX);
        let all = [0, 1, 2];
        // toPositive(Integer.MAX_VALUE) % 3 = 1; then toPositive(Integer.MIN_VALUE) = 0.
        assert_eq!(p.partition("t", &view(3, &all)), 1);
        assert_eq!(p.partition("t", &view(3, &all)), 0);
    }
}
