//! Broker configs (`[cluster.config]`) and topic configs (`[topics.config]`), with Kafka 4.x
//! defaults from `ReplicationConfigs`, `KRaftConfigs`, `ServerLogConfigs` and `LogConfig`.
//!
//! A topic config overrides the broker's default of the same meaning (`retention.ms` overrides
//! `log.retention.ms`), exactly as Kafka's `LogConfig` does.

use super::def::{ConfigDef, ConfigKey, ConfigType, ResolvedConfig, Validator};
use super::planted_bug::{planted_bug, PlantedBug, BROKER_PLANTED_BUGS, BROKER_PLANTED_BUG_NAMES};

const LONG_MAX: &str = "9223372036854775807";

/// How a follower finds where its log diverges from a new leader's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TruncationMode {
    /// Today's Kafka: OffsetsForLeaderEpoch with KIP-279's answer (largest epoch <= requested).
    LeaderEpoch,
    /// KIP-101 as first shipped (Kafka 0.11): the leader answers with the end offset of the
    /// requested epoch or, if it has never seen it, its own log end offset. Zoo #4 (KIP-279).
    LeaderEpochKip101,
    /// Before KIP-101 (Kafka < 0.11): a follower truncates to its own high watermark. Zoo #2, #3.
    HighWatermark,
}

