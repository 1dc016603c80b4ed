//! Producer partitioners: which partition of a topic each record is sent to.
//!
//! Follows Kafka 4.x's `KafkaProducer.partition(...)` and the partition logic inside
//! `RecordAccumulator.append(...)`:
//!
//! 1. a record that names its partition goes there;
//! 2. with `partitioner.class` set, that partitioner decides: [`RoundRobinPartitioner`]
//!    (`org.apache.kafka.clients.producer.RoundRobinPartitioner`) or the scenario's
//!    [`CustomPartitioner`] rules (`"custom"`, standing in for a user's class);
//! 3. otherwise a keyed record goes to `toPositive(murmur2(key)) % numPartitions`
//!    ([`partition_for_key`]), unless `partitioner.ignore.keys=true`;
//! 4. otherwise the partition is left open ([`UNKNOWN_PARTITION`]) and the accumulator takes
//!    the topic's [`BuiltInPartitioner`] (KIP-794 uniform sticky, adaptive by default) to pick
//!    it while appending.
//!
//! `DefaultPartitioner` and `UniformStickyPartitioner` were removed in Kafka 4.0 (deprecated by
//! KIP-794 in 3.3); naming them is an error that says what to configure instead.
//!
//! # The call sequence the producer must follow
//!
//! Kafka 4.x calls the partitioner exactly once per record (`onNewBatch` is gone since 4.0),
//! then the accumulator runs the sticky protocol. With `rng` the producer's seeded RNG and
//! `view` the topic's [`TopicPartitionsView`] from the producer's current metadata:
//!
//! ```text
//! // KafkaProducer.doSend -> partition(record, serializedKey, ..., cluster)
//! let partition = partitioner.partition(topic, record_partition, key_bytes, &view)?;  // Err: the send fails
//!
//! // RecordAccumulator.append(topic, partition, ...)
//! loop {
//!     let info = if partition == UNKNOWN_PARTITION {
//!         Some(partitioner.built_in(topic).peek_current_partition_info(&view, rng))
//!     } else {
//!         None
//!     };
//!     let effective = info.map_or(partition, |i| i.partition());
//!     let queue = queue_of(topic, effective);                       // created if absent
//!     // (a) first attempt: append to the queue's last batch
//!     if partitioner.built_in(topic).partition_changed(info.as_ref(), all_batches_full(queue), &view, rng) {
//!         continue;
//!     }
//!     if let Some(appended_bytes) = try_append_to_last_batch(queue, record) {
//!         let enable_switch = all_batches_full(queue);              // after the append
//!         partitioner.built_in(topic).update_partition_info(info.as_ref(), appended_bytes, &view, enable_switch, rng);
//!         break;
//!     }
//!     // the last batch had no room and is now closed for appends, which makes it full
//!     // (b) second attempt: a new batch
//!     if partitioner.built_in(topic).partition_changed(info.as_ref(), all_batches_full(queue), &view, rng) {
//!         continue;                                                 // a held-back switch completed
//!     }
//!     let appended_bytes = append_new_batch(queue, record);         // the new batch's estimated size, header included
//!     let enable_switch = all_batches_full(queue);
//!     partitioner.built_in(topic).update_partition_info(info.as_ref(), appended_bytes, &view, enable_switch, rng);
//!     break;
//! }
//!
//! // RecordAccumulator.ready(), every sender pass, for each topic with queues:
//! let sizes = collect_queue_sizes(partitioner.enable_adaptive_partitioning(), view.num_partitions,
//!                                 &queues_of(topic) /* ascending partition */, &node_latency);
//! partitioner.built_in(topic).update_partition_load_stats(sizes);
//!
//! // Sender.sendProducerData, for every node ready() returned:
//! node_latency.update_node_latency_stats(node, now_ms, /* can_drain = */ connection_ready(node));
//! ```
//!
//! `all_batches_full(queue)` is Kafka's `allBatchesFull`: the queue is empty or its last batch
//! is full (`MemoryRecordsBuilder.isFull`: closed for appends, or at its write limit). The byte
//! counts are the accumulator's estimates (`ProducerBatch.estimatedSizeInBytes` differences).
//! `node_latency` is a [`NodeLatencyTracker`] built with
//! [`Partitioner::availability_timeout_ms`]. With one producer thread no append ever races
//! another, so `partition_changed` only reports the held-back switch of step (b); the retry
//! loop is kept so that the sequence is Kafka's.
//!
//! Not modelled: explicit partitions are validated here (Kafka does it in `waitOnMetadata` and
//! the `ProducerRecord` constructor); user partitioner classes beyond the custom rules.

