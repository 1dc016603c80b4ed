//! The built-in partitioner for records without a key (or with `partitioner.ignore.keys=true`):
//! Kafka's `org.apache.kafka.clients.producer.internals.BuiltInPartitioner`, the "uniform sticky"
//! partitioner of KIP-794 with its adaptive mode, which replaced KIP-480's sticky partitioner.
//!
//! The producer sticks to one partition until `batch.size` bytes have been produced to it (not
//! until a batch is closed, as KIP-480 did), then picks the next one: uniformly at random among
//! the partitions whose leader is known, or, when `partitioner.adaptive.partitioning.enable` is
//! on and load stats exist, at random weighted by the inverse of each partition's queue length
//! in the accumulator (`PartitionLoadStats`, a cumulative frequency table), so that partitions
//! on slower brokers get less new data. Partitions on brokers that have not accepted data for
//! `partitioner.availability.timeout.ms` are left out of those stats (see [`super::load_stats`]).
//!
//! One `BuiltInPartitioner` exists per topic, as in Java (the accumulator's `TopicInfo`). The
//! Java class is shared between threads and uses an `AtomicReference` whose identity tells a
//! caller that a concurrent append switched the partition under it; here the identity is a
//! generation number inside [`StickyPartitionInfo`], so the same check-and-retry protocol can be
//! followed (and tested) even though the simulator's producer is single-threaded.
//!
//! Randomness: Java draws `Utils.toPositive(ThreadLocalRandom.nextInt())`; here the caller
//! passes the seeded RNG, and the same draw is `to_positive(rng.next_u32() as i32)`. Exactly one
//! draw happens per partition switch, also in the adaptive path, as in Java.
//!
//! Not modelled: the trace logging. Everything the Java code reads from `Cluster` is passed in
//! as a [`TopicPartitionsView`].

use super::murmur2::to_positive;
use super::{PartitionerConfigError, TopicPartitionsView};
use crate::protocol::types::TopicName;
use rand::RngCore;

/// The currently chosen sticky partition, as returned by
/// [`BuiltInPartitioner::peek_current_partition_info`] (Java's `StickyPartitionInfo`).
///
/// It is a handle: the produced-bytes counter lives in the partitioner, and `generation` plays
/// the part of Java's object identity (a new sticky partition is a new object in Java, a new
/// generation here), so [`BuiltInPartitioner::is_partition_changed`] can tell a stale handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StickyPartitionInfo {
    partition: i32,
    generation: u64,
}

impl StickyPartitionInfo {
    /// The sticky partition (Java: `StickyPartitionInfo.partition()`).
    pub fn partition(&self) -> i32 {
        self.partition
    }
}

/// The queue sizes the accumulator collected for one topic in `RecordAccumulator.ready()`
/// (Java passes them as `int[] queueSizes, int[] partitionIds, int length`).
///
/// `queue_sizes.len()` is the number of partitions that have a queue in the accumulator
/// (including those without a leader); only the first `length` entries are meaningful: the
/// partitions with a known leader that were not excluded by `partitioner.availability.timeout.ms`.
/// [`super::load_stats::collect_queue_sizes`] builds this exactly as `RecordAccumulator` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueSizes {
    pub queue_sizes: Vec<i32>,
    pub partition_ids: Vec<i32>,
    pub length: usize,
}

/// Java's `PartitionLoadStats`: a cumulative frequency table over `partition_ids[..length]`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PartitionLoadStats {
    cumulative_frequency_table: Vec<i32>,
    partition_ids: Vec<i32>,
    length: usize,
}

/// The state of the current sticky partition: Java's `AtomicReference<StickyPartitionInfo>`
/// together with the `producedBytes` counter inside the referenced object.
#[derive(Clone, Copy, Debug)]
struct StickyState {
    info: StickyPartitionInfo,
    /// Java's `AtomicInteger producedBytes`: wraps like a Java `int`.
    produced_bytes: i32,
}

/// `BuiltInPartitioner`: one per topic. See the module documentation, and the call sequence in
/// [`super`] (`partitioner/mod.rs`).
#[derive(Clone, Debug)]
pub struct BuiltInPartitioner {
    topic: TopicName,
    /// `batch.size`: how many bytes to produce to a partition before switching.
    sticky_batch_size: i32,
    partition_load_stats: Option<PartitionLoadStats>,
    sticky_partition_info: Option<StickyState>,
    /// Source of fresh [`StickyPartitionInfo`] identities.
    next_generation: u64,
}

