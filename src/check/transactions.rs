//! The transactions of a history, as the transactional checkers (`G0`, `G1a`, `G1c`,
//! `int-send-skip`) see them: each with its producer, outcome and the values it wrote, and for
//! committed ones, the offsets those values landed at.
//!
//! A transaction is known from its end: `TxnCommitted` or `TxnAborted` list every value sent in
//! it. One that never ended (its producer crashed, the run stopped) has an unknown outcome and
//! is left out. A poll made by a transactional producer's own node between its `TxnBegin` and
//! the transaction's end is a read of that transaction (a consume-transform-produce loop, as in
//! Jepsen's Kafka workload): a producer with `read_topics` polls inside its transactions.

use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// A value a transaction read: where, and which.
pub type Read = (TopicPartition, Offset, ValueId);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Txn {
    pub node: NodeId,
    pub transactional_id: String,
    pub producer_id: ProducerId,
    pub producer_epoch: ProducerEpoch,
    pub begin_ms: SimTime,
    pub end_ms: SimTime,
    pub committed: bool,
    pub reason: String,
    pub values: Vec<ValueId>,
    /// Values this transaction read (polls by its node while it was open).
    pub reads: Vec<Read>,
}

impl Txn {
    /// "T3 (tx-1, producer 5000001 epoch 0, committed at t=1200 ms)".
    pub fn describe(&self, index: usize) -> String {
        format!(
            "T{index} ({}, producer id {} epoch {}, {} at t={} ms)",
            self.transactional_id,
            self.producer_id,
            self.producer_epoch,
            if self.committed { "committed" } else { "aborted" },
            self.end_ms
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Transactions {
    pub txns: Vec<Txn>,
    /// Which transaction wrote each value.
    pub writer: BTreeMap<ValueId, usize>,
    /// Values sent by transactional producers in transactions that did not commit (aborted, or
    /// with an unknown outcome): they are not acknowledged writes.
    pub uncommitted_values: BTreeSet<ValueId>,
}

impl Transactions {
    pub fn from_history(history: &History) -> Transactions {
        let mut result = Transactions::default();
        // Per node: when its open transaction began, and what it read so far.
        let mut open: BTreeMap<NodeId, (SimTime, Vec<Read>)> = BTreeMap::new();
        let mut transactional_nodes: BTreeSet<NodeId> = BTreeSet::new();
        for entry in &history.entries {
            match &entry.event {
                Event::TxnBegin { .. } => {
                    transactional_nodes.insert(entry.node);
                    open.insert(entry.node, (entry.time_ms, Vec::new()));
                }
                Event::Polled { partitions, .. } => {
                    if let Some((_, reads)) = open.get_mut(&entry.node) {
                        for p in partitions {
                            reads.extend(p.records.iter().map(|(o, v)| (p.tp.clone(), *o, *v)));
                        }
                    }
                }
                Event::TxnCommitted { transactional_id, producer_id, producer_epoch, values, .. }
                | Event::TxnAborted { transactional_id, producer_id, producer_epoch, values, .. } => {
                    let committed = matches!(entry.event, Event::TxnCommitted { .. });
                    let reason = match &entry.event {
                        Event::TxnAborted { reason, .. } => reason.clone(),
                        _ => "commit".to_string(),
                    };
                    let (begin_ms, reads) = open.remove(&entry.node).unwrap_or((entry.time_ms, Vec::new()));
                    let index = result.txns.len();
                    for value in values {
                        result.writer.insert(*value, index);
                    }
                    result.txns.push(Txn {
                        node: entry.node,
                        transactional_id: transactional_id.clone(),
                        producer_id: *producer_id,
                        producer_epoch: *producer_epoch,
                        begin_ms,
                        end_ms: entry.time_ms,
                        committed,
                        reason,
                        values: values.clone(),
                        reads,
                    });
                }
                _ => {}
            }
        }
        // (Most histories have no transactional producer: then no second pass.)
        for entry in history.entries.iter().filter(|_| !transactional_nodes.is_empty()) {
            if let Event::SendInvoked { value, .. } = &entry.event {
                let committed = result.writer.get(value).is_some_and(|t| result.txns[*t].committed);
                if transactional_nodes.contains(&entry.node) && !committed {
                    result.uncommitted_values.insert(*value);
                }
            }
        }
        result
    }

    pub fn is_empty(&self) -> bool {
        self.txns.is_empty()
    }

    /// The committed transactions' values in each partition, in offset order, from the offsets
    /// acknowledged to the producer and read by consumers.
    pub fn committed_writes(
        &self,
        obs: &super::observations::Observations,
    ) -> BTreeMap<TopicPartition, Vec<(Offset, ValueId, usize)>> {
        let mut writes: BTreeMap<TopicPartition, Vec<(Offset, ValueId, usize)>> = BTreeMap::new();
        for part in obs.partitions() {
            for (offset, value) in part.values() {
                if let Some(&t) = self.writer.get(&value).filter(|t| self.txns[**t].committed) {
                    writes.entry(part.tp.clone()).or_default().push((offset, value, t));
                }
            }
        }
        writes
    }
}