pub mod built_in;
pub mod custom;
pub mod load_stats;
pub mod murmur2;
pub mod round_robin;

#[cfg(test)]
mod accumulator_protocol_tests;

pub use built_in::{BuiltInPartitioner, QueueSizes, StickyPartitionInfo};
pub use custom::{CustomPartitioner, CustomPartitionerRules, CustomRulesError, KeyPrefixRule, Otherwise};
pub use load_stats::{collect_queue_sizes, NodeLatencyStats, NodeLatencyTracker, PartitionQueue};
pub use murmur2::{murmur2, partition_for_key, to_positive};
pub use round_robin::RoundRobinPartitioner;

use crate::protocol::types::TopicName;
use std::collections::BTreeMap;

/// Kafka's `RecordMetadata.UNKNOWN_PARTITION`: "let the built-in partitioner choose".
pub const UNKNOWN_PARTITION: i32 = -1;

/// The full class name of Kafka's round-robin partitioner.
pub const ROUND_ROBIN_PARTITIONER_CLASS: &str = "org.apache.kafka.clients.producer.RoundRobinPartitioner";
/// The `partitioner.class` value that selects the scenario's [`CustomPartitionerRules`].
pub const CUSTOM_PARTITIONER_CLASS: &str = "custom";

/// What the partitioners read from the producer's `Cluster` metadata for one topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicPartitionsView<'a> {
    /// `cluster.partitionsForTopic(topic).size()`: all partitions, with a leader or not.
    pub num_partitions: i32,
    /// `cluster.availablePartitionsForTopic(topic)`: the partitions whose leader is known, in
    /// the metadata's order (ascending partition id when built from the simulator's metadata).
    /// Which partition a random draw or a round-robin counter lands on depends on this order.
    pub available_partitions: &'a [i32],
}

/// The producer configs the partitioners read, with Kafka 4.x's defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionerConfig {
    /// `partitioner.class` (default null: the built-in partitioner).
    pub partitioner_class: Option<String>,
    /// `batch.size` (default 16384): also the built-in partitioner's sticky limit.
    pub batch_size: i32,
    /// `partitioner.adaptive.partitioning.enable` (default true).
    pub adaptive_partitioning_enable: bool,
    /// `partitioner.availability.timeout.ms` (default 0 = off).
    pub availability_timeout_ms: u64,
    /// `partitioner.ignore.keys` (default false).
    pub ignore_keys: bool,
    /// The scenario's `[producers.partitioner]` rules, for `partitioner.class = "custom"`.
    pub custom_rules: Option<CustomPartitionerRules>,
}

impl Default for PartitionerConfig {
    fn default() -> Self {
        PartitionerConfig {
            partitioner_class: None,
            batch_size: 16384,
            adaptive_partitioning_enable: true,
            availability_timeout_ms: 0,
            ignore_keys: false,
            custom_rules: None,
        }
    }
}

/// A partitioner configuration the simulator cannot build.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartitionerConfigError {
    /// Java's `IllegalArgumentException` from the `BuiltInPartitioner` constructor.
    #[error("stickyBatchSize must be >= 1 but got {sticky_batch_size}")]
    StickyBatchSizeTooSmall { sticky_batch_size: i32 },
    #[error(
        "Invalid value {class} for configuration partitioner.class: {class} was removed in Kafka \
         4.0 (deprecated by KIP-794). Leave partitioner.class unset to get the built-in \
         partitioner{hint}"
    )]
    RemovedInKafka4 { class: String, hint: &'static str },
    #[error(
        "Invalid value {class} for configuration partitioner.class: Class {class} could not be \
         found. The simulator models: unset (the built-in partitioner), \
         {ROUND_ROBIN_PARTITIONER_CLASS} (or RoundRobinPartitioner), and \"custom\" with \
         [producers.partitioner] rules"
    )]
    UnknownClass { class: String },
    #[error("partitioner.class = \"custom\" needs the rules in a [producers.partitioner] table")]
    CustomWithoutRules,
    #[error(
        "[producers.partitioner] rules are given, but partitioner.class is {class}: set \
         partitioner.class to \"custom\" (or leave it unset) to use them"
    )]
    RulesWithOtherClass { class: String },
    #[error(transparent)]
    CustomRules(#[from] CustomRulesError),
}