pub const BROKER_KEYS: &[ConfigKey] = &[
    ConfigKey {
        name: "unclean.leader.election.enable",
        kind: ConfigType::Boolean,
        default: Some("false"),
        validator: Validator::None,
        doc: "Elect a replica outside the ISR as leader when no ISR member is alive (may lose data).",
    },
    ConfigKey {
        name: "min.insync.replicas",
        kind: ConfigType::Int,
        default: Some("1"),
        validator: Validator::AtLeast(1),
        doc: "Fewest in-sync replicas for an acks=all write to be accepted.",
    },
    ConfigKey {
        name: "replica.lag.time.max.ms",
        kind: ConfigType::Long,
        default: Some("30000"),
        validator: Validator::AtLeast(0),
        doc: "A follower that has not caught up to the leader's log end for this long leaves the ISR.",
    },
    ConfigKey {
        name: "replica.fetch.wait.max.ms",
        kind: ConfigType::Int,
        default: Some("500"),
        validator: Validator::AtLeast(0),
        doc: "How long a follower's fetch may wait at the leader for new data.",
    },
    ConfigKey {
        name: "replica.fetch.min.bytes",
        kind: ConfigType::Int,
        default: Some("1"),
        validator: Validator::AtLeast(0),
        doc: "Bytes a follower fetch waits for before the leader answers.",
    },
    ConfigKey {
        name: "replica.fetch.max.bytes",
        kind: ConfigType::Int,
        default: Some("1048576"),
        validator: Validator::AtLeast(0),
        doc: "Bytes per partition a follower fetch returns (soft limit).",
    },
    ConfigKey {
        name: "replica.socket.timeout.ms",
        kind: ConfigType::Int,
        default: Some("30000"),
        validator: Validator::AtLeast(0),
        doc: "A follower fetch unanswered this long is abandoned and the connection reset.",
    },
    ConfigKey {
        name: "replica.high.watermark.checkpoint.interval.ms",
        kind: ConfigType::Long,
        default: Some("5000"),
        validator: Validator::AtLeast(1),
        doc: "How often high watermarks are written to the replication-offset-checkpoint file.",
    },
    ConfigKey {
        name: "broker.session.timeout.ms",
        kind: ConfigType::Int,
        default: Some("9000"),
        validator: Validator::AtLeast(1),
        doc: "A broker without a heartbeat for this long is fenced by the controller.",
    },
    ConfigKey {
        name: "broker.heartbeat.interval.ms",
        kind: ConfigType::Int,
        default: Some("2000"),
        validator: Validator::AtLeast(1),
        doc: "How often a broker heartbeats to the controller.",
    },
    ConfigKey {
        name: "log.flush.interval.messages",
        kind: ConfigType::Long,
        default: Some(LONG_MAX),
        validator: Validator::AtLeast(1),
        doc: "Messages appended to a partition before it is fsynced (default: never).",
    },
    ConfigKey {
        name: "log.flush.interval.ms",
        kind: ConfigType::Long,
        default: None,
        validator: Validator::AtLeast(0),
        doc: "Time a message may stay unflushed (null: never).",
    },
    ConfigKey {
        name: "log.flush.scheduler.interval.ms",
        kind: ConfigType::Long,
        default: Some(LONG_MAX),
        validator: Validator::AtLeast(1),
        doc: "How often the flusher checks log.flush.interval.ms (default: never).",
    },
    ConfigKey {
        name: "log.retention.ms",
        kind: ConfigType::Long,
        default: Some("604800000"),
        validator: Validator::AtLeast(-1),
        doc: "Time a closed segment is kept (-1: forever). Kafka's log.retention.hours = 168.",
    },
    ConfigKey {
        name: "log.retention.bytes",
        kind: ConfigType::Long,
        default: Some("-1"),
        validator: Validator::AtLeast(-1),
        doc: "Bytes a partition may hold before its oldest segments are deleted (-1: no limit).",
    },
    ConfigKey {
        name: "log.segment.bytes",
        kind: ConfigType::Int,
        default: Some("1073741824"),
        validator: Validator::AtLeast(14),
        doc: "Size at which the active segment is rolled.",
    },
    ConfigKey {
        name: "log.retention.check.interval.ms",
        kind: ConfigType::Long,
        default: Some("300000"),
        validator: Validator::AtLeast(1),
        doc: "How often retention runs.",
    },
    ConfigKey {
        name: "auto.leader.rebalance.enable",
        kind: ConfigType::Boolean,
        default: Some("true"),
        validator: Validator::None,
        doc: "Move leadership back to the preferred replica periodically.",
    },
    ConfigKey {
        name: "leader.imbalance.check.interval.seconds",
        kind: ConfigType::Long,
        default: Some("300"),
        validator: Validator::AtLeast(1),
        doc: "How often the controller checks for leader imbalance.",
    },
    ConfigKey {
        name: "offsets.topic.num.partitions",
        kind: ConfigType::Int,
        default: Some("50"),
        validator: Validator::AtLeast(1),
        doc: "Partitions of __consumer_offsets; a group's coordinator leads partition hash(group.id) % this.",
    },
    ConfigKey {
        name: "offsets.topic.replication.factor",
        kind: ConfigType::Int,
        default: Some("3"),
        validator: Validator::AtLeast(1),
        doc: "Replication factor of __consumer_offsets (kafkasim caps it at the broker count).",
    },
    ConfigKey {
        name: "offsets.commit.timeout.ms",
        kind: ConfigType::Int,
        default: Some("5000"),
        validator: Validator::AtLeast(1),
        doc: "How long an offset commit may wait for __consumer_offsets replicas.",
    },
    ConfigKey {
        name: "group.initial.rebalance.delay.ms",
        kind: ConfigType::Int,
        default: Some("3000"),
        validator: Validator::AtLeast(0),
        doc: "How long the first rebalance of an empty group waits for more members.",
    },
    ConfigKey {
        name: "group.min.session.timeout.ms",
        kind: ConfigType::Int,
        default: Some("6000"),
        validator: Validator::AtLeast(0),
        doc: "Smallest session.timeout.ms a consumer may ask for.",
    },
    ConfigKey {
        name: "group.max.session.timeout.ms",
        kind: ConfigType::Int,
        default: Some("1800000"),
        validator: Validator::AtLeast(0),
        doc: "Largest session.timeout.ms a consumer may ask for.",
    },
    ConfigKey {
        name: "transaction.state.log.num.partitions",
        kind: ConfigType::Int,
        default: Some("50"),
        validator: Validator::AtLeast(1),
        doc: "Partitions of __transaction_state; a transactional id's coordinator leads partition \
              abs(hash(transactional.id)) % this.",
    },
    ConfigKey {
        name: "transaction.state.log.replication.factor",
        kind: ConfigType::Int,
        default: Some("3"),
        validator: Validator::AtLeast(1),
        doc: "Replicas of each __transaction_state partition (capped at the broker count).",
    },
    ConfigKey {
        name: "transaction.max.timeout.ms",
        kind: ConfigType::Int,
        default: Some("900000"),
        validator: Validator::AtLeast(1),
        doc: "Largest transaction.timeout.ms a producer may ask for (INVALID_TRANSACTION_TIMEOUT above).",
    },
    ConfigKey {
        name: "transaction.abort.timed.out.transaction.cleanup.interval.ms",
        kind: ConfigType::Int,
        default: Some("10000"),
        validator: Validator::AtLeast(1),
        doc: "How often the transaction coordinator aborts transactions open longer than their timeout.",
    },
    ConfigKey {
        name: "transaction.partition.verification.enable",
        kind: ConfigType::Boolean,
        default: Some("true"),
        validator: Validator::None,
        doc: "KIP-890 protection against late transactional writes. kafkasim models it as KIP-890 \
              part 2: the coordinator bumps the producer epoch at every commit or abort and writes \
              the markers with the new epoch, so a delayed produce of a finished transaction is \
              fenced (INVALID_PRODUCER_EPOCH). false = the pre-KIP-890 protocol (zoo #8).",
    },
    ConfigKey {
        name: "metadata.version",
        kind: ConfigType::String,
        default: Some("4.0-IV3"),
        validator: Validator::OneOf(&["4.0-IV3", "3.9-IV0"]),
        doc: "The cluster's metadata version (set in Kafka by `kafka-storage format --release-version`). \
              In every version a restarted broker can register only once its old session expired \
              (DUPLICATE_BROKER_REGISTRATION until then), which fences the old incarnation. From \
              4.0 on, the controller also treats the new registration as an unclean shutdown and \
              updates leaders and ISRs again (KIP-966, KAFKA-18106); with 3.9-IV0 it does not. \
              Eligible leader replicas (ELR) are not modelled.",
    },
    ConfigKey {
        name: "replication.truncation",
        kind: ConfigType::String,
        default: Some("leader-epoch"),
        validator: Validator::OneOf(&["leader-epoch", "leader-epoch-kip101", "high-watermark"]),
        doc: "kafkasim only: follower truncation protocol. leader-epoch = Kafka today (KIP-101 + \
              KIP-279); leader-epoch-kip101 = KIP-101 without the KIP-279 fix; high-watermark = \
              before KIP-101 (truncate to the local high watermark).",
    },
    ConfigKey {
        name: "kafkasim.planted.bug",
        kind: ConfigType::String,
        default: Some("none"),
        validator: Validator::OneOf(BROKER_PLANTED_BUG_NAMES),
        doc: "kafkasim only: a bug planted in the controller or the leaders, to show a checker \
              catching it (see src/protocol/config/planted_bug.rs). Kafka has none of them.",
    },
];

