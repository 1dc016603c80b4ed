//! A custom partitioner declared as rules in a scenario, standing in for a user class that
//! implements `org.apache.kafka.clients.producer.Partitioner` (`partitioner.class = <your
//! class>`): Kafka calls such a class once per record, and the partition it returns is final.
//!
//! The course's example (day 6, "Custom Partitioning") sends keys starting with `premium_` to
//! partition 0 and hashes every other key over partitions 1..N-1. As rules:
//!
//! ```toml
//! [producers.partitioner]
//! otherwise = "hash-remaining"      # or "hash-all"
//!
//! [[producers.partitioner.rules]]
//! key_prefix = "premium_"
//! partition = 0
//! ```
//!
//! (or inline: `rules = [{ key_prefix = "premium_", partition = 0 }]`).
//!
//! * Rules are tried in order; the first whose `key_prefix` starts the key's bytes wins.
//! * `otherwise = "hash-all"`: any other key goes where the default partitioner would put it,
//!   `toPositive(murmur2(key)) % numPartitions` (so it may share a rule's partition).
//! * `otherwise = "hash-remaining"`: any other key is hashed the same way over the partitions
//!   that no rule names, in ascending order; with the example that is
//!   `1 + toPositive(murmur2(key)) % (N - 1)`, the course's formula.
//! * A record without a key is rejected: the send fails with [`PartitionError::KeyRequired`],
//!   as the course's class would fail (it calls `key.toString()`) and as Kafka: The Definitive
//!   Guide's example partitioner does (it throws `InvalidRecordException`).
//! * Like a typical user class it ignores leader availability: a partition whose leader is down
//!   keeps receiving its keys, which then wait in the accumulator.
//!
//! Not modelled: arbitrary user code; only prefix rules and the two fallbacks.

use super::murmur2::{murmur2, partition_for_key, to_positive};
use super::PartitionError;
use serde::{Deserialize, Serialize};

/// The rules of a custom partitioner, as written under `[producers.partitioner]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomPartitionerRules {
    /// Tried in order; the first matching prefix wins.
    #[serde(default)]
    pub rules: Vec<KeyPrefixRule>,
    /// Where keys that no rule matches go.
    pub otherwise: Otherwise,
}

/// Keys starting with `key_prefix` (compared as UTF-8 bytes) go to `partition`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPrefixRule {
    pub key_prefix: String,
    pub partition: i32,
}

/// The fallback for keys that match no rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Otherwise {
    /// murmur2 over all partitions, as the default partitioner.
    HashAll,
    /// murmur2 over the partitions no rule names.
    HashRemaining,
}

/// A mistake in a scenario's custom partitioner rules. Rules are numbered from 1 in messages,
/// in file order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CustomRulesError {
    #[error("custom partitioner rule {rule}: key_prefix is empty, so it would match every key")]
    EmptyPrefix { rule: usize },
    #[error(
        "custom partitioner rule {rule} (key_prefix {key_prefix:?}): partition {partition} is \
         negative; partitions are numbered from 0"
    )]
    NegativePartition { rule: usize, key_prefix: String, partition: i32 },
    #[error(
        "custom partitioner rule {rule} (key_prefix {key_prefix:?}) can never match: rule \
         {earlier} (key_prefix {earlier_prefix:?}) matches every key it would"
    )]
    Unreachable { rule: usize, key_prefix: String, earlier: usize, earlier_prefix: String },
    #[error(
        "custom partitioner rule {rule} (key_prefix {key_prefix:?}) sends keys to partition \
         {partition}, but the topic has {num_partitions} partition(s), numbered 0..={last}",
        last = num_partitions - 1
    )]
    NoSuchPartition { rule: usize, key_prefix: String, partition: i32, num_partitions: i32 },
    #[error(
        "custom partitioner: otherwise = \"hash-remaining\", but the rules name every one of the \
         topic's {num_partitions} partition(s), so no partition remains for other keys"
    )]
    NoRemainingPartition { num_partitions: i32 },
}

