//! Turning the batches of one fetched partition into the records `poll` may return
//! (`CompletedFetch.nextFetchedRecord` in Kafka's consumer).
//!
//! - Control batches (transaction markers) are never returned, but the position moves past them.
//! - With `isolation.level = read_committed` the broker returns only what lies below the last
//!   stable offset, together with the aborted transactions in that range (producer id, first
//!   offset). A transactional batch of such a producer, from that first offset up to the
//!   producer's ABORT marker, is skipped (KIP-98).

use crate::protocol::log::batch::{ControlType, RecordBatch};
use crate::protocol::message::IsolationLevel;
use crate::protocol::types::*;
use std::collections::BTreeSet;

/// The records to hand out from `position` on, each with its batch's leader epoch (what KIP-320
/// validates a position by), and the offset the next fetch starts from.
pub fn fetched_records(
    batches: &[RecordBatch],
    aborted_transactions: &[(ProducerId, Offset)],
    isolation_level: IsolationLevel,
    position: Offset,
) -> (Vec<(Offset, ValueId, LeaderEpoch)>, Offset) {
    let mut pending_aborts: Vec<(Offset, ProducerId)> = aborted_transactions.iter().map(|(p, o)| (*o, *p)).collect();
    pending_aborts.sort();
    let mut pending_aborts = pending_aborts.into_iter().peekable();
    let mut aborted_producers: BTreeSet<ProducerId> = BTreeSet::new();
    let mut records = Vec::new();
    let mut next_fetch_offset = position;
    for batch in batches {
        if batch.next_offset() <= position {
            continue;
        }
        next_fetch_offset = next_fetch_offset.max(batch.next_offset());
        if isolation_level == IsolationLevel::ReadCommitted && batch.has_producer_id() {
            while let Some((_, producer_id)) = pending_aborts.next_if(|(first, _)| *first <= batch.last_offset()) {
                aborted_producers.insert(producer_id);
            }
            if batch.control == Some(ControlType::Abort) {
                aborted_producers.remove(&batch.producer_id);
            }
            if batch.is_transactional && aborted_producers.contains(&batch.producer_id) {
                continue;
            }
        }
        if batch.control.is_some() {
            continue;
        }
        let epoch = batch.partition_leader_epoch;
        records.extend(batch.offsets_and_records().filter(|(o, _)| *o >= position).map(|(o, r)| (o, r.value, epoch)));
    }
    (records, next_fetch_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(
        producer_id: ProducerId,
        base_offset: Offset,
        values: &[u64],
        control: Option<ControlType>,
    ) -> RecordBatch {
        let mut b = match control {
            Some(c) => RecordBatch::control_marker(c, producer_id, 0, 0),
            None => RecordBatch::data(
                values.iter().map(|s| Record::data(None, ValueId { producer: 0, sequence: *s }, 1, 0)).collect(),
            ),
        };
        b.producer_id = producer_id;
        b.is_transactional = true;
        b.base_offset = base_offset;
        b
    }

    #[test]
    fn read_committed_skips_aborted_records_and_markers() {
        let batches = vec![
            batch(7, 0, &[1, 2], None),
            batch(8, 2, &[3], None),
            batch(7, 3, &[], Some(ControlType::Abort)),
            batch(8, 4, &[], Some(ControlType::Commit)),
            batch(7, 5, &[4], None),
        ];
        let (records, next) = fetched_records(&batches, &[(7, 0)], IsolationLevel::ReadCommitted, 0);
        let values: Vec<u64> = records.iter().map(|(_, v, _)| v.sequence).collect();
        assert_eq!(values, vec![3, 4], "the abort ends at its marker: 7's next transaction is kept");
        assert_eq!(next, 6);
        let (records, _) = fetched_records(&batches, &[(7, 0)], IsolationLevel::ReadUncommitted, 0);
        assert_eq!(records.len(), 4, "read_uncommitted returns aborted records too");
    }

    #[test]
    fn a_fetch_of_only_markers_still_moves_the_position() {
        let batches = vec![batch(7, 10, &[], Some(ControlType::Commit))];
        assert_eq!(fetched_records(&batches, &[], IsolationLevel::ReadCommitted, 10), (vec![], 11));
    }
}