pub const BROKER_CONFIG: ConfigDef = ConfigDef { what: "broker", keys: BROKER_KEYS };

/// Topic-level keys; each overrides the broker key of the same meaning (see `TopicConfig`).
pub const TOPIC_KEYS: &[ConfigKey] = &[
    ConfigKey {
        name: "min.insync.replicas",
        kind: ConfigType::Int,
        default: Some("1"),
        validator: Validator::AtLeast(1),
        doc: "Fewest in-sync replicas for an acks=all write to be accepted.",
    },
    ConfigKey {
        name: "unclean.leader.election.enable",
        kind: ConfigType::Boolean,
        default: Some("false"),
        validator: Validator::None,
        doc: "Elect a replica outside the ISR when no ISR member is alive.",
    },
    ConfigKey {
        name: "retention.ms",
        kind: ConfigType::Long,
        default: Some("604800000"),
        validator: Validator::AtLeast(-1),
        doc: "Time a closed segment is kept.",
    },
    ConfigKey {
        name: "retention.bytes",
        kind: ConfigType::Long,
        default: Some("-1"),
        validator: Validator::AtLeast(-1),
        doc: "Bytes a partition may hold.",
    },
    ConfigKey {
        name: "segment.bytes",
        kind: ConfigType::Int,
        default: Some("1073741824"),
        validator: Validator::AtLeast(14),
        doc: "Size at which the active segment is rolled.",
    },
    ConfigKey {
        name: "flush.messages",
        kind: ConfigType::Long,
        default: Some(LONG_MAX),
        validator: Validator::AtLeast(1),
        doc: "Messages appended before the partition is fsynced.",
    },
    ConfigKey {
        name: "flush.ms",
        kind: ConfigType::Long,
        default: Some(LONG_MAX),
        validator: Validator::AtLeast(0),
        doc: "Time a message may stay unflushed.",
    },
    ConfigKey {
        name: "cleanup.policy",
        kind: ConfigType::String,
        default: Some("delete"),
        validator: Validator::OneOf(&["delete"]),
        doc: "Retention action; kafkasim models delete (not compact).",
    },
];

pub const TOPIC_CONFIG: ConfigDef = ConfigDef { what: "topic", keys: TOPIC_KEYS };

