//! Maps keyed by offsets and by value ids, for the indexes the checkers build over a history.
//!
//! A run's offsets count up from 0 in each partition, and each producer's value sequence numbers
//! count up from 0: both are dense, so a `Vec` indexed by them holds an index of a long run in a
//! fraction of the memory and time of a `BTreeMap` (no node per entry, no search per lookup; the
//! checks spent most of their time in B-tree searches, inserts and drops). A hand-written or
//! damaged history may still hold a negative offset or one far beyond the rest: such keys go to a
//! `BTreeMap` beside the vector, so the maps behave exactly like a `BTreeMap` for any key.

use crate::protocol::types::{Offset, TopicName, TopicPartition, ValueId};
use std::collections::BTreeMap;

/// A key that can index a vector: offsets and sequence numbers.
pub trait DenseKey: Copy + Ord {
    /// The vector index of this key, None when it cannot be one (a negative offset).
    fn index(self) -> Option<usize>;
    fn from_index(index: usize) -> Self;
}

impl DenseKey for i64 {
    fn index(self) -> Option<usize> {
        usize::try_from(self).ok()
    }
    fn from_index(index: usize) -> Self {
        index as i64
    }
}

impl DenseKey for u64 {
    fn index(self) -> Option<usize> {
        usize::try_from(self).ok()
    }
    fn from_index(index: usize) -> Self {
        index as u64
    }
}

/// How far past its end the vector grows to take a new key; a key further out is stored sparse
/// (the vector grows at least geometrically, so a dense run of keys costs amortised O(1) each).
const GROWTH_SLACK: usize = 4096;

/// An ordered map from `K` to `T`. Invariant: a key whose index is below `dense.len()` lives in
/// `dense`, every other key in `sparse`; so iterating the sparse keys below the vector, then the
/// vector, then the sparse keys above it visits the keys in order.
#[derive(Clone, Debug)]
pub struct DenseMap<K: DenseKey, T> {
    dense: Vec<Option<T>>,
    sparse: BTreeMap<K, T>,
    /// No dense entry below this index is occupied (what a log start cut off stays cleared).
    dense_from: usize,
}

impl<K: DenseKey, T> Default for DenseMap<K, T> {
    fn default() -> Self {
        DenseMap { dense: Vec::new(), sparse: BTreeMap::new(), dense_from: 0 }
    }
}

impl<K: DenseKey, T> DenseMap<K, T> {
    pub fn get(&self, key: K) -> Option<&T> {
        match key.index() {
            Some(i) if i < self.dense.len() => self.dense[i].as_ref(),
            _ => self.sparse.get(&key),
        }
    }

    /// The vector slot for `key`, growing the vector to reach it when the key is near enough.
    fn slot(&mut self, key: K) -> Option<&mut Option<T>> {
        let i = key.index()?;
        let len = self.dense.len();
        if i == len && self.sparse.is_empty() {
            // The common case: the next offset of a log, the next sequence number of a producer.
            self.dense.push(None);
        } else if i >= len {
            if i >= len.saturating_mul(2).saturating_add(GROWTH_SLACK) {
                return None;
            }
            self.dense.resize_with(i + 1, || None);
            // Keys that were sparse because they were far out are now within the vector.
            if !self.sparse.is_empty() {
                let moved: Vec<K> = self.sparse.range(K::from_index(len)..=key).map(|(k, _)| *k).collect();
                for k in moved {
                    let value = self.sparse.remove(&k);
                    self.dense[k.index().expect("indexable")] = value;
                }
            }
        }
        self.dense_from = self.dense_from.min(i);
        Some(&mut self.dense[i])
    }

