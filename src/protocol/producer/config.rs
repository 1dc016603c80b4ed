//! Producer configs (`[producers.config]`) with Kafka 4.x defaults (`ProducerConfig`), and
//! Kafka's own validation of how they combine (`postProcessAndValidateIdempotenceConfigs`,
//! the delivery timeout check in `KafkaProducer`), with Kafka's messages.

use crate::protocol::config::def::{ConfigDef, ConfigError, ConfigKey, ConfigType, ResolvedConfig, Validator};
use crate::protocol::message::Acks;
use crate::protocol::producer::compression::{Compression, CompressionType};
use crate::protocol::producer::partitioner::{Partitioner, PartitionerConfig, CUSTOM_PARTITIONER_CLASS};

pub const PRODUCER_KEYS: &[ConfigKey] = &[
    ConfigKey {
        name: "acks",
        kind: ConfigType::String,
        default: Some("all"),
        validator: Validator::OneOf(&["all", "-1", "0", "1"]),
        doc: "Acknowledgements the leader waits for: 0, 1 or all.",
    },
    ConfigKey {
        name: "enable.idempotence",
        kind: ConfigType::Boolean,
        default: Some("true"),
        validator: Validator::None,
        doc: "Producer ids and sequence numbers make retries exactly-once per partition.",
    },
    ConfigKey {
        name: "retries",
        kind: ConfigType::Int,
        default: Some("2147483647"),
        validator: Validator::Between(0, 2147483647),
        doc: "Retries of a failed batch (bounded by delivery.timeout.ms).",
    },
    ConfigKey {
        name: "retry.backoff.ms",
        kind: ConfigType::Long,
        default: Some("100"),
        validator: Validator::AtLeast(0),
        doc: "Initial wait before a retry.",
    },
    ConfigKey {
        name: "retry.backoff.max.ms",
        kind: ConfigType::Long,
        default: Some("1000"),
        validator: Validator::AtLeast(0),
        doc: "Cap of the exponential retry backoff.",
    },
    ConfigKey {
        name: "request.timeout.ms",
        kind: ConfigType::Int,
        default: Some("30000"),
        validator: Validator::AtLeast(0),
        doc: "How long a request may go unanswered.",
    },
    ConfigKey {
        name: "delivery.timeout.ms",
        kind: ConfigType::Int,
        default: Some("120000"),
        validator: Validator::AtLeast(0),
        doc: "Upper bound from send() to success or failure.",
    },
    ConfigKey {
        name: "linger.ms",
        kind: ConfigType::Long,
        default: Some("5"),
        validator: Validator::AtLeast(0),
        doc: "How long a batch waits for more records (5 since Kafka 4.0, KIP-1030).",
    },
    ConfigKey {
        name: "batch.size",
        kind: ConfigType::Int,
        default: Some("16384"),
        validator: Validator::AtLeast(0),
        doc: "Bytes per partition batch.",
    },
    ConfigKey {
        name: "max.request.size",
        kind: ConfigType::Int,
        default: Some("1048576"),
        validator: Validator::AtLeast(0),
        doc: "Largest request (and record) in bytes.",
    },
    ConfigKey {
        name: "max.in.flight.requests.per.connection",
        kind: ConfigType::Int,
        default: Some("5"),
        validator: Validator::AtLeast(1),
        doc: "Unanswered requests per broker connection.",
    },
    ConfigKey {
        name: "metadata.max.age.ms",
        kind: ConfigType::Long,
        default: Some("300000"),
        validator: Validator::AtLeast(0),
        doc: "Metadata is refreshed at least this often.",
    },
    ConfigKey {
        name: "buffer.memory",
        kind: ConfigType::Long,
        default: Some("33554432"),
        validator: Validator::AtLeast(0),
        doc: "Bytes of batches the producer may hold (queued and in flight) before send() blocks.",
    },
    ConfigKey {
        name: "max.block.ms",
        kind: ConfigType::Long,
        default: Some("60000"),
        validator: Validator::AtLeast(0),
        doc: "How long send() may block for metadata or buffer memory before it fails.",
    },
    ConfigKey {
        name: "compression.type",
        kind: ConfigType::String,
        default: Some("none"),
        validator: Validator::OneOf(&["none", "gzip", "snappy", "lz4", "zstd"]),
        doc: "Codec for record batches: the batches' size on the wire and on disk is the real compressed size.",
    },
    ConfigKey {
        name: "compression.gzip.level",
        kind: ConfigType::Int,
        default: Some("-1"),
        validator: Validator::None,
        doc: "gzip level: 1..9, or -1 for zlib's default (6) (KIP-390).",
    },
    ConfigKey {
        name: "compression.lz4.level",
        kind: ConfigType::Int,
        default: Some("9"),
        validator: Validator::None,
        doc: "lz4 level: 1..17 (KIP-390).",
    },
    ConfigKey {
        name: "compression.zstd.level",
        kind: ConfigType::Int,
        default: Some("3"),
        validator: Validator::None,
        doc: "zstd level: -131072..22 (KIP-390).",
    },
    ConfigKey {
        name: "transactional.id",
        kind: ConfigType::String,
        default: None,
        validator: Validator::None,
        doc: "Makes the producer transactional (implies idempotence); a newer producer with the same id fences it.",
    },
    ConfigKey {
        name: "transaction.timeout.ms",
        kind: ConfigType::Int,
        default: Some("60000"),
        validator: Validator::None,
        doc: "How long a transaction may stay open before the coordinator aborts it.",
    },
    ConfigKey {
        name: "partitioner.class",
        kind: ConfigType::String,
        default: None,
        validator: Validator::None,
        doc: "Unset (the built-in partitioner), org.apache.kafka.clients.producer.RoundRobinPartitioner, \
              or \"custom\" with the scenario's [producers.partitioner] rules.",
    },
    ConfigKey {
        name: "partitioner.adaptive.partitioning.enable",
        kind: ConfigType::Boolean,
        default: Some("true"),
        validator: Validator::None,
        doc: "Records without a key go less often to partitions on slower brokers (KIP-794).",
    },
    ConfigKey {
        name: "partitioner.availability.timeout.ms",
        kind: ConfigType::Long,
        default: Some("0"),
        validator: Validator::AtLeast(0),
        doc: "A broker that accepts no data this long gets no new unkeyed records (0: off).",
    },
    ConfigKey {
        name: "partitioner.ignore.keys",
        kind: ConfigType::Boolean,
        default: Some("false"),
        validator: Validator::None,
        doc: "Partition keyed records as if they had no key.",
    },
];