/// The broker settings the protocol reads, typed.
#[derive(Clone, Debug)]
pub struct BrokerConfig {
    pub unclean_leader_election_enable: bool,
    pub min_insync_replicas: i32,
    pub replica_lag_time_max_ms: u64,
    pub replica_fetch_wait_max_ms: u64,
    pub replica_fetch_min_bytes: u64,
    pub replica_fetch_max_bytes: u64,
    pub replica_socket_timeout_ms: u64,
    pub replica_high_watermark_checkpoint_interval_ms: u64,
    pub broker_session_timeout_ms: u64,
    pub broker_heartbeat_interval_ms: u64,
    pub log_flush_interval_messages: u64,
    pub log_flush_interval_ms: u64,
    pub log_flush_scheduler_interval_ms: u64,
    pub log_retention_ms: i64,
    pub log_retention_bytes: i64,
    pub log_segment_bytes: u64,
    pub log_retention_check_interval_ms: u64,
    pub auto_leader_rebalance_enable: bool,
    pub leader_imbalance_check_interval_ms: u64,
    pub truncation: TruncationMode,
    /// `metadata.version` >= 4.0-IV1: re-registration after an unclean shutdown leaves every ISR.
    pub unclean_shutdown_leaves_isr: bool,
    pub offsets_topic_num_partitions: i32,
    pub offsets_topic_replication_factor: i32,
    pub offsets_commit_timeout_ms: u64,
    pub group_initial_rebalance_delay_ms: u64,
    pub group_min_session_timeout_ms: u64,
    pub group_max_session_timeout_ms: u64,
    pub transaction_state_log_num_partitions: i32,
    pub transaction_state_log_replication_factor: i32,
    pub transaction_max_timeout_ms: u64,
    pub transaction_abort_timed_out_transaction_cleanup_interval_ms: u64,
    pub transaction_partition_verification_enable: bool,
    /// `kafkasim.planted.bug`: none, or the one safeguard this run leaves out.
    pub planted_bug: PlantedBug,
}

impl BrokerConfig {
    pub fn from_resolved(c: &ResolvedConfig) -> BrokerConfig {
        BrokerConfig {
            unclean_leader_election_enable: c.bool("unclean.leader.election.enable"),
            min_insync_replicas: c.long("min.insync.replicas") as i32,
            replica_lag_time_max_ms: c.unsigned("replica.lag.time.max.ms"),
            replica_fetch_wait_max_ms: c.unsigned("replica.fetch.wait.max.ms"),
            replica_fetch_min_bytes: c.unsigned("replica.fetch.min.bytes"),
            replica_fetch_max_bytes: c.unsigned("replica.fetch.max.bytes"),
            replica_socket_timeout_ms: c.unsigned("replica.socket.timeout.ms"),
            replica_high_watermark_checkpoint_interval_ms: c.unsigned("replica.high.watermark.checkpoint.interval.ms"),
            broker_session_timeout_ms: c.unsigned("broker.session.timeout.ms"),
            broker_heartbeat_interval_ms: c.unsigned("broker.heartbeat.interval.ms"),
            log_flush_interval_messages: c.unsigned("log.flush.interval.messages"),
            log_flush_interval_ms: c.optional_long("log.flush.interval.ms").map_or(u64::MAX, |ms| ms.max(0) as u64),
            log_flush_scheduler_interval_ms: c.unsigned("log.flush.scheduler.interval.ms"),
            log_retention_ms: c.long("log.retention.ms"),
            log_retention_bytes: c.long("log.retention.bytes"),
            log_segment_bytes: c.unsigned("log.segment.bytes"),
            log_retention_check_interval_ms: c.unsigned("log.retention.check.interval.ms"),
            auto_leader_rebalance_enable: c.bool("auto.leader.rebalance.enable"),
            leader_imbalance_check_interval_ms: c
                .unsigned("leader.imbalance.check.interval.seconds")
                .saturating_mul(1000),
            truncation: match c.string("replication.truncation") {
                Some("high-watermark") => TruncationMode::HighWatermark,
                Some("leader-epoch-kip101") => TruncationMode::LeaderEpochKip101,
                _ => TruncationMode::LeaderEpoch,
            },
            unclean_shutdown_leaves_isr: c.string("metadata.version") != Some("3.9-IV0"),
            offsets_topic_num_partitions: c.long("offsets.topic.num.partitions") as i32,
            offsets_topic_replication_factor: c.long("offsets.topic.replication.factor") as i32,
            offsets_commit_timeout_ms: c.unsigned("offsets.commit.timeout.ms"),
            group_initial_rebalance_delay_ms: c.unsigned("group.initial.rebalance.delay.ms"),
            group_min_session_timeout_ms: c.unsigned("group.min.session.timeout.ms"),
            group_max_session_timeout_ms: c.unsigned("group.max.session.timeout.ms"),
            transaction_state_log_num_partitions: c.long("transaction.state.log.num.partitions") as i32,
            transaction_state_log_replication_factor: c.long("transaction.state.log.replication.factor") as i32,
            transaction_max_timeout_ms: c.unsigned("transaction.max.timeout.ms"),
            transaction_abort_timed_out_transaction_cleanup_interval_ms: c
                .unsigned("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
            transaction_partition_verification_enable: c.bool("transaction.partition.verification.enable"),
            planted_bug: planted_bug(BROKER_PLANTED_BUGS, c.string("kafkasim.planted.bug")),
        }
    }

    pub fn defaults() -> BrokerConfig {
        BrokerConfig::from_resolved(&BROKER_CONFIG.resolve(&Default::default()).expect("defaults resolve"))
    }
}

/// A topic's effective log settings: its own override, else the broker default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicConfig {
    pub min_insync_replicas: i32,
    pub unclean_leader_election_enable: bool,
    pub retention_ms: i64,
    pub retention_bytes: i64,
    pub segment_bytes: u64,
    pub flush_messages: u64,
    pub flush_ms: u64,
    /// The overrides the user set, as `kafka-topics --describe` prints them under `Configs:`.
    pub overrides: Vec<(String, String)>,
}

