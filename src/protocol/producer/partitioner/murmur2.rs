//! Kafka's key hash: `org.apache.kafka.common.utils.Utils.murmur2` / `toPositive`, and
//! `BuiltInPartitioner.partitionForKey`, the rule every Kafka client shares so that one key
//! always lands on the same partition whichever client wrote it.
//!
//! This is the 32-bit MurmurHash2 variant with Kafka's fixed seed `0x9747b28c`, computed in
//! wrapping `i32` arithmetic exactly as the Java code does (Java `int` overflow wraps). The
//! result is a signed `i32` like Java's, so Kafka's published test vectors compare directly.
//!
//! Not modelled: nothing; this is the whole algorithm.

/// Kafka's murmur2 seed (`Utils.murmur2`).
const SEED: u32 = 0x9747_b28c;
/// The multiplication constant of MurmurHash2.
const M: u32 = 0x5bd1_e995;
/// The shift of MurmurHash2's mixing step.
const R: u32 = 24;

/// `Utils.murmur2(byte[])`: the signed 32-bit MurmurHash2 of `data`.
///
/// Unsigned wrapping arithmetic gives the same bits as Java's wrapping `int` arithmetic; Java's
/// `>>>` is a logical shift, which is what `u32 >>` does.
pub fn murmur2(data: &[u8]) -> i32 {
    let length = data.len() as u32;
    let mut h: u32 = SEED ^ length;

    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }

    // The 1..3 trailing bytes, mixed in the order of Java's fall-through `switch`.
    let tail = chunks.remainder();
    if tail.len() == 3 {
        h ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        h ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        h ^= tail[0] as u32;
        h = h.wrapping_mul(M);
    }

    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// `Utils.toPositive(int)`: clears the sign bit. Kafka uses this instead of `Math.abs`, which
/// would stay negative for `Integer.MIN_VALUE`.
pub fn to_positive(number: i32) -> i32 {
    number & 0x7fff_ffff
}

/// `BuiltInPartitioner.partitionForKey`: the partition of a keyed record under the default
/// partitioner, `toPositive(murmur2(serializedKey)) % numPartitions`.
///
/// `num_partitions` is the topic's partition count (`cluster.partitionsForTopic(topic).size()`),
/// available or not: a key keeps its partition while that partition's leader is down.
pub fn partition_for_key(serialized_key: &[u8], num_partitions: i32) -> i32 {
    assert!(num_partitions >= 1, "partition_for_key needs at least one partition, got {num_partitions}");
    to_positive(murmur2(serialized_key)) % num_partitions
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `UtilsTest.testMurmur2` in apache/kafka (clients/src/test/.../common/utils/UtilsTest.java).
    #[test]
    fn kafka_utils_test_vectors() {
        let cases: &[(&[u8], i32)] = &[
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            (b"abc", 479_470_107), // Kafka writes this one as new byte[] {'a', 'b', 'c'}
        ];
        for (data, expected) in cases {
            assert_eq!(murmur2(data), *expected, "murmur2({:?})", String::from_utf8_lossy(data));
        }
    }

    /// librdkafka's `unittest_murmur2` (src/rdmurmur2.c), whose expected values it labels
    /// `java_murmur2_results`: the Java client's hashes, which librdkafka's `murmur2`
    /// partitioner must reproduce. They cover every tail length (0..=3 trailing bytes) and the
    /// empty key.
    #[test]
    fn librdkafka_java_compatibility_vectors() {
        let cases: &[(&str, u32)] = &[
            ("kafka", 0xd067_cf64),
            ("giberish123456789", 0x8f55_2b0c),
            ("1234", 0x9fc9_7b14),
            ("234", 0xe7c0_09ca),
            ("34", 0x8739_30da),
            ("4", 0x5a4b_5ca1),
            ("PreAmbleWillBeRemoved,ThePrePartThatIs", 0x7842_4f1c),
            ("reAmbleWillBeRemoved,ThePrePartThatIs", 0x4a62_b377),
            ("eAmbleWillBeRemoved,ThePrePartThatIs", 0xe0e4_e09e),
            ("AmbleWillBeRemoved,ThePrePartThatIs", 0x62b8_b43f),
            ("", 0x106e_08d9),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key.as_bytes()), *expected as i32, "murmur2({key:?})");
        }
    }

    #[test]
    fn to_positive_clears_only_the_sign_bit() {
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(0), 0);
        assert_eq!(to_positive(42), 42);
        assert_eq!(to_positive(-973_932_308), 1_173_551_340);
    }

    #[test]
    fn partition_for_key_follows_the_vectors() {
        // toPositive(-973932308) = 1173551340; 1173551340 % 6 = 0, % 7 = 4.
        assert_eq!(partition_for_key(b"21", 6), 1_173_551_340 % 6);
        assert_eq!(partition_for_key(b"21", 7), 1_173_551_340 % 7);
        // toPositive(479470107) = 479470107 (already positive).
        assert_eq!(partition_for_key(b"abc", 10), 479_470_107 % 10);
        for n in 1..64 {
            let p = partition_for_key(b"foobar", n);
            assert!((0..n).contains(&p));
        }
    }
}