/// Why a record could not be given a partition: the send fails with this error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartitionError {
    /// The `ProducerRecord` constructor's `IllegalArgumentException`.
    #[error("Invalid partition: {partition}. Partition number should always be non-negative or null.")]
    NegativeRecordPartition { partition: i32 },
    /// `KafkaProducer.waitOnMetadata`'s `KafkaException`.
    #[error("Invalid partition given with record: {partition} is not in the range [0...{num_partitions}).")]
    RecordPartitionOutOfRange { partition: i32, num_partitions: i32 },
    /// The custom partitioner needs a key (the course's class calls `key.toString()`).
    #[error("the custom partitioner needs a record key, and this record has none")]
    KeyRequired,
    /// A custom rule names a partition the topic does not have (the scenario's validation
    /// normally catches this before the run).
    #[error("the custom partitioner chose partition {partition}, but the topic has {num_partitions} partition(s)")]
    NoSuchPartition { partition: i32, num_partitions: i32 },
    /// `hash-remaining` with every partition named by a rule.
    #[error("the custom partitioner has no partition left for keys that match no rule (topic has {num_partitions})")]
    NoRemainingPartition { num_partitions: i32 },
}

/// The partitioner that `partitioner.class` selects.
#[derive(Clone, Debug)]
pub enum PartitionerClass {
    /// `partitioner.class` unset: murmur2 for keys, [`BuiltInPartitioner`] for the rest.
    BuiltIn,
    RoundRobin(RoundRobinPartitioner),
    Custom(CustomPartitioner),
}

/// A producer's partitioner: the configured class plus, per topic, the built-in sticky state the
/// accumulator consults for records left at [`UNKNOWN_PARTITION`]. See the module docs for the
/// call sequence.
#[derive(Clone, Debug)]
pub struct Partitioner {
    class: PartitionerClass,
    ignore_keys: bool,
    /// `max(1, batch.size)`, as `KafkaProducer` passes it to the accumulator.
    sticky_batch_size: i32,
    enable_adaptive_partitioning: bool,
    availability_timeout_ms: u64,
    /// The accumulator's per-topic `BuiltInPartitioner`s, created on first use.
    built_in: BTreeMap<TopicName, BuiltInPartitioner>,
}

impl Partitioner {
    /// Builds the partitioner from the producer's config. `partitioner.class` may be unset,
    /// `org.apache.kafka.clients.producer.RoundRobinPartitioner` (or `RoundRobinPartitioner`),
    /// or `"custom"`; rules given without a class also select the custom partitioner.
    pub fn from_config(config: &PartitionerConfig) -> Result<Partitioner, PartitionerConfigError> {
        let class = match (config.partitioner_class.as_deref(), &config.custom_rules) {
            (None, None) => PartitionerClass::BuiltIn,
            (None | Some(CUSTOM_PARTITIONER_CLASS), Some(rules)) => {
                PartitionerClass::Custom(CustomPartitioner::new(rules.clone())?)
            }
            (Some(CUSTOM_PARTITIONER_CLASS), None) => return Err(PartitionerConfigError::CustomWithoutRules),
            (Some(name), rules) => {
                let class = Self::named_class(name)?;
                if rules.is_some() {
                    return Err(PartitionerConfigError::RulesWithOtherClass { class: name.to_string() });
                }
                class
            }
        };
        // KafkaProducer: adaptive partitioning only without a partitioner class.
        let enable_adaptive_partitioning =
            matches!(class, PartitionerClass::BuiltIn) && config.adaptive_partitioning_enable;
        Ok(Partitioner {
            class,
            ignore_keys: config.ignore_keys,
            sticky_batch_size: config.batch_size.max(1),
            enable_adaptive_partitioning,
            availability_timeout_ms: config.availability_timeout_ms,
            built_in: BTreeMap::new(),
        })
    }

    fn named_class(name: &str) -> Result<PartitionerClass, PartitionerConfigError> {
        const DEFAULT_PARTITIONER: &str = "org.apache.kafka.clients.producer.internals.DefaultPartitioner";
        const UNIFORM_STICKY_PARTITIONER: &str = "org.apache.kafka.clients.producer.UniformStickyPartitioner";
        match name {
            ROUND_ROBIN_PARTITIONER_CLASS | "RoundRobinPartitioner" => {
                Ok(PartitionerClass::RoundRobin(RoundRobinPartitioner::new()))
            }
            DEFAULT_PARTITIONER | "DefaultPartitioner" => Err(PartitionerConfigError::RemovedInKafka4 {
                class: name.to_string(),
                hint: ", which hashes keys and spreads records without keys the same way",
            }),
            UNIFORM_STICKY_PARTITIONER | "UniformStickyPartitioner" => Err(PartitionerConfigError::RemovedInKafka4 {
                class: name.to_string(),
                hint: ", and set partitioner.ignore.keys=true to ignore keys as it did",
            }),
            _ => Err(PartitionerConfigError::UnknownClass { class: name.to_string() }),
        }
    }

