//! A small `ConfigDef`: the table of Kafka config keys the simulator models, their types, Kafka's
//! defaults and validators, and the parsing of user-supplied values against it.
//!
//! Follows `org.apache.kafka.common.config.ConfigDef`: values may be given typed or as strings
//! (Kafka parses `"5"` for an int), and a bad value is reported as Kafka words it:
//! `Invalid value X for configuration K: <reason>`.

use std::collections::BTreeMap;
use std::fmt;

/// The type of a config key (Kafka's `ConfigDef.Type`, the subset we need).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigType {
    Boolean,
    Int,
    Long,
    String,
    List,
}

/// What values a key accepts beyond its type.
#[derive(Clone, Copy, Debug)]
pub enum Validator {
    None,
    AtLeast(i64),
    Between(i64, i64),
    /// One of these strings (compared case-sensitively, as Kafka's `ValidString`).
    OneOf(&'static [&'static str]),
}

/// One modelled config key.
#[derive(Clone, Copy, Debug)]
pub struct ConfigKey {
    pub name: &'static str,
    pub kind: ConfigType,
    /// Kafka's default, written as Kafka's docs write it; `None` for Kafka's `null`.
    pub default: Option<&'static str>,
    pub validator: Validator,
    pub doc: &'static str,
}

/// A parsed, validated value.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    Boolean(bool),
    Long(i64),
    String(String),
    List(Vec<String>),
    Null,
}

impl fmt::Display for ConfigValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigValue::Boolean(b) => write!(f, "{b}"),
            ConfigValue::Long(n) => write!(f, "{n}"),
            ConfigValue::String(s) => f.write_str(s),
            ConfigValue::List(items) => f.write_str(&items.join(",")),
            ConfigValue::Null => f.write_str("null"),
        }
    }
}

/// A value as the user wrote it, before parsing (from TOML, JSON or a lab command).
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    Boolean(bool),
    Integer(i64),
    Float(f64),
    String(String),
    List(Vec<RawValue>),
}

impl fmt::Display for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawValue::Boolean(b) => write!(f, "{b}"),
            RawValue::Integer(n) => write!(f, "{n}"),
            RawValue::Float(x) => write!(f, "{x}"),
            RawValue::String(s) => f.write_str(s),
            RawValue::List(items) => {
                let parts: Vec<String> = items.iter().map(|v| v.to_string()).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

/// Why a config entry was rejected. `key` names the offending key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl ConfigError {
    pub fn invalid(key: &str, value: impl fmt::Display, reason: impl fmt::Display) -> ConfigError {
        ConfigError {
            key: key.to_string(),
            message: format!("Invalid value {value} for configuration {key}: {reason}"),
        }
    }
}

/// A set of known keys (broker, topic, producer or consumer configs).
pub struct ConfigDef {
    pub what: &'static str,
    pub keys: &'static [ConfigKey],
}

impl ConfigDef {
    pub fn key(&self, name: &str) -> Option<&'static ConfigKey> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Parses one user entry. Unknown keys are an error naming the key: the simulator must never
    /// silently ignore a setting a learner believes is in effect.
    pub fn parse(&self, name: &str, raw: &RawValue) -> Result<ConfigValue, ConfigError> {
        let key = self.key(name).ok_or_else(|| ConfigError {
            key: name.to_string(),
            message: format!("unknown {} config '{name}': kafkasim does not model it", self.what),
        })?;
        let value = parse_typed(key, raw)?;
        validate(key, &value)?;
        Ok(value)
    }

    /// Parses a whole map of user entries, then fills in every other key with Kafka's default.
    pub fn resolve(
        &self,
        entries: &BTreeMap<String, RawValue>,
    ) -> Result<ResolvedConfig, ConfigError> {
        let mut values = BTreeMap::new();
        let mut explicit = Vec::new();
        for (name, raw) in entries {
            values.insert(self.key(name).map(|k| k.name).unwrap_or(""), self.parse(name, raw)?);
            explicit.push(name.clone());
        }
        for key in self.keys {
            if !values.contains_key(key.name) {
                let default = match key.default {
                    None => ConfigValue::Null,
                    Some(text) => parse_typed(key, &RawValue::String(text.to_string()))
                        .expect("every default in the table parses"),
                };
                values.insert(key.name, default);
            }
        }
        Ok(ResolvedConfig { values, explicit })
    }
}