pub const PRODUCER_CONFIG: ConfigDef = ConfigDef { what: "producer", keys: PRODUCER_KEYS };

#[derive(Clone, Debug, PartialEq)]
pub struct ProducerConfig {
    pub acks: Acks,
    pub enable_idempotence: bool,
    pub retries: u32,
    pub retry_backoff_ms: u64,
    pub retry_backoff_max_ms: u64,
    pub request_timeout_ms: u64,
    pub delivery_timeout_ms: u64,
    pub linger_ms: u64,
    pub batch_size: u64,
    pub max_request_size: u64,
    pub max_in_flight_requests_per_connection: usize,
    pub metadata_max_age_ms: u64,
    pub buffer_memory: u64,
    pub max_block_ms: u64,
    /// `compression.type` with its level.
    pub compression: Compression,
    /// `partitioner.*` and `batch.size`; the custom rules come from the scenario's
    /// `[producers.partitioner]` table.
    pub partitioner: PartitionerConfig,
    /// `transactional.id`: Some for a transactional producer.
    pub transactional_id: Option<String>,
    pub transaction_timeout_ms: u64,
}

impl ProducerConfig {
    /// Typed settings with Kafka's cross-checks. Errors carry Kafka's `ConfigException` text.
    pub fn from_resolved(c: &ResolvedConfig) -> Result<ProducerConfig, ConfigError> {
        let acks = match c.string("acks") {
            Some("0") => Acks::None,
            Some("1") => Acks::Leader,
            _ => Acks::All,
        };
        let retries = c.long("retries") as u32;
        let max_in_flight = c.long("max.in.flight.requests.per.connection") as usize;
        let idempotence_explicit = c.is_explicit("enable.idempotence");
        let mut enable_idempotence = c.bool("enable.idempotence");
        if enable_idempotence {
            let fail = |key: &str, message: String| Err(ConfigError { key: key.to_string(), message });
            if max_in_flight > 5 {
                return fail(
                    "max.in.flight.requests.per.connection",
                    format!("To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is {max_in_flight}."),
                );
            }
            if retries == 0 {
                if idempotence_explicit {
                    return fail("retries", "Must set retries to non-zero when using the idempotent producer.".into());
                }
                enable_idempotence = false;
            }
            if acks != Acks::All {
                if idempotence_explicit {
                    return fail("acks", "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.".into());
                }
                enable_idempotence = false;
            }
        }
        let transactional_id = c.string("transactional.id").map(str::to_string);
        if let Some(id) = &transactional_id {
            if id.is_empty() {
                return Err(ConfigError {
                    key: "transactional.id".into(),
                    message: "Invalid value  for configuration transactional.id: String must be non-empty".into(),
                });
            }
            if !enable_idempotence {
                // Kafka checks this after idempotence was settled: an explicit
                // enable.idempotence=false, or acks/retries that silently turned it off.
                return Err(ConfigError {
                    key: "transactional.id".into(),
                    message: "Cannot set a transactional.id without also enabling idempotence.".into(),
                });
            }
        }
        let linger_ms = c.unsigned("linger.ms");
        let request_timeout_ms = c.unsigned("request.timeout.ms");
        let mut delivery_timeout_ms = c.unsigned("delivery.timeout.ms");
        if delivery_timeout_ms < linger_ms + request_timeout_ms {
            if c.is_explicit("delivery.timeout.ms") {
                return Err(ConfigError {
                    key: "delivery.timeout.ms".into(),
                    message: "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms"
                        .into(),
                });
            }
            delivery_timeout_ms = linger_ms + request_timeout_ms;
        }
        let compression = Self::compression(c)?;
        let batch_size = c.unsigned("batch.size");
        let partitioner = PartitionerConfig {
            partitioner_class: c.string("partitioner.class").map(str::to_string),
            batch_size: batch_size.min(i32::MAX as u64) as i32,
            adaptive_partitioning_enable: c.bool("partitioner.adaptive.partitioning.enable"),
            availability_timeout_ms: c.unsigned("partitioner.availability.timeout.ms"),
            ignore_keys: c.bool("partitioner.ignore.keys"),
            custom_rules: None,
        };
        // The class is checked here; "custom" without rules is checked with the scenario.
        if partitioner.partitioner_class.as_deref() != Some(CUSTOM_PARTITIONER_CLASS) {
            if let Err(e) = Partitioner::from_config(&partitioner) {
                return Err(ConfigError { key: "partitioner.class".into(), message: e.to_string() });
            }
        }
        Ok(ProducerConfig {
            acks,
            enable_idempotence,
            retries,
            retry_backoff_ms: c.unsigned("retry.backoff.ms"),
            retry_backoff_max_ms: c.unsigned("retry.backoff.max.ms"),
            request_timeout_ms,
            delivery_timeout_ms,
            linger_ms,
            batch_size,
            max_request_size: c.unsigned("max.request.size"),
            max_in_flight_requests_per_connection: max_in_flight,
            metadata_max_age_ms: c.unsigned("metadata.max.age.ms"),
            buffer_memory: c.unsigned("buffer.memory"),
            max_block_ms: c.unsigned("max.block.ms"),
            compression,
            partitioner,
            transactional_id,
            transaction_timeout_ms: c.unsigned("transaction.timeout.ms"),
        })
    }