impl TopicConfig {
    pub fn effective(broker: &BrokerConfig, topic: &ResolvedConfig) -> TopicConfig {
        let long_or = |key: &str, fallback: i64| {
            if topic.is_explicit(key) {
                topic.long(key)
            } else {
                fallback
            }
        };
        TopicConfig {
            min_insync_replicas: long_or("min.insync.replicas", broker.min_insync_replicas as i64) as i32,
            unclean_leader_election_enable: if topic.is_explicit("unclean.leader.election.enable") {
                topic.bool("unclean.leader.election.enable")
            } else {
                broker.unclean_leader_election_enable
            },
            retention_ms: long_or("retention.ms", broker.log_retention_ms),
            retention_bytes: long_or("retention.bytes", broker.log_retention_bytes),
            segment_bytes: long_or("segment.bytes", broker.log_segment_bytes as i64) as u64,
            flush_messages: long_or("flush.messages", broker.log_flush_interval_messages as i64).max(1) as u64,
            flush_ms: if topic.is_explicit("flush.ms") {
                topic.long("flush.ms").max(0) as u64
            } else {
                broker.log_flush_interval_ms
            },
            overrides: topic.explicit_entries(),
        }
    }

    pub fn defaults(broker: &BrokerConfig) -> TopicConfig {
        let resolved = TOPIC_CONFIG.resolve(&Default::default()).expect("defaults resolve");
        TopicConfig::effective(broker, &resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::config::def::RawValue;
    use std::collections::BTreeMap;

    #[test]
    fn kafka_defaults() {
        let b = BrokerConfig::defaults();
        assert!(!b.unclean_leader_election_enable);
        assert_eq!(b.min_insync_replicas, 1);
        assert_eq!(b.replica_lag_time_max_ms, 30_000);
        assert_eq!(b.broker_session_timeout_ms, 9_000);
        assert_eq!(b.log_flush_interval_messages, i64::MAX as u64);
        assert_eq!(b.log_flush_interval_ms, u64::MAX);
        assert_eq!(b.truncation, TruncationMode::LeaderEpoch);
    }

    #[test]
    fn topic_overrides_broker_default() {
        let mut broker_entries = BTreeMap::new();
        broker_entries.insert("min.insync.replicas".to_string(), RawValue::Integer(2));
        let broker = BrokerConfig::from_resolved(&BROKER_CONFIG.resolve(&broker_entries).unwrap());
        let t = TopicConfig::defaults(&broker);
        assert_eq!(t.min_insync_replicas, 2, "inherits the broker's setting");
        let mut topic_entries = BTreeMap::new();
        topic_entries.insert("min.insync.replicas".to_string(), RawValue::Integer(3));
        let t = TopicConfig::effective(&broker, &TOPIC_CONFIG.resolve(&topic_entries).unwrap());
        assert_eq!(t.min_insync_replicas, 3);
        assert_eq!(t.overrides, vec![("min.insync.replicas".to_string(), "3".to_string())]);
    }
}
