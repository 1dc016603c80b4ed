//! The iteration order of Java's `java.util.HashMap` and `HashSet`, and Java's `String` order.
//!
//! Kafka's assignors iterate `HashMap`s in a few places where the order decides the outcome: the
//! order of topics inside a `RangeAssignor` member's list, the order in which the sticky assignors
//! visit members, and the partition `AbstractStickyAssignor`'s `PartitionMovements` picks with
//! `HashSet.iterator().next()`. To produce the very assignment the Java client produces, this
//! module replays what the JDK's `HashMap` does with its table: Java's `hashCode` of the key,
//! the spread `h ^ (h >>> 16)`, power-of-two tables that double when the size passes three
//! quarters of the capacity, new entries appended to their bucket, and a resize that keeps the
//! relative order of the entries of each bucket. Iteration walks the buckets in index order.
//!
//! Not modelled: a bucket that the JDK turns into a red-black tree (it does so only when one
//! bucket holds more than eight entries in a table of 64 buckets or more, which needs many keys
//! with colliding hashes); such a bucket would iterate in a different order in Java.
//!
//! Java compares `String`s by UTF-16 code units; Rust compares `str` by UTF-8 bytes. The two
//! orders differ only for characters above U+FFFF against U+E000..U+FFFF, and
//! [`java_string_cmp`] gives the Java order wherever the assignors sort names.

use crate::protocol::types::TopicPartition;
use std::cmp::Ordering;

/// Java's `String.compareTo`: lexicographic over UTF-16 code units.
pub(crate) fn java_string_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A key as Java hashes it (`Object.hashCode`).
pub(crate) trait JavaHashCode {
    fn java_hash_code(&self) -> i32;
}

/// Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping.
fn java_string_hash_code(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |hash, unit| hash.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

impl<T: JavaHashCode + ?Sized> JavaHashCode for &T {
    fn java_hash_code(&self) -> i32 {
        (**self).java_hash_code()
    }
}

impl JavaHashCode for str {
    fn java_hash_code(&self) -> i32 {
        java_string_hash_code(self)
    }
}

impl JavaHashCode for String {
    fn java_hash_code(&self) -> i32 {
        java_string_hash_code(self)
    }
}

impl JavaHashCode for std::sync::Arc<str> {
    fn java_hash_code(&self) -> i32 {
        java_string_hash_code(self)
    }
}

/// Kafka's `TopicPartition.hashCode`: `31 * (31 + partition) + topic.hashCode()`.
impl JavaHashCode for TopicPartition {
    fn java_hash_code(&self) -> i32 {
        31i32.wrapping_add(self.partition).wrapping_mul(31).wrapping_add(self.topic.java_hash_code())
    }
}

/// `HashMap.hash`: the high half of the hash is folded into the low half, because the table
/// index only looks at the low bits.
fn spread(hash: i32) -> u32 {
    let hash = hash as u32;
    hash ^ (hash >> 16)
}

const DEFAULT_INITIAL_CAPACITY: usize = 16;
/// `HashMap.TREEIFY_THRESHOLD`: a bucket reaching this many entries is treeified, or the table
/// is resized instead while it is smaller than `MIN_TREEIFY_CAPACITY`.
const TREEIFY_THRESHOLD: usize = 8;
const MIN_TREEIFY_CAPACITY: usize = 64;

/// A map that iterates in the order a `java.util.HashMap` built by the same sequence of
/// `new HashMap<>()`, `put` and `remove` calls iterates.
#[derive(Clone, Debug)]
pub(crate) struct JavaHashMap<K, V> {
    /// Empty until the first insert, as Java allocates its table lazily.
    buckets: Vec<Vec<(u32, K, V)>>,
    /// Java's `threshold`: the size above which the table doubles.
    threshold: usize,
    len: usize,
}

impl<K: JavaHashCode + Eq, V> JavaHashMap<K, V> {
    /// `new HashMap<>()`: default capacity 16, load factor 0.75.
    pub(crate) fn new() -> Self {
        JavaHashMap { buckets: Vec::new(), threshold: 0, len: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn index_of(&self, hash: u32) -> usize {
        debug_assert!(self.buckets.len().is_power_of_two());
        (hash as usize) & (self.buckets.len() - 1)
    }

    /// `put`: a present key keeps its place and gets the new value; a new key goes to the end
    /// of its bucket.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        if self.buckets.is_empty() {
            self.resize();
        }
        let hash = spread(key.java_hash_code());
        let index = self.index_of(hash);
        if let Some(slot) = self.buckets[index].iter_mut().find(|(h, k, _)| *h == hash && *k == key) {
            return Some(std::mem::replace(&mut slot.2, value));
        }
        let entries_before = self.buckets[index].len();
        self.buckets[index].push((hash, key, value));
        if entries_before >= TREEIFY_THRESHOLD && self.buckets.len() < MIN_TREEIFY_CAPACITY {
            // `treeifyBin` on a small table resizes instead of building a tree.
            self.resize();
        }
        self.len += 1;
        if self.len > self.threshold {
            self.resize();
        }
        None
    }

    /// `remove`: unlinking keeps the order of the other entries of the bucket.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        if self.buckets.is_empty() {
            return None;
        }
        let hash = spread(key.java_hash_code());
        let index = self.index_of(hash);
        let position = self.buckets[index].iter().position(|(h, k, _)| *h == hash && k == key)?;
        self.len -= 1;
        Some(self.buckets[index].remove(position).2)
    }

    /// `HashMap.resize`: doubles the table; each bucket splits into the same index and the
    /// index plus the old capacity, both keeping the bucket's relative order.
    fn resize(&mut self) {
        let old_capacity = self.buckets.len();
        let (new_capacity, doubled_threshold) = if old_capacity > 0 {
            let doubled = (old_capacity >= DEFAULT_INITIAL_CAPACITY).then_some(self.threshold * 2);
            (old_capacity * 2, doubled)
        } else {
            (DEFAULT_INITIAL_CAPACITY, None)
        };
        // (int)(newCap * 0.75f) is exact for the power-of-two capacities used here.
        self.threshold = doubled_threshold.unwrap_or(new_capacity * 3 / 4);
        let old = std::mem::take(&mut self.buckets);
        self.buckets = (0..new_capacity).map(|_| Vec::new()).collect();
        for (hash, key, value) in old.into_iter().flatten() {
            let index = self.index_of(hash);
            self.buckets[index].push((hash, key, value));
        }
    }

    /// The entries in Java's iteration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.buckets.iter().flatten().map(|(_, k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(k, _)| k)
    }
}

/// `java.util.HashSet`: a `HashMap` with no values.
#[derive(Clone, Debug)]
pub(crate) struct JavaHashSet<T> {
    map: JavaHashMap<T, ()>,
}

impl<T: JavaHashCode + Eq> JavaHashSet<T> {
    pub(crate) fn new() -> Self {
        JavaHashSet { map: JavaHashMap::new() }
    }

    /// `add`: false if it was already present.
    pub(crate) fn insert(&mut self, value: T) -> bool {
        self.map.insert(value, ()).is_none()
    }