    pub fn defaults() -> ProducerConfig {
        ProducerConfig::from_resolved(&PRODUCER_CONFIG.resolve(&Default::default()).expect("defaults resolve"))
            .expect("defaults are valid")
    }

    /// `compression.type` at the level its `compression.<codec>.level` sets (Kafka validates every
    /// level config, whichever codec is chosen).
    fn compression(c: &ResolvedConfig) -> Result<Compression, ConfigError> {
        let chosen = CompressionType::from_kafka_name(c.string("compression.type").unwrap_or("none"))
            .map_err(|e| ConfigError { key: "compression.type".into(), message: e.to_string() })?;
        let mut result = Compression::new(chosen);
        for codec in CompressionType::ALL {
            let Some(key) = codec.level_config() else { continue };
            let level = c.long(key) as i32;
            let compression = Compression::with_level(codec, level)
                .map_err(|e| ConfigError { key: key.to_string(), message: e.to_string() })?;
            if codec == chosen {
                result = compression;
            }
        }
        Ok(result)
    }

    /// "acks=all idempotent", for reports.
    pub fn summary(&self) -> String {
        let compression = match self.compression.compression_type {
            CompressionType::None => String::new(),
            codec => format!(" compression.type={codec}"),
        };
        format!(
            "acks={} {}{}linger.ms={} batch.size={}{compression}",
            self.acks.as_kafka(),
            if self.enable_idempotence { "idempotent " } else { "" },
            self.transactional_id.as_ref().map_or(String::new(), |id| format!("transactional.id={id} ")),
            self.linger_ms,
            self.batch_size
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::config::def::RawValue;
    use std::collections::BTreeMap;

    fn config(entries: &[(&str, RawValue)]) -> Result<ProducerConfig, ConfigError> {
        let map: BTreeMap<String, RawValue> = entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        ProducerConfig::from_resolved(&PRODUCER_CONFIG.resolve(&map)?)
    }

    #[test]
    fn kafka_4_defaults() {
        let c = ProducerConfig::defaults();
        assert_eq!(c.acks, Acks::All);
        assert!(c.enable_idempotence);
        assert_eq!((c.linger_ms, c.batch_size, c.delivery_timeout_ms), (5, 16384, 120_000));
    }

    #[test]
    fn implicit_idempotence_yields_to_acks_1_but_explicit_conflicts_fail() {
        let c = config(&[("acks", RawValue::String("1".into()))]).unwrap();
        assert!(!c.enable_idempotence, "idempotence silently off when only defaulted");
        let err =
            config(&[("acks", RawValue::Integer(1)), ("enable.idempotence", RawValue::Boolean(true))]).unwrap_err();
        assert_eq!(
            err.message,
            "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence."
        );
        let err = config(&[("max.in.flight.requests.per.connection", RawValue::Integer(6))]).unwrap_err();
        assert!(err.message.ends_with("Current value is 6."));
        let err = config(&[("acks", RawValue::String("2".into()))]).unwrap_err();
        assert!(err.message.contains("String must be one of"), "{}", err.message);
    }

    #[test]
    fn a_transactional_id_needs_idempotence() {
        let c = config(&[("transactional.id", RawValue::String("tx".into()))]).unwrap();
        assert_eq!((c.transactional_id.as_deref(), c.transaction_timeout_ms), (Some("tx"), 60_000));
        for conflict in [("enable.idempotence", RawValue::Boolean(false)), ("acks", RawValue::String("1".into()))] {
            let err = config(&[("transactional.id", RawValue::String("tx".into())), conflict]).unwrap_err();
            assert_eq!(err.message, "Cannot set a transactional.id without also enabling idempotence.");
        }
    }

    #[test]
    fn delivery_timeout_must_cover_linger_and_request_timeout() {
        let err = config(&[("delivery.timeout.ms", RawValue::Integer(1000))]).unwrap_err();
        assert_eq!(err.key, "delivery.timeout.ms");
        let c = config(&[("request.timeout.ms", RawValue::Integer(200_000))]).unwrap();
        assert_eq!(c.delivery_timeout_ms, 200_005, "raised to linger.ms + request.timeout.ms");
    }
}