impl BuiltInPartitioner {
    /// `new BuiltInPartitioner(logContext, topic, stickyBatchSize)`. Java rejects a sticky batch
    /// size below 1 with an `IllegalArgumentException`; `KafkaProducer` passes
    /// `max(1, batch.size)`, so a producer with `batch.size=0` still works.
    pub fn new(
        topic: impl Into<TopicName>,
        sticky_batch_size: i32,
    ) -> Result<BuiltInPartitioner, PartitionerConfigError> {
        if sticky_batch_size < 1 {
            return Err(PartitionerConfigError::StickyBatchSizeTooSmall { sticky_batch_size });
        }
        Ok(BuiltInPartitioner {
            topic: topic.into(),
            sticky_batch_size,
            partition_load_stats: None,
            sticky_partition_info: None,
            next_generation: 0,
        })
    }

    pub fn topic(&self) -> &TopicName {
        &self.topic
    }

    pub fn sticky_batch_size(&self) -> i32 {
        self.sticky_batch_size
    }

    /// The current sticky partition, if one has been chosen (for reports and tests).
    pub fn current_partition(&self) -> Option<i32> {
        self.sticky_partition_info.map(|s| s.info.partition)
    }

    /// Bytes produced to the current sticky partition so far (for reports and tests).
    pub fn produced_bytes(&self) -> i32 {
        self.sticky_partition_info.map_or(0, |s| s.produced_bytes)
    }

    /// `loadStatsRangeEnd()`: the end of the weighted random range (the sum of all
    /// frequencies), or `None` when the partitioner is not in adaptive mode.
    pub fn load_stats_range_end(&self) -> Option<i32> {
        self.partition_load_stats.as_ref().map(|s| s.cumulative_frequency_table[s.length - 1])
    }

    /// `randomPartition()`: a non-negative random `int`.
    fn random_partition<R: RngCore + ?Sized>(rng: &mut R) -> i32 {
        to_positive(rng.next_u32() as i32)
    }

    /// `nextPartition(cluster)`: the partition to switch to.
    fn next_partition<R: RngCore + ?Sized>(&self, cluster: &TopicPartitionsView, rng: &mut R) -> i32 {
        // Java draws the random number before looking at the stats, whichever path it takes.
        let random = Self::random_partition(rng);
        match &self.partition_load_stats {
            None => {
                // Uniform: among partitions with a leader; if there are none, among all of them
                // (the record then waits in the accumulator until a leader appears).
                if !cluster.available_partitions.is_empty() {
                    let index = random as usize % cluster.available_partitions.len();
                    cluster.available_partitions[index]
                } else {
                    assert!(
                        cluster.num_partitions >= 1,
                        "topic {} has no partitions in the metadata the producer passed",
                        self.topic
                    );
                    random % cluster.num_partitions
                }
            }
            Some(stats) => {
                // Weighted: the first table entry strictly greater than the weighted random
                // number. The table is strictly increasing (every frequency is at least 1), so
                // "first entry greater than x" is the count of entries <= x; this is Java's
                // `Math.abs(Arrays.binarySearch(...) + 1)`.
                let table = &stats.cumulative_frequency_table[..stats.length];
                let weighted_random = random % table[stats.length - 1];
                let partition_index = table.partition_point(|&c| c <= weighted_random);
                assert!(partition_index < stats.length, "weighted index out of range");
                stats.partition_ids[partition_index]
            }
        }
    }

    /// Makes `partition` the new sticky partition, with a fresh identity and a zero byte count.
    fn set_sticky(&mut self, partition: i32) -> StickyPartitionInfo {
        let info = StickyPartitionInfo { partition, generation: self.next_generation };
        self.next_generation += 1;
        self.sticky_partition_info = Some(StickyState { info, produced_bytes: 0 });
        info
    }

    /// `peekCurrentPartitionInfo(cluster)`: the current sticky partition, choosing the first
    /// one on first use. Step 1 of the append protocol (see [`super`]).
    pub fn peek_current_partition_info<R: RngCore + ?Sized>(
        &mut self,
        cluster: &TopicPartitionsView,
        rng: &mut R,
    ) -> StickyPartitionInfo {
        if let Some(state) = self.sticky_partition_info {
            return state.info;
        }
        let partition = self.next_partition(cluster, rng);
        self.set_sticky(partition)
    }