    pub fn class(&self) -> &PartitionerClass {
        &self.class
    }

    /// Whether the accumulator should collect queue sizes for adaptive partitioning:
    /// `partitioner.adaptive.partitioning.enable` and no `partitioner.class`.
    pub fn enable_adaptive_partitioning(&self) -> bool {
        self.enable_adaptive_partitioning
    }

    /// `partitioner.availability.timeout.ms`, for the accumulator's [`NodeLatencyTracker`].
    pub fn availability_timeout_ms(&self) -> u64 {
        self.availability_timeout_ms
    }

    /// `KafkaProducer.partition(record, serializedKey, serializedValue, cluster)`: the record's
    /// partition, or [`UNKNOWN_PARTITION`] when the built-in sticky partitioner is to choose it
    /// during the append. `record_partition` is `ProducerRecord.partition()`; `key` is the
    /// serialized key (the key's UTF-8 bytes for Kafka's `StringSerializer`).
    pub fn partition(
        &mut self,
        topic: &str,
        record_partition: Option<i32>,
        key: Option<&[u8]>,
        cluster: &TopicPartitionsView,
    ) -> Result<i32, PartitionError> {
        let num_partitions = cluster.num_partitions;
        if let Some(partition) = record_partition {
            if partition < 0 {
                return Err(PartitionError::NegativeRecordPartition { partition });
            }
            if partition >= num_partitions {
                return Err(PartitionError::RecordPartitionOutOfRange { partition, num_partitions });
            }
            return Ok(partition);
        }
        match &mut self.class {
            PartitionerClass::RoundRobin(round_robin) => Ok(round_robin.partition(topic, cluster)),
            PartitionerClass::Custom(custom) => custom.partition(key, num_partitions),
            PartitionerClass::BuiltIn => match key {
                Some(key) if !self.ignore_keys => Ok(partition_for_key(key, num_partitions)),
                _ => Ok(UNKNOWN_PARTITION),
            },
        }
    }

    /// The topic's [`BuiltInPartitioner`] (the accumulator's `TopicInfo.builtInPartitioner`),
    /// created with `batch.size` as its sticky limit on first use.
    pub fn built_in(&mut self, topic: &str) -> &mut BuiltInPartitioner {
        if !self.built_in.contains_key(topic) {
            let partitioner = BuiltInPartitioner::new(topic, self.sticky_batch_size)
                .expect("sticky batch size is max(1, batch.size)");
            self.built_in.insert(TopicName::from(topic), partitioner);
        }
        self.built_in.get_mut(topic).expect("inserted above")
    }