fn parse_typed(key: &ConfigKey, raw: &RawValue) -> Result<ConfigValue, ConfigError> {
    let expected = |what: &str| ConfigError {
        key: key.name.to_string(),
        message: format!("Invalid value {raw} for configuration {}: Expected {what}", key.name),
    };
    match (key.kind, raw) {
        (ConfigType::Boolean, RawValue::Boolean(b)) => Ok(ConfigValue::Boolean(*b)),
        (ConfigType::Boolean, RawValue::String(s)) => match s.trim().to_ascii_lowercase().as_str()
        {
            "true" => Ok(ConfigValue::Boolean(true)),
            "false" => Ok(ConfigValue::Boolean(false)),
            _ => Err(expected("value to be either true or false")),
        },
        (ConfigType::Int | ConfigType::Long, RawValue::Integer(n)) => {
            check_width(key, *n, raw)?;
            Ok(ConfigValue::Long(*n))
        }
        (ConfigType::Int | ConfigType::Long, RawValue::String(s)) => {
            let n: i64 = s.trim().parse().map_err(|_| {
                expected(if key.kind == ConfigType::Int {
                    "value to be a 32-bit integer"
                } else {
                    "value to be a 64-bit integer"
                })
            })?;
            check_width(key, n, raw)?;
            Ok(ConfigValue::Long(n))
        }
        (ConfigType::String, RawValue::String(s)) => Ok(ConfigValue::String(s.trim().to_string())),
        (ConfigType::String, RawValue::Integer(n)) => Ok(ConfigValue::String(n.to_string())),
        (ConfigType::List, RawValue::String(s)) => Ok(ConfigValue::List(
            s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        )),
        (ConfigType::List, RawValue::List(items)) => {
            let mut out = Vec::new();
            for item in items {
                match item {
                    RawValue::String(s) => out.push(s.trim().to_string()),
                    _ => return Err(expected("a list of strings")),
                }
            }
            Ok(ConfigValue::List(out))
        }
        (ConfigType::Boolean, _) => Err(expected("value to be either true or false")),
        (ConfigType::Int, _) => Err(expected("value to be a 32-bit integer")),
        (ConfigType::Long, _) => Err(expected("value to be a 64-bit integer")),
        (ConfigType::String, _) => Err(expected("a string")),
        (ConfigType::List, _) => Err(expected("a comma-separated list")),
    }
}

fn check_width(key: &ConfigKey, n: i64, raw: &RawValue) -> Result<(), ConfigError> {
    if key.kind == ConfigType::Int && i32::try_from(n).is_err() {
        return Err(ConfigError {
            key: key.name.to_string(),
            message: format!(
                "Invalid value {raw} for configuration {}: Expected value to be a 32-bit integer",
                key.name
            ),
        });
    }
    Ok(())
}

fn validate(key: &ConfigKey, value: &ConfigValue) -> Result<(), ConfigError> {
    match (key.validator, value) {
        (Validator::AtLeast(min), ConfigValue::Long(n)) if *n < min => {
            Err(ConfigError::invalid(key.name, n, format_args!("Value must be at least {min}")))
        }
        (Validator::Between(min, _), ConfigValue::Long(n)) if *n < min => {
            Err(ConfigError::invalid(key.name, n, format_args!("Value must be at least {min}")))
        }
        (Validator::Between(_, max), ConfigValue::Long(n)) if *n > max => {
            Err(ConfigError::invalid(key.name, n, format_args!("Value must be no more than {max}")))
        }
        (Validator::OneOf(choices), ConfigValue::String(s)) if !choices.contains(&s.as_str()) => {
            Err(ConfigError::invalid(
                key.name,
                s,
                format_args!("String must be one of: {}", choices.join(", ")),
            ))
        }
        _ => Ok(()),
    }
}