    /// `isPartitionChanged(partitionInfo)`: whether the sticky partition moved on since the
    /// caller peeked. `None` (the record had a partition of its own) is never "changed".
    pub fn is_partition_changed(&self, partition_info: Option<&StickyPartitionInfo>) -> bool {
        match partition_info {
            None => false,
            Some(info) => self.sticky_partition_info.map(|s| s.info) != Some(*info),
        }
    }

    /// `updatePartitionInfo(partitionInfo, appendedBytes, cluster, enableSwitch)`: counts the
    /// bytes just appended to the sticky partition and switches to the next partition once
    /// `batch.size` bytes have been produced to it, if `enable_switch`; unconditionally once
    /// twice `batch.size` have been.
    ///
    /// The accumulator passes `enable_switch = false` while the partition's last batch is not
    /// full yet (KAFKA-14156): switching then would leave a small fractional batch behind under
    /// a long `linger.ms`. The `2 * batch.size` cap bounds how long a switch can be held back.
    /// `None` (the record had a partition of its own) does nothing.
    pub fn update_partition_info<R: RngCore + ?Sized>(
        &mut self,
        partition_info: Option<&StickyPartitionInfo>,
        appended_bytes: i32,
        cluster: &TopicPartitionsView,
        enable_switch: bool,
        rng: &mut R,
    ) {
        let Some(info) = partition_info else {
            return;
        };
        let state = self.sticky_partition_info.as_mut().filter(|s| s.info == *info).unwrap_or_else(|| {
            panic!(
                "update_partition_info on topic {} with a stale sticky partition {:?}: the caller \
                     must check is_partition_changed first",
                self.topic, info
            )
        });
        // Java int arithmetic: the counter and `stickyBatchSize * 2` both wrap like Java's.
        state.produced_bytes = state.produced_bytes.wrapping_add(appended_bytes);
        let produced_bytes = state.produced_bytes;
        let twice_batch_size = self.sticky_batch_size.wrapping_mul(2);
        if (produced_bytes >= self.sticky_batch_size && enable_switch) || produced_bytes >= twice_batch_size {
            let partition = self.next_partition(cluster, rng);
            self.set_sticky(partition);
        }
    }

    /// `RecordAccumulator.partitionChanged(...)`: the check the accumulator makes after taking
    /// the partition queue's lock and before each append attempt. True when the sticky partition
    /// moved on (the caller must peek again and retry). When every batch in the queue is full,
    /// it first completes a switch that an earlier append held back (`enable_switch = false`)
    /// and reports that as a change too.
    pub fn partition_changed<R: RngCore + ?Sized>(
        &mut self,
        partition_info: Option<&StickyPartitionInfo>,
        all_batches_full: bool,
        cluster: &TopicPartitionsView,
        rng: &mut R,
    ) -> bool {
        if self.is_partition_changed(partition_info) {
            return true;
        }
        if all_batches_full {
            self.update_partition_info(partition_info, 0, cluster, true, rng);
            if self.is_partition_changed(partition_info) {
                return true;
            }
        }
        false
    }