impl CustomPartitionerRules {
    /// The checks that do not need the topic: no empty or negative rule, none shadowed by an
    /// earlier rule with a prefix of its own prefix.
    pub fn validate(&self) -> Result<(), CustomRulesError> {
        for (i, rule) in self.rules.iter().enumerate() {
            let number = i + 1;
            if rule.key_prefix.is_empty() {
                return Err(CustomRulesError::EmptyPrefix { rule: number });
            }
            if rule.partition < 0 {
                return Err(CustomRulesError::NegativePartition {
                    rule: number,
                    key_prefix: rule.key_prefix.clone(),
                    partition: rule.partition,
                });
            }
            if let Some((j, earlier)) =
                self.rules[..i].iter().enumerate().find(|(_, earlier)| rule.key_prefix.starts_with(&earlier.key_prefix))
            {
                return Err(CustomRulesError::Unreachable {
                    rule: number,
                    key_prefix: rule.key_prefix.clone(),
                    earlier: j + 1,
                    earlier_prefix: earlier.key_prefix.clone(),
                });
            }
        }
        Ok(())
    }

    /// All checks, against the partition count of the topic the producer writes to: every rule's
    /// partition exists, and `hash-remaining` has a partition left.
    pub fn validate_for_topic(&self, num_partitions: i32) -> Result<(), CustomRulesError> {
        self.validate()?;
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.partition >= num_partitions {
                return Err(CustomRulesError::NoSuchPartition {
                    rule: i + 1,
                    key_prefix: rule.key_prefix.clone(),
                    partition: rule.partition,
                    num_partitions,
                });
            }
        }
        if self.otherwise == Otherwise::HashRemaining && remaining_count(&self.named(), num_partitions) == 0 {
            return Err(CustomRulesError::NoRemainingPartition { num_partitions });
        }
        Ok(())
    }

    /// The partitions the rules name, ascending, without duplicates.
    fn named(&self) -> Vec<i32> {
        let mut named: Vec<i32> = self.rules.iter().map(|r| r.partition).collect();
        named.sort_unstable();
        named.dedup();
        named
    }
}

/// How many of `0..num_partitions` are not in `named` (sorted, deduplicated).
fn remaining_count(named: &[i32], num_partitions: i32) -> i32 {
    num_partitions - named.iter().filter(|&&p| p < num_partitions).count() as i32
}

/// A custom partitioner built from validated rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomPartitioner {
    rules: CustomPartitionerRules,
    /// `rules`' partitions, ascending and deduplicated, for `hash-remaining`.
    named_partitions: Vec<i32>,
}

impl CustomPartitioner {
    pub fn new(rules: CustomPartitionerRules) -> Result<CustomPartitioner, CustomRulesError> {
        rules.validate()?;
        let named_partitions = rules.named();
        Ok(CustomPartitioner { rules, named_partitions })
    }

    pub fn rules(&self) -> &CustomPartitionerRules {
        &self.rules
    }

    /// The partition for a record with serialized key `key` in a topic of `num_partitions`.
    pub fn partition(&self, key: Option<&[u8]>, num_partitions: i32) -> Result<i32, PartitionError> {
        let key = key.ok_or(PartitionError::KeyRequired)?;
        if let Some(rule) = self.rules.rules.iter().find(|r| key.starts_with(r.key_prefix.as_bytes())) {
            if rule.partition >= num_partitions {
                return Err(PartitionError::NoSuchPartition { partition: rule.partition, num_partitions });
            }
            return Ok(rule.partition);
        }
        match self.rules.otherwise {
            Otherwise::HashAll => Ok(partition_for_key(key, num_partitions)),
            Otherwise::HashRemaining => {
                let remaining = remaining_count(&self.named_partitions, num_partitions);
                if remaining == 0 {
                    return Err(PartitionError::NoRemainingPartition { num_partitions });
                }
                let index = to_positive(murmur2(key)) % remaining;
                Ok(nth_unnamed(&self.named_partitions, index))
            }
        }
    }
}