/// Every key of one `ConfigDef` with a value: the user's where given, Kafka's default otherwise.
#[derive(Clone, Debug)]
pub struct ResolvedConfig {
    values: BTreeMap<&'static str, ConfigValue>,
    explicit: Vec<String>,
}

impl ResolvedConfig {
    fn get(&self, name: &str) -> &ConfigValue {
        self.values.get(name).unwrap_or_else(|| panic!("config key {name} is not in its ConfigDef"))
    }

    /// Whether the user set this key (Kafka's idempotence checks depend on it).
    pub fn is_explicit(&self, name: &str) -> bool {
        self.explicit.iter().any(|k| k == name)
    }

    /// The keys the user set, with their values, in key order (Kafka's describe `Configs:`).
    pub fn explicit_entries(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> =
            self.explicit.iter().map(|k| (k.clone(), self.get(k).to_string())).collect();
        out.sort();
        out
    }

    pub fn bool(&self, name: &str) -> bool {
        match self.get(name) {
            ConfigValue::Boolean(b) => *b,
            other => panic!("config {name} is not a boolean: {other:?}"),
        }
    }

    pub fn long(&self, name: &str) -> i64 {
        match self.get(name) {
            ConfigValue::Long(n) => *n,
            other => panic!("config {name} is not a number: {other:?}"),
        }
    }

    pub fn optional_long(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            ConfigValue::Long(n) => Some(*n),
            ConfigValue::Null => None,
            other => panic!("config {name} is not a number: {other:?}"),
        }
    }

    /// A non-negative duration or count, saturating Kafka's `Long.MAX_VALUE` sentinels.
    pub fn unsigned(&self, name: &str) -> u64 {
        self.long(name).max(0) as u64
    }

    pub fn string(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            ConfigValue::String(s) => Some(s),
            ConfigValue::Null => None,
            other => panic!("config {name} is not a string: {other:?}"),
        }
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            ConfigValue::List(items) => items.clone(),
            ConfigValue::String(s) => vec![s.clone()],
            ConfigValue::Null => Vec::new(),
            other => panic!("config {name} is not a list: {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[ConfigKey] = &[
        ConfigKey {
            name: "min.insync.replicas",
            kind: ConfigType::Int,
            default: Some("1"),
            validator: Validator::AtLeast(1),
            doc: "",
        },
        ConfigKey {
            name: "cleanup.policy",
            kind: ConfigType::String,
            default: Some("delete"),
            validator: Validator::OneOf(&["delete"]),
            doc: "",
        },
    ];
    const DEF: ConfigDef = ConfigDef { what: "topic", keys: KEYS };

    #[test]
    fn defaults_fill_in_and_strings_parse_as_numbers() {
        let mut entries = BTreeMap::new();
        entries.insert("min.insync.replicas".to_string(), RawValue::String("2".into()));
        let resolved = DEF.resolve(&entries).unwrap();
        assert_eq!(resolved.long("min.insync.replicas"), 2);
        assert_eq!(resolved.string("cleanup.policy"), Some("delete"));
        assert!(resolved.is_explicit("min.insync.replicas"));
        assert!(!resolved.is_explicit("cleanup.policy"));
    }

    #[test]
    fn errors_use_kafka_wording() {
        let err = DEF.parse("min.insync.replicas", &RawValue::Integer(0)).unwrap_err();
        assert_eq!(
            err.message,
            "Invalid value 0 for configuration min.insync.replicas: Value must be at least 1"
        );
        let err = DEF.parse("min.insync.replica", &RawValue::Integer(2)).unwrap_err();
        assert!(err.message.contains("unknown topic config 'min.insync.replica'"));
        let err = DEF.parse("min.insync.replicas", &RawValue::Boolean(true)).unwrap_err();
        assert!(err.message.contains("Expected value to be a 32-bit integer"));
        let err = DEF.parse("cleanup.policy", &RawValue::String("compact".into())).unwrap_err();
        assert!(err.message.contains("String must be one of: delete"));
    }
}