    /// `updatePartitionLoadStats(queueSizes, partitionIds, length)`: rebuilds the cumulative
    /// frequency table from the accumulator's queue lengths, or drops it (back to uniform
    /// choice) when `queue_sizes` is `None` (adaptive partitioning off, or not every partition
    /// has had a batch yet), when fewer than two partitions exist, when no partition is
    /// available, or when all queues are equally long and none was excluded.
    ///
    /// A partition's frequency is `max_queue_size + 1 - queue_size`: the shortest queue is the
    /// likeliest pick, and even the longest keeps frequency 1.
    pub fn update_partition_load_stats(&mut self, queue_sizes: Option<QueueSizes>) {
        let Some(QueueSizes { mut queue_sizes, partition_ids, length }) = queue_sizes else {
            self.partition_load_stats = None;
            return;
        };
        assert_eq!(queue_sizes.len(), partition_ids.len(), "queue sizes and partition ids differ in length");
        assert!(length <= queue_sizes.len(), "logical length {length} beyond {} queues", queue_sizes.len());

        // `queue_sizes.len()` counts every partition with a queue; `length` the ones not
        // excluded. If partitions were excluded, adaptive choice is still wanted, even with one
        // partition left.
        if length < 1 || queue_sizes.len() < 2 {
            self.partition_load_stats = None;
            return;
        }

        let mut max_size_plus_1 = queue_sizes[0];
        let mut all_equal = true;
        for &size in &queue_sizes[1..length] {
            if size != max_size_plus_1 {
                all_equal = false;
            }
            if size > max_size_plus_1 {
                max_size_plus_1 = size;
            }
        }
        max_size_plus_1 += 1;

        if all_equal && length == queue_sizes.len() {
            self.partition_load_stats = None;
            return;
        }

        // Invert each size into a frequency and fold into a running sum, in place as Java does.
        queue_sizes[0] = max_size_plus_1 - queue_sizes[0];
        for i in 1..length {
            queue_sizes[i] = max_size_plus_1 - queue_sizes[i] + queue_sizes[i - 1];
        }
        self.partition_load_stats =
            Some(PartitionLoadStats { cumulative_frequency_table: queue_sizes, partition_ids, length });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Kafka's tests replace `randomPartition()` with a counter (`SequentialPartitioner`); an RNG
    /// that returns 0, 1, 2, ... gives the same draws here.
    pub(crate) struct SequentialRng(pub u32);

    impl RngCore for SequentialRng {
        fn next_u32(&mut self) -> u32 {
            let value = self.0;
            self.0 += 1;
            value
        }
        fn next_u64(&mut self) -> u64 {
            self.next_u32() as u64
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(4) {
                let bytes = self.next_u32().to_le_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    fn view(num_partitions: i32, available: &[i32]) -> TopicPartitionsView<'_> {
        TopicPartitionsView { num_partitions, available_partitions: available }
    }

    /// `BuiltInPartitionerTest.testStickyPartitioning`.
    #[test]
    fn sticks_until_batch_size_bytes_then_switches() {
        let mut rng = SequentialRng(0);
        let available = [0, 1, 2];
        let cluster = view(3, &available);
        let mut p = BuiltInPartitioner::new("topicA", 3).unwrap();

        let info = p.peek_current_partition_info(&cluster, &mut rng);
        let first = info.partition();
        p.update_partition_info(Some(&info), 1, &cluster, true, &mut rng);
        for _ in 0..2 {
            let info = p.peek_current_partition_info(&cluster, &mut rng);
            assert_eq!(info.partition(), first);
            p.update_partition_info(Some(&info), 1, &cluster, true, &mut rng);
        }
        assert_ne!(p.peek_current_partition_info(&cluster, &mut rng).partition(), first);

        // Switching works with a single partition too.
        let single = [0];
        let cluster_b = view(1, &single);
        let mut b = BuiltInPartitioner::new("topicB", 1).unwrap();
        for _ in 0..10 {
            let info = b.peek_current_partition_info(&cluster_b, &mut rng);
            assert_eq!(info.partition(), 0);
            b.update_partition_info(Some(&info), 1, &cluster_b, true, &mut rng);
        }
    }

    /// `BuiltInPartitionerTest.unavailablePartitionsTest`, with a seeded RNG.
    #[test]
    fn never_picks_a_partition_without_leader_unless_none_has_one() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);

        let available_a = [0, 2];
        let cluster_a = view(3, &available_a);
        let mut a = BuiltInPartitioner::new("topicA", 1).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            let info = a.peek_current_partition_info(&cluster_a, &mut rng);
            assert_ne!(info.partition(), 1);
            seen.insert(info.partition());
            a.update_partition_info(Some(&info), 1, &cluster_a, true, &mut rng);
        }
        assert_eq!(seen.len(), 2, "both available partitions get chosen");

        let available_b = [1];
        let cluster_b = view(2, &available_b);
        let mut b = BuiltInPartitioner::new("topicB", 1).unwrap();
        for _ in 0..100 {
            let info = b.peek_current_partition_info(&cluster_b, &mut rng);
            assert_eq!(info.partition(), 1);
            b.update_partition_info(Some(&info), 1, &cluster_b, true, &mut rng);
        }

        // No partition available: pick among all of them anyway.
        let cluster_c = view(1, &[]);
        let mut c = BuiltInPartitioner::new("topicC", 1).unwrap();
        let info = c.peek_current_partition_info(&cluster_c, &mut rng);
        assert_eq!(info.partition(), 0);
        c.update_partition_info(Some(&info), 1, &cluster_c, true, &mut rng);
        assert_eq!(c.peek_current_partition_info(&cluster_c, &mut rng).partition(), 0);
    }

