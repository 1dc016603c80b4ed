//! Consumer configs (`[consumer_groups.config]`) with Kafka 4.x defaults (`ConsumerConfig`).

use crate::protocol::config::def::{ConfigDef, ConfigError, ConfigKey, ConfigType, ResolvedConfig, Validator};
use crate::protocol::config::planted_bug::{
    planted_bug, PlantedBug, CONSUMER_PLANTED_BUGS, CONSUMER_PLANTED_BUG_NAMES,
};
use crate::protocol::message::IsolationLevel;

pub const CONSUMER_KEYS: &[ConfigKey] = &[
    ConfigKey {
        name: "auto.offset.reset",
        kind: ConfigType::String,
        default: Some("latest"),
        validator: Validator::OneOf(&["latest", "earliest", "none"]),
        doc: "Where to start without a committed offset (or after OFFSET_OUT_OF_RANGE).",
    },
    ConfigKey {
        name: "fetch.min.bytes",
        kind: ConfigType::Int,
        default: Some("1"),
        validator: Validator::AtLeast(0),
        doc: "Bytes a fetch waits for at the broker.",
    },
    ConfigKey {
        name: "fetch.max.wait.ms",
        kind: ConfigType::Int,
        default: Some("500"),
        validator: Validator::AtLeast(0),
        doc: "Longest a fetch waits at the broker for fetch.min.bytes.",
    },
    ConfigKey {
        name: "fetch.max.bytes",
        kind: ConfigType::Int,
        default: Some("52428800"),
        validator: Validator::AtLeast(0),
        doc: "Bytes per fetch response (soft).",
    },
    ConfigKey {
        name: "max.partition.fetch.bytes",
        kind: ConfigType::Int,
        default: Some("1048576"),
        validator: Validator::AtLeast(0),
        doc: "Bytes per partition per fetch (soft).",
    },
    ConfigKey {
        name: "max.poll.records",
        kind: ConfigType::Int,
        default: Some("500"),
        validator: Validator::AtLeast(1),
        doc: "Records one poll() returns at most.",
    },
    ConfigKey {
        name: "isolation.level",
        kind: ConfigType::String,
        default: Some("read_uncommitted"),
        validator: Validator::OneOf(&["read_uncommitted", "read_committed"]),
        doc: "read_committed stops at the last stable offset and skips aborted records.",
    },
    ConfigKey {
        name: "request.timeout.ms",
        kind: ConfigType::Int,
        default: Some("30000"),
        validator: Validator::AtLeast(0),
        doc: "How long a request may go unanswered.",
    },
    ConfigKey {
        name: "retry.backoff.ms",
        kind: ConfigType::Long,
        default: Some("100"),
        validator: Validator::AtLeast(0),
        doc: "Wait before retrying a failed request.",
    },
    ConfigKey {
        name: "metadata.max.age.ms",
        kind: ConfigType::Long,
        default: Some("300000"),
        validator: Validator::AtLeast(0),
        doc: "Metadata is refreshed at least this often.",
    },
    ConfigKey { name: "group.instance.id", kind: ConfigType::String, default: None, validator: Validator::None, doc: "Static membership (KIP-345): a restarted member keeps its assignment without a rebalance. kafkasim appends the member number." },
    ConfigKey { name: "group.protocol", kind: ConfigType::String, default: Some("classic"), validator: Validator::OneOf(&["classic"]), doc: "The rebalance protocol; kafkasim models the classic one (not KIP-848's consumer protocol)." },
    ConfigKey { name: "session.timeout.ms", kind: ConfigType::Int, default: Some("45000"), validator: Validator::AtLeast(0), doc: "A member without heartbeats for this long is removed from the group." },
    ConfigKey { name: "heartbeat.interval.ms", kind: ConfigType::Int, default: Some("3000"), validator: Validator::AtLeast(0), doc: "How often a member heartbeats to the coordinator." },
    ConfigKey { name: "max.poll.interval.ms", kind: ConfigType::Int, default: Some("300000"), validator: Validator::AtLeast(1), doc: "A member that does not poll within this leaves the group (also the rebalance timeout)." },
    ConfigKey { name: "enable.auto.commit", kind: ConfigType::Boolean, default: Some("true"), validator: Validator::None, doc: "Commit the positions of previous polls every auto.commit.interval.ms." },
    ConfigKey { name: "auto.commit.interval.ms", kind: ConfigType::Int, default: Some("5000"), validator: Validator::AtLeast(0), doc: "How often auto-commit commits." },
    ConfigKey { name: "partition.assignment.strategy", kind: ConfigType::List, default: Some("range,cooperative-sticky"), validator: Validator::None, doc: "Assignors in preference order: range, roundrobin, sticky, cooperative-sticky (or Kafka's class names). Kafka's default is [RangeAssignor, CooperativeStickyAssignor]." },
    ConfigKey { name: "client.id", kind: ConfigType::String, default: Some(""), validator: Validator::None, doc: "The client id; by default Kafka's consumer-<group>-<n>." },
    ConfigKey { name: "position.validation", kind: ConfigType::String, default: Some("kip320"), validator: Validator::OneOf(&["kip320", "none"]), doc: "kafkasim only: after a leader change, kip320 = validate the position with OffsetsForLeaderEpoch before fetching again and, when the log was truncated under it, read on from where it diverges (Kafka's consumer today, KIP-320, KAFKA-7747); none = the consumer before it, which keeps fetching at its position and cannot tell that the records below it changed." },
    ConfigKey { name: "kafkasim.planted.bug", kind: ConfigType::String, default: Some("none"), validator: Validator::OneOf(CONSUMER_PLANTED_BUG_NAMES), doc: "kafkasim only: a bug planted in the consumer, to show a checker catching it (see src/protocol/config/planted_bug.rs). Kafka has none of them." },
];

