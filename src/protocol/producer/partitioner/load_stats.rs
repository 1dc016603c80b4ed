//! The accumulator's side of adaptive partitioning (KIP-794): how
//! `org.apache.kafka.clients.producer.internals.RecordAccumulator` gathers the per-partition
//! queue sizes that [`BuiltInPartitioner::update_partition_load_stats`] turns into weights
//! (`RecordAccumulator.partitionReady`), and the per-broker latency stats behind
//! `partitioner.availability.timeout.ms` (`RecordAccumulator.NodeLatencyStats`, updated by
//! `Sender.sendProducerData` through `updateNodeLatencyStats`).
//!
//! Written here, next to the partitioner, because the exact way Kafka fills these arrays decides
//! which partitions the adaptive partitioner can pick; the accumulator calls
//! [`collect_queue_sizes`] once per topic on every `ready()` pass and the sender calls
//! [`NodeLatencyTracker::update_node_latency_stats`] for every node `ready()` returned.
//!
//! Not modelled: nothing of the computation; the caller supplies what Java reads from the
//! batches map and the metadata.
//!
//! [`BuiltInPartitioner::update_partition_load_stats`]: super::BuiltInPartitioner::update_partition_load_stats

use super::built_in::QueueSizes;
use crate::protocol::types::{BrokerId, SimTime};
use std::collections::BTreeMap;

/// One entry of the accumulator's batches map for a topic: a partition that has a queue
/// (possibly empty; Kafka never removes the entry) and what the metadata says of its leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartitionQueue {
    pub partition: i32,
    /// `metadata.cluster().leaderFor(tp)`: `None` when the leader is unknown.
    pub leader: Option<BrokerId>,
    /// Number of batches queued (`deque.size()`).
    pub queued_batches: usize,
}

/// `RecordAccumulator.NodeLatencyStats`: when a broker last had data ready to send and when
/// the producer last could send it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeLatencyStats {
    /// Last time the node had batches ready to send.
    pub ready_time_ms: SimTime,
    /// Last time the node was able to drain batches (its connection was ready).
    pub drain_time_ms: SimTime,
}

/// The accumulator's `nodeStats` map plus `partitioner.availability.timeout.ms`.
#[derive(Clone, Debug, Default)]
pub struct NodeLatencyTracker {
    availability_timeout_ms: u64,
    node_stats: BTreeMap<BrokerId, NodeLatencyStats>,
}

impl NodeLatencyTracker {
    /// `availability_timeout_ms` = `partitioner.availability.timeout.ms`; 0 switches the logic
    /// off (and Kafka then does not even record the stats).
    pub fn new(availability_timeout_ms: u64) -> NodeLatencyTracker {
        NodeLatencyTracker { availability_timeout_ms, node_stats: BTreeMap::new() }
    }

    pub fn availability_timeout_ms(&self) -> u64 {
        self.availability_timeout_ms
    }

    /// `RecordAccumulator.updateNodeLatencyStats(nodeId, nowMs, canDrain)`: the sender calls it
    /// for every node that `ready()` returned, with `can_drain` = whether the connection to the
    /// node is ready (`NetworkClient.ready`). A node that keeps having data but cannot take it
    /// sees its ready time advance while its drain time stays behind.
    pub fn update_node_latency_stats(&mut self, node: BrokerId, now_ms: SimTime, can_drain: bool) {
        if self.availability_timeout_ms == 0 {
            return;
        }
        let stats =
            self.node_stats.entry(node).or_insert(NodeLatencyStats { ready_time_ms: now_ms, drain_time_ms: now_ms });
        if can_drain {
            stats.drain_time_ms = now_ms;
        }
        stats.ready_time_ms = now_ms;
    }

    pub fn node_latency_stats(&self, node: BrokerId) -> Option<&NodeLatencyStats> {
        self.node_stats.get(&node)
    }

    /// Whether partitions led by `node` are to be treated as unavailable: the node has had data
    /// waiting for longer than `partitioner.availability.timeout.ms` (strictly longer, as Java).
    pub fn is_node_unavailable(&self, node: BrokerId) -> bool {
        if self.availability_timeout_ms == 0 {
            return false;
        }
        self.node_stats
            .get(&node)
            .is_some_and(|s| s.ready_time_ms.saturating_sub(s.drain_time_ms) > self.availability_timeout_ms)
    }
}