    /// `BuiltInPartitionerTest.adaptivePartitionsTest`: with a sequential "random" source the
    /// frequencies are exactly the inverted queue sizes.
    #[test]
    fn adaptive_frequencies_are_inverse_to_queue_sizes() {
        let mut rng = SequentialRng(0);
        let mut p = BuiltInPartitioner::new("topicA", 1).unwrap();
        let queue_sizes = vec![5, 0, 3, 0, 1];
        let partition_ids: Vec<i32> = (0..5).collect();
        let expected: Vec<i32> = queue_sizes.iter().map(|q| 6 - q).collect();
        p.update_partition_load_stats(Some(QueueSizes {
            queue_sizes: queue_sizes.clone(),
            partition_ids: partition_ids.clone(),
            length: 5,
        }));
        assert_eq!(p.load_stats_range_end(), Some(expected.iter().sum()));

        let cluster = view(5, &partition_ids);
        let cycles = 2;
        let iterations = p.load_stats_range_end().unwrap() * cycles;
        let mut frequencies = [0; 5];
        for _ in 0..iterations {
            let info = p.peek_current_partition_info(&cluster, &mut rng);
            frequencies[info.partition() as usize] += 1;
            p.update_partition_info(Some(&info), 1, &cluster, true, &mut rng);
        }
        for (i, f) in frequencies.iter().enumerate() {
            assert_eq!(*f, expected[i] * cycles, "partition {i}");
        }
    }

    /// `BuiltInPartitionerTest.testStickyBatchSizeMoreThatZero`.
    #[test]
    fn sticky_batch_size_must_be_positive() {
        let err = BuiltInPartitioner::new("topicA", 0).unwrap_err();
        assert_eq!(err.to_string(), "stickyBatchSize must be >= 1 but got 0");
        assert!(BuiltInPartitioner::new("topicA", 1).is_ok());
    }

    #[test]
    fn load_stats_are_dropped_when_uniform_would_do() {
        let mut p = BuiltInPartitioner::new("t", 16384).unwrap();
        let stats = |q: Vec<i32>, length| {
            Some(QueueSizes { partition_ids: (0..q.len() as i32).collect(), queue_sizes: q, length })
        };
        p.update_partition_load_stats(stats(vec![2, 2, 2], 3));
        assert_eq!(p.load_stats_range_end(), None, "all equal, none excluded");
        p.update_partition_load_stats(stats(vec![2, 2, 2], 2));
        assert_eq!(p.load_stats_range_end(), Some(2), "all equal but one excluded: 1 + 1");
        p.update_partition_load_stats(stats(vec![4], 1));
        assert_eq!(p.load_stats_range_end(), None, "a single partition");
        p.update_partition_load_stats(stats(vec![1, 3], 0));
        assert_eq!(p.load_stats_range_end(), None, "nothing available");
        p.update_partition_load_stats(stats(vec![1, 3], 2));
        assert_eq!(p.load_stats_range_end(), Some(3 + 1));
        p.update_partition_load_stats(None);
        assert_eq!(p.load_stats_range_end(), None, "adaptive off");
    }

    #[test]
    fn switch_is_held_back_until_twice_the_batch_size() {
        let mut rng = SequentialRng(0);
        let available = [0, 1, 2];
        let cluster = view(3, &available);
        let mut p = BuiltInPartitioner::new("t", 100).unwrap();
        let info = p.peek_current_partition_info(&cluster, &mut rng);
        p.update_partition_info(Some(&info), 150, &cluster, false, &mut rng);
        assert!(!p.is_partition_changed(Some(&info)), "held back: last batch not full");
        // The accumulator completes the held-back switch once the queue's batches are full.
        assert!(p.partition_changed(Some(&info), true, &cluster, &mut rng));
        let info = p.peek_current_partition_info(&cluster, &mut rng);
        p.update_partition_info(Some(&info), 199, &cluster, false, &mut rng);
        assert!(!p.is_partition_changed(Some(&info)));
        p.update_partition_info(Some(&info), 1, &cluster, false, &mut rng);
        assert!(p.is_partition_changed(Some(&info)), "2 x batch.size switches regardless");
    }

    #[test]
    fn records_with_their_own_partition_leave_the_sticky_state_alone() {
        let mut rng = SequentialRng(0);
        let cluster = view(3, &[0, 1, 2]);
        let mut p = BuiltInPartitioner::new("t", 1).unwrap();
        assert!(!p.is_partition_changed(None));
        p.update_partition_info(None, 1_000_000, &cluster, true, &mut rng);
        assert!(!p.partition_changed(None, true, &cluster, &mut rng));
        assert_eq!(p.current_partition(), None);
        assert_eq!(rng.0, 0, "no random draw");
    }
}
