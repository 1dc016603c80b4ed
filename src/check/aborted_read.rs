//! `G1a`, aborted read (Adya; Jepsen's Kafka workload): a read_committed consumer polled a value
//! that an aborted transaction wrote. Kafka promises read_committed consumers never see those:
//! the broker stops them at the last stable offset and tells them which transactions aborted.
//!
//! A read_uncommitted consumer may see aborted records by definition; its reads are not
//! violations, but the outcome says how many there were, as the contrast the lesson needs.
//!
//! The classic way G1a happens in Kafka is zoo #8 (KIP-890): a produce of the aborted
//! transaction arrives at the partition after the ABORT marker, opens a "new" transaction with
//! the same producer id and epoch, and the producer's next COMMIT makes it visible. Each finding
//! says where the value was appended relative to its transaction's marker when the history
//! shows it.

use super::finding::{CheckOutcome, Finding};
use super::transactions::Transactions;
use crate::history::{Event, History};
use crate::protocol::log::batch::ControlType;
use crate::protocol::types::*;
use std::collections::BTreeSet;

/// When the leader appended `value` to `tp`, and whether an ABORT marker of the same producer
/// was already there then (the late produce of zoo #8).
/// (Markers in the history carry no producer id: the partition's last ABORT before the append
/// is reported, which in the zoo's scenarios is the transaction's own.)
fn late_append(history: &History, tp: &TopicPartition, value: ValueId) -> Option<String> {
    let mut abort_before: Option<(SimTime, Offset)> = None;
    for e in &history.entries {
        match &e.event {
            Event::Appended { tp: t, base_offset, control: Some(ControlType::Abort), as_leader: true, .. }
                if t == tp =>
            {
                abort_before = Some((e.time_ms, *base_offset));
            }
            Event::Appended { tp: t, base_offset, values, as_leader: true, .. }
                if t == tp && values.contains(&value) =>
            {
                return Some(match abort_before {
                    Some((t_abort, marker)) => format!(
                        "; the leader appended it at offset {base_offset} (t={} ms), after an ABORT marker at offset {marker} (t={t_abort} ms): a late produce that a later transaction of the same producer id and epoch committed",
                        e.time_ms
                    ),
                    None => format!("; the leader appended it at offset {base_offset} (t={} ms)", e.time_ms),
                });
            }
            _ => {}
        }
    }
    None
}

pub fn aborted_read(history: &History, txns: &Transactions) -> CheckOutcome {
    if txns.is_empty() {
        return CheckOutcome::not_applicable("G1a", "no transactions in this history");
    }
    let read_committed = history.read_committed_nodes();
    let mut findings = Vec::new();
    let mut uncommitted_reads = 0usize;
    let mut seen: BTreeSet<(NodeId, ValueId)> = BTreeSet::new();
    for entry in &history.entries {
        let Event::Polled { partitions, .. } = &entry.event else { continue };
        for p in partitions {
            for (offset, value) in &p.records {
                let Some(&t) = txns.writer.get(value) else { continue };
                let txn = &txns.txns[t];
                if txn.committed || !seen.insert((entry.node, *value)) {
                    continue;
                }
                if !read_committed.contains(&entry.node) {
                    uncommitted_reads += 1;
                    continue;
                }
                let mut message = format!(
                    "read_committed consumer {} polled {value} at offset {offset} of {} (t={} ms), written by {} ({})",
                    history.node_name(entry.node),
                    p.tp,
                    entry.time_ms,
                    txn.describe(t),
                    txn.reason
                );
                if let Some(late) = late_append(history, &p.tp, *value) {
                    message.push_str(&late);
                }
                findings.push(
                    Finding::new(message)
                        .at(entry.time_ms)
                        .partition(&p.tp)
                        .offsets([*offset])
                        .values([*value])
                        .nodes([history.node_name(entry.node), history.node_name(txn.node)]),
                );
            }
        }
    }
    let mut outcome = CheckOutcome::new("G1a", findings);
    if outcome.count == 0 && read_committed.is_empty() {
        outcome.not_applicable = Some(format!(
            "no read_committed consumer; read_uncommitted consumers read {uncommitted_reads} aborted value(s), as they may"
        ));
    }
    outcome
}

/// How many aborted values read_uncommitted consumers polled (allowed; the contrast to G1a).
pub fn uncommitted_reads_of_aborted(history: &History, txns: &Transactions) -> usize {
    let read_committed = history.read_committed_nodes();
    let mut seen = BTreeSet::new();
    for entry in &history.entries {
        let Event::Polled { partitions, .. } = &entry.event else { continue };
        if read_committed.contains(&entry.node) {
            continue;
        }
        for (_, value) in partitions.iter().flat_map(|p| p.records.iter()) {
            if txns.writer.get(value).is_some_and(|t| !txns.txns[*t].committed) {
                seen.insert(*value);
            }
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::txn_test_support::*;

    fn history(read_committed: bool) -> History {
        let mut b = Builder::new(read_committed);
        b.txn(P1, &[(tp(0), 0, v(0, 0)), (tp(0), 1, v(0, 1))], false);
        b.txn(P1, &[(tp(0), 3, v(0, 2))], true);
        b.poll(READER, tp(0), &[(1, v(0, 1)), (3, v(0, 2))]);
        b.history.clone()
    }

    #[test]
    fn a_read_committed_consumer_reading_an_aborted_value_is_g1a() {
        let h = history(true);
        let outcome = aborted_read(&h, &Transactions::from_history(&h));
        assert_eq!(outcome.count, 1);
        assert!(outcome.findings[0].message.contains("read_committed consumer reader-1 polled 0:1 at offset 1"));
    }

    #[test]
    fn read_uncommitted_may_read_aborted_values() {
        let h = history(false);
        let txns = Transactions::from_history(&h);
        assert_eq!(aborted_read(&h, &txns).count, 0);
        assert_eq!(uncommitted_reads_of_aborted(&h, &txns), 1);
    }

    #[test]
    fn committed_reads_are_fine() {
        let mut b = Builder::new(true);
        b.txn(P1, &[(tp(0), 0, v(0, 0))], true).poll(READER, tp(0), &[(0, v(0, 0))]);
        let h = b.history.clone();
        assert_eq!(aborted_read(&h, &Transactions::from_history(&h)).count, 0);
    }
}