/// The `index`-th (from 0) partition id that is not in `named` (sorted, deduplicated).
fn nth_unnamed(named: &[i32], index: i32) -> i32 {
    // Walk the named partitions: each one at or below the candidate pushes it up by one.
    let mut candidate = index;
    for &p in named {
        if p <= candidate {
            candidate += 1;
        } else {
            break;
        }
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn premium_rules() -> CustomPartitionerRules {
        CustomPartitionerRules {
            rules: vec![KeyPrefixRule { key_prefix: "premium_".into(), partition: 0 }],
            otherwise: Otherwise::HashRemaining,
        }
    }

    #[test]
    fn toml_form_from_the_doc_comment() {
        let text = r#"
            otherwise = "hash-remaining"

            [[rules]]
            key_prefix = "premium_"
            partition = 0
        "#;
        let parsed: CustomPartitionerRules = toml::from_str(text).unwrap();
        assert_eq!(parsed, premium_rules());
        let inline: CustomPartitionerRules = toml::from_str(
            r#"rules = [{ key_prefix = "premium_", partition = 0 }]
               otherwise = "hash-remaining""#,
        )
        .unwrap();
        assert_eq!(inline, premium_rules());
    }

    #[test]
    fn unknown_fields_and_values_are_rejected() {
        let err =
            toml::from_str::<CustomPartitionerRules>("otherwise = \"hash-all\"\nfallback = 1").unwrap_err().to_string();
        assert!(err.contains("unknown field `fallback`"), "{err}");
        let err = toml::from_str::<CustomPartitionerRules>(
            "otherwise = \"hash-all\"\n[[rules]]\nkey_prefix = \"a\"\npartition = 0\nweight = 2",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `weight`"), "{err}");
        let err = toml::from_str::<CustomPartitionerRules>("otherwise = \"round-robin\"").unwrap_err().to_string();
        assert!(err.contains("hash-all") && err.contains("hash-remaining"), "{err}");
    }

    /// The course's class: `premium_` keys to 0, the rest `hash(key) % (N - 1) + 1`.
    #[test]
    fn premium_keys_to_zero_others_over_the_rest() {
        let partitioner = CustomPartitioner::new(premium_rules()).unwrap();
        let n = 6;
        assert_eq!(partitioner.partition(Some(b"premium_alice"), n), Ok(0));
        assert_eq!(partitioner.partition(Some(b"premium_"), n), Ok(0));
        for key in ["alice", "bob", "21", "foobar", "premiu", "Premium_x", ""] {
            let expected = 1 + to_positive(murmur2(key.as_bytes())) % (n - 1);
            assert_eq!(partitioner.partition(Some(key.as_bytes()), n), Ok(expected), "{key}");
        }
        // "21": toPositive(-973932308) = 1173551340; 1173551340 % 5 = 0 -> partition 1.
        assert_eq!(partitioner.partition(Some(b"21"), n), Ok(1));
        assert_eq!(partitioner.partition(None, n), Err(PartitionError::KeyRequired));
    }

    #[test]
    fn hash_all_is_the_default_partitioner_for_other_keys() {
        let rules = CustomPartitionerRules { otherwise: Otherwise::HashAll, ..premium_rules() };
        let partitioner = CustomPartitioner::new(rules).unwrap();
        assert_eq!(partitioner.partition(Some(b"premium_x"), 6), Ok(0));
        assert_eq!(partitioner.partition(Some(b"foobar"), 6), Ok(partition_for_key(b"foobar", 6)));
    }

    #[test]
    fn remaining_partitions_skip_every_named_one() {
        let named = [0, 2, 3, 7];
        let unnamed: Vec<i32> = (0..6).map(|i| nth_unnamed(&named, i)).collect();
        assert_eq!(unnamed, [1, 4, 5, 6, 8, 9]);
        assert_eq!(remaining_count(&named, 8), 4);
        assert_eq!(remaining_count(&named, 3), 1);
    }

    #[test]
    fn first_matching_rule_wins_and_hash_remaining_covers_the_rest_evenly() {
        let rules = CustomPartitionerRules {
            rules: vec![
                KeyPrefixRule { key_prefix: "gold_".into(), partition: 3 },
                KeyPrefixRule { key_prefix: "silver_".into(), partition: 1 },
            ],
            otherwise: Otherwise::HashRemaining,
        };
        rules.validate_for_topic(5).unwrap();
        let partitioner = CustomPartitioner::new(rules).unwrap();
        assert_eq!(partitioner.partition(Some(b"gold_1"), 5), Ok(3));
        assert_eq!(partitioner.partition(Some(b"silver_1"), 5), Ok(1));
        let mut counts = [0; 5];
        for i in 0..3000 {
            let key = format!("user-{i}");
            counts[partitioner.partition(Some(key.as_bytes()), 5).unwrap() as usize] += 1;
        }
        assert_eq!((counts[1], counts[3]), (0, 0));
        for p in [0, 2, 4] {
            assert!((800..1200).contains(&counts[p]), "partition {p}: {counts:?}");
        }
    }

    #[test]
    fn validation_names_the_rule_and_the_problem() {
        let bad_partition = premium_rules_with(vec![("premium_", 0), ("vip_", 6)]);
        assert_eq!(
            bad_partition.validate_for_topic(6).unwrap_err().to_string(),
            "custom partitioner rule 2 (key_prefix \"vip_\") sends keys to partition 6, but the \
             topic has 6 partition(s), numbered 0..=5"
        );
        let shadowed = premium_rules_with(vec![("premium_", 0), ("premium_gold_", 1)]);
        assert_eq!(
            CustomPartitioner::new(shadowed).unwrap_err(),
            CustomRulesError::Unreachable {
                rule: 2,
                key_prefix: "premium_gold_".into(),
                earlier: 1,
                earlier_prefix: "premium_".into()
            }
        );
        let empty = premium_rules_with(vec![("", 0)]);
        assert_eq!(empty.validate(), Err(CustomRulesError::EmptyPrefix { rule: 1 }));
        let negative = premium_rules_with(vec![("a", -1)]);
        assert!(matches!(negative.validate(), Err(CustomRulesError::NegativePartition { rule: 1, .. })));
        let all_named = premium_rules_with(vec![("a", 0), ("b", 1)]);
        assert_eq!(all_named.validate_for_topic(2), Err(CustomRulesError::NoRemainingPartition { num_partitions: 2 }));
        assert!(all_named.validate_for_topic(3).is_ok());
        // Without rules, hash-remaining is hash-all.
        let none = premium_rules_with(vec![]);
        assert!(none.validate_for_topic(1).is_ok());
        let partitioner = CustomPartitioner::new(none).unwrap();
        assert_eq!(partitioner.partition(Some(b"foobar"), 7), Ok(partition_for_key(b"foobar", 7)));
    }

    #[test]
    fn runtime_errors_when_the_topic_is_smaller_than_the_rules_assume() {
        let partitioner = CustomPartitioner::new(premium_rules_with(vec![("a", 3)])).unwrap();
        assert_eq!(
            partitioner.partition(Some(b"abc"), 2),
            Err(PartitionError::NoSuchPartition { partition: 3, num_partitions: 2 })
        );
        let partitioner = CustomPartitioner::new(premium_rules_with(vec![("a", 0)])).unwrap();
        assert_eq!(
            partitioner.partition(Some(b"zzz"), 1),
            Err(PartitionError::NoRemainingPartition { num_partitions: 1 })
        );
    }

    fn premium_rules_with(rules: Vec<(&str, i32)>) -> CustomPartitionerRules {
        CustomPartitionerRules {
            rules: rules
                .into_iter()
                .map(|(key_prefix, partition)| KeyPrefixRule { key_prefix: key_prefix.into(), partition })
                .collect(),
            otherwise: Otherwise::HashRemaining,
        }
    }
}