/// The queue-size part of `RecordAccumulator.partitionReady(...)` for one topic: the input of
/// [`super::BuiltInPartitioner::update_partition_load_stats`].
///
/// * `enable_adaptive_partitioning`: `partitioner.adaptive.partitioning.enable` and no
///   `partitioner.class` (see [`super::Partitioner::enable_adaptive_partitioning`]).
/// * `num_partitions`: the topic's partition count in the metadata.
/// * `partition_queues`: the accumulator's queues for the topic, in the order Java iterates its
///   `ConcurrentHashMap<Integer, Deque>`, which for partition ids is ascending.
///
/// Returns `None` (uniform choice) until every partition of the topic has had a queue, as Kafka
/// does: a partition without a queue would be missing from the table and never picked.
///
/// Kafka's bookkeeping is reproduced index for index, quirks included: a partition with an
/// empty queue is not checked against the availability timeout, and its slot keeps whatever
/// size was written there before, which is the size of a partition excluded just before it
/// (otherwise 0).
pub fn collect_queue_sizes(
    enable_adaptive_partitioning: bool,
    num_partitions: i32,
    partition_queues: &[PartitionQueue],
    node_latency: &NodeLatencyTracker,
) -> Option<QueueSizes> {
    if !enable_adaptive_partitioning || partition_queues.len() < num_partitions.max(0) as usize {
        return None;
    }
    let mut queue_sizes = vec![0i32; partition_queues.len()];
    let mut partition_ids = vec![0i32; partition_queues.len()];
    // Java's `queueSizesIndex`, starting at -1.
    let mut index: isize = -1;
    for queue in partition_queues {
        if queue.leader.is_some() {
            index += 1;
            partition_ids[index as usize] = queue.partition;
        }
        if queue.queued_batches == 0 {
            // Java `continue`s before it writes the size or checks latency.
            continue;
        }
        if let Some(leader) = queue.leader {
            queue_sizes[index as usize] = queue.queued_batches.min(i32::MAX as usize) as i32;
            if node_latency.is_node_unavailable(leader) {
                index -= 1;
            }
        }
    }
    Some(QueueSizes { queue_sizes, partition_ids, length: (index + 1) as usize })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(partition: i32, leader: Option<u32>, queued_batches: usize) -> PartitionQueue {
        PartitionQueue { partition, leader: leader.map(BrokerId), queued_batches }
    }

    #[test]
    fn no_stats_until_every_partition_has_a_queue_or_when_off() {
        let tracker = NodeLatencyTracker::new(0);
        let queues = [queue(0, Some(1), 2), queue(1, Some(2), 1)];
        assert_eq!(collect_queue_sizes(true, 3, &queues, &tracker), None);
        assert_eq!(collect_queue_sizes(false, 2, &queues, &tracker), None);
        assert_eq!(
            collect_queue_sizes(true, 2, &queues, &tracker),
            Some(QueueSizes { queue_sizes: vec![2, 1], partition_ids: vec![0, 1], length: 2 })
        );
    }

    #[test]
    fn leaderless_partitions_are_left_out() {
        let tracker = NodeLatencyTracker::new(0);
        let queues = [queue(0, Some(1), 3), queue(1, None, 5), queue(2, Some(3), 1)];
        assert_eq!(
            collect_queue_sizes(true, 3, &queues, &tracker),
            Some(QueueSizes { queue_sizes: vec![3, 1, 0], partition_ids: vec![0, 2, 0], length: 2 })
        );
    }

    /// The second half of `RecordAccumulatorTest.testAdaptiveBuiltInPartitioner`: broker 1 has
    /// had data ready for 200 ms without draining it, past a 100 ms timeout.
    #[test]
    fn partitions_on_a_slow_broker_are_excluded() {
        let mut tracker = NodeLatencyTracker::new(100);
        tracker.update_node_latency_stats(BrokerId(1), 1000 - 200, true);
        tracker.update_node_latency_stats(BrokerId(1), 1000, false);
        assert!(tracker.is_node_unavailable(BrokerId(1)));
        assert!(!tracker.is_node_unavailable(BrokerId(2)));
        let queues = [queue(0, Some(1), 1), queue(1, Some(1), 7), queue(2, Some(2), 2)];
        let sizes = collect_queue_sizes(true, 3, &queues, &tracker).unwrap();
        assert_eq!(sizes.length, 1);
        assert_eq!(sizes.partition_ids[0], 2);
        assert_eq!(sizes.queue_sizes[0], 2);
    }

    #[test]
    fn timeout_zero_records_nothing() {
        let mut tracker = NodeLatencyTracker::new(0);
        tracker.update_node_latency_stats(BrokerId(1), 5, false);
        assert_eq!(tracker.node_latency_stats(BrokerId(1)), None);
        assert!(!tracker.is_node_unavailable(BrokerId(1)));
    }

    #[test]
    fn an_empty_queue_after_an_excluded_one_inherits_its_size() {
        let mut tracker = NodeLatencyTracker::new(10);
        tracker.update_node_latency_stats(BrokerId(1), 0, true);
        tracker.update_node_latency_stats(BrokerId(1), 50, false);
        let queues = [queue(0, Some(1), 4), queue(1, Some(2), 0), queue(2, Some(2), 1)];
        let sizes = collect_queue_sizes(true, 3, &queues, &tracker).unwrap();
        assert_eq!(sizes.length, 2);
        assert_eq!(sizes.partition_ids[..2], [1, 2]);
        // Kafka's arrays: slot 0 was written with partition 0's size 4 before the exclusion,
        // and partition 1 (empty queue) never overwrote it.
        assert_eq!(sizes.queue_sizes[..2], [4, 1]);
    }
}