    /// Inserts, returning the value the key held before.
    pub fn insert(&mut self, key: K, value: T) -> Option<T> {
        match self.slot(key) {
            Some(slot) => slot.replace(value),
            None => self.sparse.insert(key, value),
        }
    }

    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> T) -> &mut T {
        // (Two steps: the sparse map is reached only when the slot is not.)
        if self.slot(key).is_some() {
            let i = key.index().expect("a slot has an index");
            return self.dense[i].get_or_insert_with(make);
        }
        self.sparse.entry(key).or_insert_with(make)
    }

    /// Removes every key at or above `key` (a log truncated to `key`).
    pub fn remove_from(&mut self, key: K) {
        self.sparse.split_off(&key);
        if let Some(i) = key.index() {
            self.dense.truncate(i);
        } else {
            self.dense.clear();
        }
        self.dense_from = self.dense_from.min(self.dense.len());
    }

    /// Removes every key below `key` (a log whose start moved up to `key`).
    pub fn remove_below(&mut self, key: K) {
        self.sparse = self.sparse.split_off(&key);
        let end = key.index().map_or(0, |i| i.min(self.dense.len()));
        if end > self.dense_from {
            self.dense[self.dense_from..end].iter_mut().for_each(|slot| *slot = None);
            self.dense_from = end;
        }
    }

    /// The entries with `low <= key < high`, in key order (none when `high <= low`).
    pub fn range(&self, low: K, high: K) -> impl Iterator<Item = (K, &T)> + '_ {
        let high = high.max(low);
        let (zero, end) = (K::from_index(0), K::from_index(self.dense.len()));
        let below = self.sparse.range(low.min(zero)..high.min(zero)).map(|(k, v)| (*k, v));
        let from = low.max(zero).index().map_or(usize::MAX, |i| i.max(self.dense_from));
        let to = high.max(zero).index().map_or(usize::MAX, |i| i.min(self.dense.len()));
        let dense = self.dense.get(from..to.max(from)).unwrap_or(&[]);
        let dense = dense.iter().enumerate().filter_map(move |(i, v)| v.as_ref().map(|v| (K::from_index(from + i), v)));
        let above = self.sparse.range(low.max(end)..high.max(end)).map(|(k, v)| (*k, v));
        below.chain(dense).chain(above)
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &T)> + '_ {
        let zero = K::from_index(0);
        let end = K::from_index(self.dense.len());
        let below = self.sparse.range(..zero).map(|(k, v)| (*k, v));
        let from = self.dense_from.min(self.dense.len());
        let dense = self.dense[from..]
            .iter()
            .enumerate()
            .filter_map(move |(i, v)| v.as_ref().map(|v| (K::from_index(from + i), v)));
        let above = self.sparse.range(end..).map(|(k, v)| (*k, v));
        below.chain(dense).chain(above)
    }
}

/// An ordered map keyed by `ValueId`: per producer (a handful), a `DenseMap` by sequence number.
#[derive(Clone, Debug)]
pub struct ValueMap<T> {
    producers: BTreeMap<u32, DenseMap<u64, T>>,
}

impl<T> Default for ValueMap<T> {
    fn default() -> Self {
        ValueMap { producers: BTreeMap::new() }
    }
}

impl<T> ValueMap<T> {
    pub fn get(&self, value: &ValueId) -> Option<&T> {
        self.producers.get(&value.producer)?.get(value.sequence)
    }

    pub fn get_or_insert_with(&mut self, value: ValueId, make: impl FnOnce() -> T) -> &mut T {
        self.producers.entry(value.producer).or_default().get_or_insert_with(value.sequence, make)
    }

    /// Every entry, in `ValueId` order.
    pub fn iter(&self) -> impl Iterator<Item = (ValueId, &T)> + '_ {
        self.producers.iter().flat_map(|(producer, by_sequence)| {
            by_sequence.iter().map(move |(sequence, item)| (ValueId { producer: *producer, sequence }, item))
        })
    }
}

/// A map keyed by offsets.
pub type OffsetMap<T> = DenseMap<Offset, T>;

/// Dense ids 0, 1, 2, ... for partitions, in order of first sight, so that per-partition state
/// can sit in a vector. A B-tree keyed by partition compares topic names at every level of every
/// lookup; here a lookup compares the topic with each known topic (a handful; by pointer first,
/// as most events share their topic's name), then indexes by partition number.
#[derive(Clone, Debug, Default)]
pub struct PartitionIds {
    topics: Vec<(TopicName, DenseMap<i64, u32>)>,
    count: u32,
}