    /// The topic's built-in partitioner if one exists yet (for reports).
    pub fn built_in_if_present(&self, topic: &str) -> Option<&BuiltInPartitioner> {
        self.built_in.get(topic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(num_partitions: i32, available: &[i32]) -> TopicPartitionsView<'_> {
        TopicPartitionsView { num_partitions, available_partitions: available }
    }

    fn config(class: Option<&str>) -> PartitionerConfig {
        PartitionerConfig { partitioner_class: class.map(str::to_string), ..PartitionerConfig::default() }
    }

    #[test]
    fn defaults_are_kafkas() {
        let c = PartitionerConfig::default();
        assert_eq!(c.batch_size, 16384);
        assert!(c.adaptive_partitioning_enable);
        assert_eq!(c.availability_timeout_ms, 0);
        assert!(!c.ignore_keys);
        let p = Partitioner::from_config(&c).unwrap();
        assert!(matches!(p.class(), PartitionerClass::BuiltIn));
        assert!(p.enable_adaptive_partitioning());
    }

    #[test]
    fn built_in_hashes_keys_and_leaves_unkeyed_records_open() {
        let mut p = Partitioner::from_config(&config(None)).unwrap();
        let all = [0, 1, 2, 3, 4, 5];
        let cluster = view(6, &all);
        assert_eq!(p.partition("t", None, Some(b"foobar"), &cluster), Ok(partition_for_key(b"foobar", 6)));
        assert_eq!(p.partition("t", None, None, &cluster), Ok(UNKNOWN_PARTITION));
        assert_eq!(p.partition("t", Some(4), Some(b"foobar"), &cluster), Ok(4));
        // A keyed record keeps its partition even when that partition's leader is down.
        let without_leader: Vec<i32> = all.iter().copied().filter(|&q| q != partition_for_key(b"foobar", 6)).collect();
        assert_eq!(
            p.partition("t", None, Some(b"foobar"), &view(6, &without_leader)),
            Ok(partition_for_key(b"foobar", 6))
        );
    }

    #[test]
    fn ignore_keys_sends_keyed_records_to_the_sticky_partitioner() {
        let mut p = Partitioner::from_config(&PartitionerConfig { ignore_keys: true, ..config(None) }).unwrap();
        assert_eq!(p.partition("t", None, Some(b"foobar"), &view(3, &[0, 1, 2])), Ok(UNKNOWN_PARTITION));
    }

    #[test]
    fn explicit_partitions_are_checked_as_kafka_does() {
        let mut p = Partitioner::from_config(&config(None)).unwrap();
        let cluster = view(3, &[0, 1, 2]);
        assert_eq!(
            p.partition("t", Some(3), None, &cluster).unwrap_err().to_string(),
            "Invalid partition given with record: 3 is not in the range [0...3)."
        );
        assert_eq!(
            p.partition("t", Some(-1), None, &cluster).unwrap_err().to_string(),
            "Invalid partition: -1. Partition number should always be non-negative or null."
        );
    }

    #[test]
    fn class_names() {
        for name in [ROUND_ROBIN_PARTITIONER_CLASS, "RoundRobinPartitioner"] {
            let mut p = Partitioner::from_config(&config(Some(name))).unwrap();
            assert!(matches!(p.class(), PartitionerClass::RoundRobin(_)));
            assert!(!p.enable_adaptive_partitioning(), "no adaptive logic with a partitioner class");
            let cluster = view(3, &[0, 1, 2]);
            let got: Vec<i32> = (0..4).map(|_| p.partition("t", None, Some(b"k"), &cluster).unwrap()).collect();
            assert_eq!(got, [0, 1, 2, 0], "keys are ignored");
        }
        let err = Partitioner::from_config(&config(Some("org.apache.kafka.clients.producer.UniformStickyPartitioner")))
            .unwrap_err();
        assert!(err.to_string().contains("removed in Kafka 4.0"), "{err}");
        assert!(err.to_string().contains("partitioner.ignore.keys=true"), "{err}");
        let err =
            Partitioner::from_config(&config(Some("org.apache.kafka.clients.producer.internals.DefaultPartitioner")))
                .unwrap_err();
        assert!(err.to_string().contains("removed in Kafka 4.0"), "{err}");
        let err = Partitioner::from_config(&config(Some("com.example.MyPartitioner"))).unwrap_err();
        assert!(err.to_string().starts_with(
            "Invalid value com.example.MyPartitioner for configuration partitioner.class: Class \
             com.example.MyPartitioner could not be found."
        ));
    }

    #[test]
    fn custom_rules_select_the_custom_partitioner() {
        let rules = CustomPartitionerRules {
            rules: vec![KeyPrefixRule { key_prefix: "premium_".into(), partition: 0 }],
            otherwise: Otherwise::HashRemaining,
        };
        for class in [None, Some("custom")] {
            let c = PartitionerConfig { custom_rules: Some(rules.clone()), ..config(class) };
            let mut p = Partitioner::from_config(&c).unwrap();
            assert!(!p.enable_adaptive_partitioning());
            let cluster = view(4, &[0, 1, 2, 3]);
            assert_eq!(p.partition("t", None, Some(b"premium_bob"), &cluster), Ok(0));
            assert_eq!(p.partition("t", None, None, &cluster), Err(PartitionError::KeyRequired));
            assert_eq!(p.partition("t", Some(0), None, &cluster), Ok(0), "an explicit partition needs no key");
        }
        assert_eq!(
            Partitioner::from_config(&config(Some("custom"))).unwrap_err(),
            PartitionerConfigError::CustomWithoutRules
        );
        let c = PartitionerConfig { custom_rules: Some(rules), ..config(Some("RoundRobinPartitioner")) };
        assert!(matches!(Partitioner::from_config(&c), Err(PartitionerConfigError::RulesWithOtherClass { .. })));
    }

    #[test]
    fn batch_size_zero_still_builds_a_sticky_partitioner() {
        let mut p = Partitioner::from_config(&PartitionerConfig { batch_size: 0, ..config(None) }).unwrap();
        assert_eq!(p.built_in("t").sticky_batch_size(), 1);
        assert!(p.built_in_if_present("t").is_some());
        assert!(p.built_in_if_present("u").is_none());
    }
}
