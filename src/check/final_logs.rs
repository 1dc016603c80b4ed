//! The replicas' logs at the end of the run, indexed once by partition for the checkers that
//! compare against them (`converged`, `committed-data-loss`, `lost-write`): a search of the whole
//! final state per partition or per record costs partitions × replicas on a big cluster.

use crate::history::{History, ReplicaSnapshot};
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub struct FinalLogs<'h> {
    /// Each partition's leader at the end (the first snapshot of it, should there be two).
    leaders: BTreeMap<&'h TopicPartition, Option<BrokerId>>,
    /// Each partition's replicas, in the order the final state lists them.
    replicas: BTreeMap<&'h TopicPartition, Vec<&'h ReplicaSnapshot>>,
}

impl<'h> FinalLogs<'h> {
    pub fn from_history(history: &'h History) -> FinalLogs<'h> {
        let mut leaders = BTreeMap::new();
        for p in &history.final_state.partitions {
            leaders.entry(&p.tp).or_insert(p.leader);
        }
        let mut replicas: BTreeMap<&TopicPartition, Vec<&ReplicaSnapshot>> = BTreeMap::new();
        for r in &history.final_state.replicas {
            replicas.entry(&r.tp).or_default().push(r);
        }
        FinalLogs { leaders, replicas }
    }

    /// The replicas of `tp`, in the final state's order.
    pub fn replicas(&self, tp: &TopicPartition) -> &[&'h ReplicaSnapshot] {
        self.replicas.get(tp).map_or(&[], |r| r.as_slice())
    }

    /// `broker`'s log of `tp`.
    pub fn replica(&self, tp: &TopicPartition, broker: BrokerId) -> Option<&'h ReplicaSnapshot> {
        self.replicas(tp).iter().find(|r| r.broker == broker).copied()
    }

    /// The log of `tp`'s final leader.
    pub fn leader_log(&self, tp: &TopicPartition) -> Option<&'h ReplicaSnapshot> {
        let leader = (*self.leaders.get(tp)?)?;
        self.replica(tp, leader)
    }
}

/// A log's records looked up by offset. Logs list their records in offset order, so a binary
/// search finds one; a hand-written log that does not is indexed as a map instead (the last
/// record at an offset wins, as when collecting into a map).
pub struct RecordsByOffset<'a> {
    records: &'a [(Offset, ValueId)],
    unordered: Option<BTreeMap<Offset, ValueId>>,
}

impl<'a> RecordsByOffset<'a> {
    pub fn new(records: &'a [(Offset, ValueId)]) -> RecordsByOffset<'a> {
        let ordered = records.windows(2).all(|pair| pair[0].0 < pair[1].0);
        let unordered = (!ordered).then(|| records.iter().copied().collect());
        RecordsByOffset { records, unordered }
    }

    pub fn get(&self, offset: Offset) -> Option<ValueId> {
        match &self.unordered {
            Some(map) => map.get(&offset).copied(),
            None => self.records.binary_search_by_key(&offset, |(o, _)| *o).ok().map(|i| self.records[i].1),
        }
    }
}
