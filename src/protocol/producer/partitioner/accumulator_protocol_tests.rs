//! The call sequence documented in `partitioner/mod.rs`, run against a minimal stand-in for
//! `RecordAccumulator` (batches as byte counts), to check it reproduces Kafka's
//! `RecordAccumulatorTest.testUniformBuiltInPartitioner` and `testAdaptiveBuiltInPartitioner`.

use super::built_in::tests::SequentialRng;
use super::*;
use crate::protocol::types::BrokerId;
use rand::RngCore;

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`.
const BATCH_HEADER_BYTES: i32 = 61;
/// `DefaultRecord.MAX_RECORD_OVERHEAD`, used by Kafka's size upper bound for a new batch buffer.
const MAX_RECORD_OVERHEAD: i32 = 21;

/// A batch as `MemoryRecordsBuilder` sees it: bytes written, its write limit, closed or not.
struct Batch {
    records: usize,
    bytes: i32,
    write_limit: i32,
    closed: bool,
}

impl Batch {
    fn is_full(&self) -> bool {
        self.closed || (self.records > 0 && self.write_limit <= self.bytes)
    }
}

struct FakeAccumulator {
    batch_size: i32,
    /// Queues per partition (the batches map), ascending partition id.
    queues: BTreeMap<i32, Vec<Batch>>,
}

impl FakeAccumulator {
    fn new(batch_size: i32) -> Self {
        FakeAccumulator { batch_size, queues: BTreeMap::new() }
    }

    fn all_batches_full(&self, partition: i32) -> bool {
        self.queues.get(&partition).and_then(|q| q.last()).is_none_or(Batch::is_full)
    }

    /// `tryAppend`: into the last batch, if it has room; closes it otherwise.
    fn try_append(&mut self, partition: i32, record_bytes: i32) -> Option<i32> {
        let last = self.queues.get_mut(&partition)?.last_mut()?;
        let has_room = !last.is_full() && (last.records == 0 || last.bytes + record_bytes <= last.write_limit);
        if has_room {
            last.records += 1;
            last.bytes += record_bytes;
            Some(record_bytes)
        } else {
            last.closed = true;
            None
        }
    }

    /// `appendNewBatch`: the appended bytes are the new batch's estimated size.
    fn append_new_batch(&mut self, partition: i32, record_bytes: i32) -> i32 {
        let upper_bound = BATCH_HEADER_BYTES + MAX_RECORD_OVERHEAD + record_bytes;
        let batch = Batch {
            records: 1,
            bytes: BATCH_HEADER_BYTES + record_bytes,
            write_limit: self.batch_size.max(upper_bound),
            closed: false,
        };
        let appended = batch.bytes;
        self.queues.entry(partition).or_default().push(batch);
        appended
    }

    /// `RecordAccumulator.append`, following the documented sequence. Returns the partition.
    fn append(
        &mut self,
        partitioner: &mut Partitioner,
        topic: &str,
        partition: i32,
        record_bytes: i32,
        view: &TopicPartitionsView,
        rng: &mut impl RngCore,
    ) -> i32 {
        loop {
            let info = (partition == UNKNOWN_PARTITION)
                .then(|| partitioner.built_in(topic).peek_current_partition_info(view, rng));
            let effective = info.map_or(partition, |i| i.partition());
            self.queues.entry(effective).or_default();

            let full = self.all_batches_full(effective);
            if partitioner.built_in(topic).partition_changed(info.as_ref(), full, view, rng) {
                continue;
            }
            if let Some(appended) = self.try_append(effective, record_bytes) {
                let enable_switch = self.all_batches_full(effective);
                partitioner.built_in(topic).update_partition_info(info.as_ref(), appended, view, enable_switch, rng);
                return effective;
            }

            let full = self.all_batches_full(effective);
            if partitioner.built_in(topic).partition_changed(info.as_ref(), full, view, rng) {
                continue;
            }
            let appended = self.append_new_batch(effective, record_bytes);
            let enable_switch = self.all_batches_full(effective);
            partitioner.built_in(topic).update_partition_info(info.as_ref(), appended, view, enable_switch, rng);
            return effective;
        }
    }

    fn partition_queues(&self, leaders: &[BrokerId]) -> Vec<PartitionQueue> {
        self.queues
            .iter()
            .map(|(&partition, q)| PartitionQueue {
                partition,
                leader: Some(leaders[partition as usize]),
                queued_batches: q.len(),
            })
            .collect()
    }
}

fn record_bytes(value_bytes: i32) -> i32 {
    // A keyless v2 record of this value size, roughly (the exact varints do not matter here).
    7 + value_bytes
}

/// `RecordAccumulatorTest.testUniformBuiltInPartitioner`.
#[test]
fn uniform_sticky_switches_only_once_the_batch_is_complete() {
    let mut rng = SequentialRng(0);
    let mut partitioner = Partitioner::from_config(&PartitionerConfig {
        batch_size: 1024,
        adaptive_partitioning_enable: false,
        ..PartitionerConfig::default()
    })
    .unwrap();
    let mut accumulator = FakeAccumulator::new(1024);
    let available = [0, 1, 2];
    let view = TopicPartitionsView { num_partitions: 3, available_partitions: &available };
    let topic = "topic";

    let small = record_bytes(5);
    let large = record_bytes(1024);

    // A small record: the first sticky partition is chosen (one random draw).
    assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, small, &view, &mut rng), 0);
    assert_eq!(rng.0, 1);
    // A large record passes the sticky limit, but the new batch it opens is not full, so the
    // switch is held back and the record stays on partition 0.
    assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng), 0);
    assert_eq!(rng.0, 1);
    // Each further large record completes the previous batch and switches first.
    assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng), 1);
    assert_eq!(rng.0, 2);
    assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng), 2);
    assert_eq!(rng.0, 3);
    assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng), 0);
    assert_eq!(rng.0, 4);
}

/// `RecordAccumulatorTest.testAdaptiveBuiltInPartitioner`, with
/// `partitioner.availability.timeout.ms = 100`; partitions 0 and 1 are led by broker 0,
/// partition 2 by broker 1.
#[test]
fn adaptive_sticky_follows_queue_sizes_and_avoids_a_slow_broker() {
    let mut rng = SequentialRng(0);
    let mut partitioner = Partitioner::from_config(&PartitionerConfig {
        batch_size: 128,
        availability_timeout_ms: 100,
        ..PartitionerConfig::default()
    })
    .unwrap();
    let mut node_latency = NodeLatencyTracker::new(partitioner.availability_timeout_ms());
    let mut accumulator = FakeAccumulator::new(128);
    let leaders = [BrokerId(0), BrokerId(0), BrokerId(1)];
    let available = [0, 1, 2];
    let view = TopicPartitionsView { num_partitions: 3, available_partitions: &available };
    let topic = "topic";
    let large = record_bytes(128);

    // Queue 1, 7 and 2 batches on the three partitions (each large record opens a batch).
    let queue_sizes: [i32; 3] = [1, 7, 2];
    for (partition, &count) in queue_sizes.iter().enumerate() {
        for _ in 0..count {
            accumulator.append(&mut partitioner, topic, partition as i32, large, &view, &mut rng);
        }
        assert_eq!(accumulator.queues[&(partition as i32)].len(), count as usize);
    }
    assert_eq!(rng.0, 0, "explicit partitions draw nothing");

    // ready(): the load stats.
    let ready = |accumulator: &FakeAccumulator, partitioner: &mut Partitioner, node_latency: &NodeLatencyTracker| {
        let queues = accumulator.partition_queues(&leaders);
        let sizes = collect_queue_sizes(partitioner.enable_adaptive_partitioning(), 3, &queues, node_latency);
        partitioner.built_in(topic).update_partition_load_stats(sizes);
    };
    ready(&accumulator, &mut partitioner, &node_latency);

    // Prime: the first unkeyed append picks the first sticky partition.
    accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng);

    let cycles = 2;
    let iterations = partitioner.built_in(topic).load_stats_range_end().unwrap() * cycles;
    let mut frequencies = [0; 3];
    for _ in 0..iterations {
        let p = accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng);
        frequencies[p as usize] += 1;
    }
    for (i, &q) in queue_sizes.iter().enumerate() {
        assert_eq!(frequencies[i], (8 - q) * cycles, "partition {i}: {frequencies:?}");
    }

    // Broker 0 has had data ready for 200 ms that it could not take.
    node_latency.update_node_latency_stats(BrokerId(0), 1000 - 200, true);
    node_latency.update_node_latency_stats(BrokerId(0), 1000, false);
    ready(&accumulator, &mut partitioner, &node_latency);

    // One append (the switch happens on it), then everything goes to partition 2.
    accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng);
    for _ in 0..10 {
        assert_eq!(accumulator.append(&mut partitioner, topic, UNKNOWN_PARTITION, large, &view, &mut rng), 2);
    }
}

/// The KAFKA-14156 behaviour behind `testBuiltInPartitionerFractionalBatches`: with small
/// records and batches that fill up, the partition switches on a batch boundary, after between
/// `batch.size` and `2 * batch.size` bytes.
#[test]
fn switches_happen_on_batch_boundaries() {
    let mut rng = SequentialRng(0);
    let mut partitioner = Partitioner::from_config(&PartitionerConfig {
        batch_size: 512,
        adaptive_partitioning_enable: false,
        ..PartitionerConfig::default()
    })
    .unwrap();
    let mut accumulator = FakeAccumulator::new(512);
    let available = [0, 1, 2, 3];
    let view = TopicPartitionsView { num_partitions: 4, available_partitions: &available };
    let mut previous = None;
    let mut run_bytes = 0;
    for _ in 0..2000 {
        let p = accumulator.append(&mut partitioner, "t", UNKNOWN_PARTITION, record_bytes(32), &view, &mut rng);
        if previous.is_some_and(|q| q != p) {
            assert!((512..1024 + 61 + 39).contains(&run_bytes), "switched after {run_bytes} bytes");
            run_bytes = 0;
        }
        run_bytes += record_bytes(32);
        previous = Some(p);
    }
    // Every batch except the open last ones was closed full or at the switch.
    for queue in accumulator.queues.values() {
        for batch in &queue[..queue.len().saturating_sub(1)] {
            assert!(batch.bytes > 512 - record_bytes(32), "fractional batch of {} bytes", batch.bytes);
        }
    }
}
