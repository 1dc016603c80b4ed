//! Consumer configs (`[consumer_groups.config]`) with Kafka 4.x defaults (`ConsumerConfig`).

use crate::protocol::config::def::{ConfigDef, ConfigError, ConfigKey, ConfigType, ResolvedConfig, Validator};
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
        })
    }

    pub fn defaults() -> ConsumerConfig {
        ConsumerConfig::from_resolved(&CONSUMER_CONFIG.resolve(&Default::default()).expect("defaults resolve"))
            .expect("defaults are valid")
    }
}
