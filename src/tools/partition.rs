//! The library side of `kafkasim partition --partitions N --key K [--key K ...]`: the partition
//! Kafka's default partitioner gives each key (`BuiltInPartitioner.partitionForKey`,
//! `toPositive(murmur2(keyBytes)) % numPartitions`), where the key bytes are what the Java
//! client's `StringSerializer` produces: the key's UTF-8 encoding.
//!
//! Output, one line per key in the order given: `key<TAB>partition`.
//!
//! Not modelled: other serializers (a key serialized as, say, an `IntegerSerializer` int hashes
//! differently), `partitioner.class`, and records without a key (those are not hashed at all).

use crate::protocol::producer::partitioner::partition_for_key;

/// A bad `kafkasim partition` invocation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartitionToolError {
    #[error("--partitions must be at least 1 (a topic has at least one partition), got {partitions}")]
    InvalidPartitionCount { partitions: i64 },
    #[error("--partitions {partitions} is more than a Kafka topic can have (at most {max})", max = i32::MAX)]
    TooManyPartitions { partitions: i64 },
    #[error("give at least one --key")]
    NoKeys,
}

/// The partition of each key, in order.
pub fn partitions_for_keys<S: AsRef<str>>(
    partitions: i64,
    keys: &[S],
) -> Result<Vec<(String, i32)>, PartitionToolError> {
    if partitions < 1 {
        return Err(PartitionToolError::InvalidPartitionCount { partitions });
    }
    let num_partitions = i32::try_from(partitions).map_err(|_| PartitionToolError::TooManyPartitions { partitions })?;
    if keys.is_empty() {
        return Err(PartitionToolError::NoKeys);
    }
    Ok(keys
        .iter()
        .map(|key| {
            let key = key.as_ref();
            (key.to_string(), partition_for_key(key.as_bytes(), num_partitions))
        })
        .collect())
}

/// The command's output: `key<TAB>partition` lines, each ending in a newline.
pub fn run<S: AsRef<str>>(partitions: i64, keys: &[S]) -> Result<String, PartitionToolError> {
    let mut out = String::new();
    for (key, partition) in partitions_for_keys(partitions, keys)? {
        out.push_str(&key);
        out.push('\t');
        out.push_str(&partition.to_string());
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_follow_the_java_client() {
        // murmur2("21") = -973932308 -> toPositive 1173551340; % 6 = 0.
        // murmur2("foobar") = -790332482 -> 1357151166; % 6 = 0.
        // murmur2("abc") = 479470107; % 6 = 3.
        // murmur2("kafka") = 0xd067cf64 -> 0x5067cf64 = 1348980580; % 6 = 4.
        assert_eq!(run(6, &["21", "foobar", "abc", "kafka"]).unwrap(), "21\t0\nfoobar\t0\nabc\t3\nkafka\t4\n");
        assert_eq!(run(1, &["anything"]).unwrap(), "anything\t0\n");
    }

    #[test]
    fn keys_are_hashed_as_utf8() {
        let expected = partition_for_key("café".as_bytes(), 10);
        assert_eq!(partitions_for_keys(10, &["café"]).unwrap(), vec![("café".to_string(), expected)]);
        // The empty key is a key (Kafka hashes its zero bytes).
        assert_eq!(
            partitions_for_keys(7, &[""]).unwrap(),
            vec![(String::new(), crate::protocol::producer::partitioner::to_positive(0x106e_08d9) % 7)]
        );
    }

    #[test]
    fn order_and_duplicates_are_kept() {
        let lines = run(3, &["b", "a", "b"]).unwrap();
        let keys: Vec<&str> = lines.lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
    }

    #[test]
    fn bad_invocations_say_what_is_wrong() {
        assert_eq!(
            run(0, &["k"]).unwrap_err().to_string(),
            "--partitions must be at least 1 (a topic has at least one partition), got 0"
        );
        assert_eq!(run(-3, &["k"]).unwrap_err(), PartitionToolError::InvalidPartitionCount { partitions: -3 });
        assert!(matches!(run(1 << 40, &["k"]), Err(PartitionToolError::TooManyPartitions { .. })));
        assert_eq!(run::<&str>(3, &[]).unwrap_err(), PartitionToolError::NoKeys);
    }
}