impl PartitionIds {
    /// The id of `tp`, and whether it was seen for the first time.
    pub fn id(&mut self, tp: &TopicPartition) -> (u32, bool) {
        let position =
            match self.topics.iter().position(|(t, _)| std::sync::Arc::ptr_eq(t, &tp.topic) || *t == tp.topic) {
                Some(position) => position,
                None => {
                    self.topics.push((tp.topic.clone(), DenseMap::default()));
                    self.topics.len() - 1
                }
            };
        let ids = &mut self.topics[position].1;
        let partition = i64::from(tp.partition);
        if let Some(id) = ids.get(partition) {
            return (*id, false);
        }
        let id = self.count;
        ids.insert(partition, id);
        self.count += 1;
        (id, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same operations on a `DenseMap` and a `BTreeMap` must leave the same entries.
    fn same(dense: &OffsetMap<u32>, reference: &BTreeMap<i64, u32>) {
        let got: Vec<(i64, u32)> = dense.iter().map(|(k, v)| (k, *v)).collect();
        let want: Vec<(i64, u32)> = reference.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(got, want);
        for (low, high) in [(-5, 3), (0, 10), (2, 7), (5000, 20000), (-1, i64::MAX), (i64::MIN, 0), (7, 2)] {
            let got: Vec<(i64, u32)> = dense.range(low, high).map(|(k, v)| (k, *v)).collect();
            let want: Vec<(i64, u32)> =
                if low < high { reference.range(low..high).map(|(k, v)| (*k, *v)).collect() } else { Vec::new() };
            assert_eq!(got, want, "range {low}..{high}");
        }
        for key in [-3, 0, 1, 4, 9, 100, 9000, 1 << 40] {
            assert_eq!(dense.get(key), reference.get(&key));
        }
    }

    #[test]
    fn behaves_like_a_btree_map_for_dense_sparse_and_negative_keys() {
        let mut dense = OffsetMap::default();
        let mut reference = BTreeMap::new();
        let step = |key: i64, value: u32, dense: &mut OffsetMap<u32>, reference: &mut BTreeMap<i64, u32>| {
            assert_eq!(dense.insert(key, value), reference.insert(key, value));
        };
        for (i, key) in [0, 1, 2, 5, -3, 1 << 40, 9000, 3, 2, 20000, 100].into_iter().enumerate() {
            step(key, i as u32, &mut dense, &mut reference);
            same(&dense, &reference);
        }
        // Growing the vector past a key that was stored sparse moves it into the vector.
        for key in 4000..9100 {
            step(key, 7, &mut dense, &mut reference);
        }
        same(&dense, &reference);
        dense.remove_from(4500);
        reference.split_off(&4500);
        same(&dense, &reference);
        dense.remove_below(2);
        reference = reference.split_off(&2);
        same(&dense, &reference);
        step(1, 11, &mut dense, &mut reference);
        same(&dense, &reference);
        *dense.get_or_insert_with(-7, || 3) += 1;
        *reference.entry(-7).or_insert(3) += 1;
        same(&dense, &reference);
    }

    #[test]
    fn value_maps_iterate_in_value_order() {
        let mut map = ValueMap::default();
        for (producer, sequence) in [(1, 5), (0, 2), (u32::MAX, 0), (1, 1 << 50), (0, 0)] {
            *map.get_or_insert_with(ValueId { producer, sequence }, || 0) = sequence;
        }
        let keys: Vec<(u32, u64)> = map.iter().map(|(v, _)| (v.producer, v.sequence)).collect();
        assert_eq!(keys, vec![(0, 0), (0, 2), (1, 5), (1, 1 << 50), (u32::MAX, 0)]);
        assert_eq!(map.get(&ValueId { producer: 1, sequence: 1 << 50 }), Some(&(1 << 50)));
        assert_eq!(map.get(&ValueId { producer: 1, sequence: 4 }), None);
    }
}