pub const CONSUMER_CONFIG: ConfigDef = ConfigDef { what: "consumer", keys: CONSUMER_KEYS };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetReset {
    Latest,
    Earliest,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerConfig {
    pub auto_offset_reset: OffsetReset,
    pub fetch_min_bytes: u64,
    pub fetch_max_wait_ms: u64,
    pub fetch_max_bytes: u64,
    pub max_partition_fetch_bytes: u64,
    pub max_poll_records: usize,
    pub isolation_level: IsolationLevel,
    pub request_timeout_ms: u64,
    pub retry_backoff_ms: u64,
    pub metadata_max_age_ms: u64,
    pub group_instance_id: Option<String>,
    pub session_timeout_ms: u64,
    pub heartbeat_interval_ms: u64,
    pub max_poll_interval_ms: u64,
    pub enable_auto_commit: bool,
    pub auto_commit_interval_ms: u64,
    /// Assignor short names (`range`, `roundrobin`, `sticky`, `cooperative-sticky`), in order.
    pub partition_assignment_strategy: Vec<String>,
    pub client_id: String,
    /// `position.validation = kip320`: validate positions after a leader change (KIP-320).
    pub position_validation: bool,
    /// `kafkasim.planted.bug`: none, or the one safeguard this consumer leaves out.
    pub planted_bug: PlantedBug,
}

/// The assignors kafkasim models, by Kafka's short name and class name.
pub const ASSIGNORS: &[(&str, &str)] = &[
    ("range", "org.apache.kafka.clients.consumer.RangeAssignor"),
    ("roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor"),
    ("sticky", "org.apache.kafka.clients.consumer.StickyAssignor"),
    ("cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
];

/// The short name of an assignor given by short or class name.
pub fn assignor_short_name(name: &str) -> Option<&'static str> {
    ASSIGNORS.iter().find(|(short, class)| *short == name || *class == name).map(|(short, _)| *short)
}

impl ConsumerConfig {
    pub fn from_resolved(c: &ResolvedConfig) -> Result<ConsumerConfig, ConfigError> {
        Ok(ConsumerConfig {
            auto_offset_reset: match c.string("auto.offset.reset") {
                Some("earliest") => OffsetReset::Earliest,
                Some("none") => OffsetReset::None,
                _ => OffsetReset::Latest,
            },
            fetch_min_bytes: c.unsigned("fetch.min.bytes"),
            fetch_max_wait_ms: c.unsigned("fetch.max.wait.ms"),
            fetch_max_bytes: c.unsigned("fetch.max.bytes"),
            max_partition_fetch_bytes: c.unsigned("max.partition.fetch.bytes"),
            max_poll_records: c.long("max.poll.records") as usize,
            isolation_level: if c.string("isolation.level") == Some("read_committed") {
                IsolationLevel::ReadCommitted
            } else {
                IsolationLevel::ReadUncommitted
            },
            request_timeout_ms: c.unsigned("request.timeout.ms"),
            retry_backoff_ms: c.unsigned("retry.backoff.ms"),
            metadata_max_age_ms: c.unsigned("metadata.max.age.ms"),
            group_instance_id: c.string("group.instance.id").filter(|s| !s.is_empty()).map(str::to_string),
            session_timeout_ms: c.unsigned("session.timeout.ms"),
            heartbeat_interval_ms: c.unsigned("heartbeat.interval.ms"),
            max_poll_interval_ms: c.unsigned("max.poll.interval.ms"),
            enable_auto_commit: c.bool("enable.auto.commit"),
            auto_commit_interval_ms: c.unsigned("auto.commit.interval.ms"),
            partition_assignment_strategy: {
                let mut names = Vec::new();
                for name in c.list("partition.assignment.strategy") {
                    let short = assignor_short_name(&name).ok_or_else(|| ConfigError {
                        key: "partition.assignment.strategy".into(),
                        message: format!("Invalid value {name} for configuration partition.assignment.strategy: Class {name} cannot be found (kafkasim models range, roundrobin, sticky and cooperative-sticky)"),
                    })?;
                    names.push(short.to_string());
                }
                if names.is_empty() {
                    return Err(ConfigError {
                        key: "partition.assignment.strategy".into(),
                        message: "partition.assignment.strategy must name at least one assignor".into(),
                    });
                }
                names
            },
            client_id: c.string("client.id").unwrap_or_default().to_string(),
            position_validation: c.string("position.validation") != Some("none"),
            planted_bug: planted_bug(CONSUMER_PLANTED_BUGS, c.string("kafkasim.planted.bug")),
        })
    }

    pub fn defaults() -> ConsumerConfig {
        ConsumerConfig::from_resolved(&CONSUMER_CONFIG.resolve(&Default::default()).expect("defaults resolve"))
            .expect("defaults are valid")
    }
}
