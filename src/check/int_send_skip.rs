//! `int-send-skip` (Jepsen's Kafka workload): within one transaction, a producer's sends to one
//! partition landed at offsets with another writer's record between them. Kafka allows it (a
//! transaction is atomic, not isolated: other producers append to the same partition meanwhile),
//! so Jepsen allows it by default and a scenario lists it only to show it.
//!
//! Only committed transactions are judged, and only gaps where the history shows whose record
//! sits in between (transaction markers occupy offsets too, and are not another writer's).

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use super::transactions::Transactions;
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub fn int_send_skip(history: &crate::history::History, txns: &Transactions, obs: &Observations) -> CheckOutcome {
    if txns.is_empty() {
        return CheckOutcome::not_applicable("int-send-skip", "no transactions in this history");
    }
    let mut findings = Vec::new();
    for (t, txn) in txns.txns.iter().enumerate().filter(|(_, t)| t.committed) {
        let mut by_partition: BTreeMap<&TopicPartition, Vec<(Offset, ValueId)>> = BTreeMap::new();
        for value in &txn.values {
            let Some((tp, ..)) = obs.invoked.get(value) else { continue };
            let Some(offset) = obs.acked.get(value).and_then(|a| a.offset) else { continue };
            by_partition.entry(tp).or_default().push((offset, *value));
        }
        for (tp, mut sends) in by_partition {
            sends.sort();
            let Some(part) = obs.partition(tp) else { continue };
            for pair in sends.windows(2) {
                let ((o1, v1), (o2, v2)) = (pair[0], pair[1]);
                let between: Vec<(Offset, ValueId)> = part
                    .by_offset
                    .range(o1 + 1..o2)
                    .flat_map(|(o, vs)| vs.iter().map(move |v| (*o, *v)))
                    .filter(|(_, v)| v.producer != v1.producer)
                    .collect();
                let Some((o, other)) = between.first() else { continue };
                findings.push(
                    Finding::new(format!(
                        "{} sent {v1} and then {v2} to {tp} in one transaction, but they landed at offsets {o1} and {o2} with {other} from {} at offset {o} between them",
                        txn.describe(t),
                        history.producer_name(*other)
                    ))
                    .at(txn.end_ms)
                    .partition(tp)
                    .offsets([o1, *o, o2])
                    .values([v1, *other, v2]),
                );
            }
        }
    }
    CheckOutcome::new("int-send-skip", findings)
}
