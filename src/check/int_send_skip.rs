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
            let Some(tp) = obs.sent_to(*value) else { continue };
            let Some(offset) = obs.ack(*value).and_then(|a| a.offset) else { continue };
            by_partition.entry(tp).or_default().push((offset, *value));
        }
        for (tp, mut sends) in by_partition {
            sends.sort();
            let Some(part) = obs.partition(tp) else { continue };
            for pair in sends.windows(2) {
                let ((o1, v1), (o2, v2)) = (pair[0], pair[1]);
                let between: Vec<(Offset, ValueId)> =
                    part.values_between(o1 + 1, o2).filter(|(_, v)| v.producer != v1.producer).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::txn_test_support::*;
    use crate::history::History;

    fn outcome(h: &History) -> CheckOutcome {
        let txns = Transactions::from_history(h);
        int_send_skip(h, &txns, &Observations::from_history_with(h, &txns))
    }

    #[test]
    fn another_writer_between_one_transactions_sends_is_a_skip() {
        let mut b = Builder::new(true);
        b.txn(P2, &[(tp(0), 1, v(1, 0))], true);
        b.txn(P1, &[(tp(0), 0, v(0, 0)), (tp(0), 2, v(0, 1))], true);
        let o = outcome(&b.history);
        assert_eq!(o.count, 1);
        assert!(o.findings[0].message.contains("with 1:0 from"), "{}", o.findings[0].message);
    }

    #[test]
    fn contiguous_sends_and_gaps_of_markers_are_fine() {
        let mut b = Builder::new(true);
        b.txn(P1, &[(tp(0), 0, v(0, 0)), (tp(0), 1, v(0, 1)), (tp(0), 3, v(0, 2))], true);
        assert_eq!(outcome(&b.history).count, 0, "offset 2 holds no known value: a marker");
    }
}