    pub(crate) fn remove(&mut self, value: &T) -> bool {
        self.map.remove(value).is_some()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// `iterator().next()`.
    pub(crate) fn first(&self) -> Option<&T> {
        self.map.keys().next()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.map.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_codes_match_java() {
        // Values printed by a JVM: "".hashCode(), "a".hashCode(), "topic1".hashCode(), ...
        assert_eq!("".java_hash_code(), 0);
        assert_eq!("a".java_hash_code(), 97);
        assert_eq!("hello".java_hash_code(), 99_162_322);
        // Overflow wraps like Java's int arithmetic.
        assert_eq!("polygenelubricants".java_hash_code(), i32::MIN);
        // Supplementary characters hash as their two UTF-16 surrogates.
        assert_eq!("\u{1F600}".java_hash_code(), 0xD83D * 31 + 0xDE00);
    }

    #[test]
    fn topic_partition_hash_code_matches_kafka() {
        let tp = TopicPartition::new("t", 3);
        assert_eq!(tp.java_hash_code(), 31 * (31 + 3) + 116);
    }

    #[test]
    fn java_string_order_is_utf16_order() {
        assert_eq!(java_string_cmp("a", "b"), Ordering::Less);
        assert_eq!(java_string_cmp("ab", "a"), Ordering::Greater);
        // U+FF61 sorts after U+1F600 in Java (0xFF61 > 0xD83D) but before it in Rust.
        assert_eq!(java_string_cmp("\u{FF61}", "\u{1F600}"), Ordering::Greater);
        assert_eq!("\u{FF61}".cmp("\u{1F600}"), Ordering::Less);
    }

    #[test]
    fn iteration_follows_buckets_then_insertion() {
        // "Aa" and "BB" share a hash code (2112), so they share a bucket and keep insertion order.
        let mut map = JavaHashMap::new();
        map.insert("BB".to_string(), 1);
        map.insert("Aa".to_string(), 2);
        map.insert("a".to_string(), 3);
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        // 2112 & 15 = 0 puts the colliding pair in bucket 0, before "a" (97 & 15 = 1).
        assert_eq!(keys, ["BB", "Aa", "a"]);
        assert_eq!(map.remove(&"BB".to_string()), Some(1));
        assert_eq!(map.keys().map(String::as_str).collect::<Vec<_>>(), ["Aa", "a"]);
    }

    #[test]
    fn resize_keeps_every_key_and_the_bucket_order() {
        let mut map = JavaHashMap::new();
        for i in 0..100 {
            map.insert(format!("member-{i}"), i);
        }
        assert_eq!(map.len, 100);
        assert_eq!(map.buckets.len(), 256); // 100 > 96 = 128 * 0.75
        let mut seen: Vec<i32> = map.iter().map(|(_, v)| *v).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..100).collect::<Vec<_>>());
        // Iteration is by bucket index.
        let indexes: Vec<usize> = map.keys().map(|k| map.index_of(spread(k.java_hash_code()))).collect();
        assert!(indexes.windows(2).all(|w| w[0] <= w[1]));
    }

    /// Iteration orders printed by a JVM (OpenJDK 17) for the same sequence of operations.
    #[test]
    fn iteration_matches_a_jvm_after_resizes_and_removals() {
        let mut map = JavaHashMap::new();
        for i in 0..100 {
            map.insert(format!("member-{i}"), i);
        }
        for i in (0..100).step_by(3) {
            map.remove(&format!("member-{i}"));
        }
        let order: Vec<i32> = map.iter().map(|(_, v)| *v).collect();
        let jvm = [
            79, 77, 76, 74, 73, 71, 70, 68, 67, 65, 64, 62, 61, 59, 58, 56, 55, 53, 52, 50, 49, 47, 46, 44, 43, 41, 40,
            38, 5, 37, 35, 4, 34, 32, 7, 31, 8, 29, 28, 26, 25, 23, 22, 20, 19, 17, 16, 14, 13, 11, 10, 98, 97, 95, 94,
            92, 91, 89, 88, 86, 85, 83, 82, 1, 80, 2,
        ];
        assert_eq!(order, jvm);

        let mut set = JavaHashSet::new();
        let topic_of = |p: i32| if p % 2 == 0 { "orders" } else { "payments" };
        for p in 0..30 {
            set.insert(TopicPartition::new(topic_of(p), p));
        }
        for p in (0..30).step_by(4) {
            set.remove(&TopicPartition::new(topic_of(p), p));
        }
        let order: Vec<String> = set.iter().map(|tp| tp.to_string()).collect();
        let jvm = "orders-10,orders-14,orders-18,orders-22,payments-19,payments-21,orders-26,payments-15,payments-17,\
                   payments-27,payments-29,payments-23,payments-25,payments-3,payments-5,payments-1,payments-11,\
                   payments-13,payments-7,payments-9,orders-2,orders-6";
        assert_eq!(order.join(","), jvm);
        assert_eq!(set.first().map(|tp| tp.to_string()).as_deref(), Some("orders-10"));
    }
}
