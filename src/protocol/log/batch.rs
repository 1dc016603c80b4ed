//! A record batch (Kafka's v2 `RecordBatch`): the unit that is appended, replicated and fetched.
//!
//! Fields mirror `org.apache.kafka.common.record.DefaultRecordBatch`: base offset, partition
//! leader epoch (stamped by the leader at append), producer id/epoch and base sequence
//! (idempotence), the transactional flag and control batches (transaction markers).

use crate::protocol::types::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Kafka's fixed v2 batch header size (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`).
pub const RECORD_BATCH_OVERHEAD_BYTES: u32 = 61;

/// The marker a control batch carries (`ControlRecordType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ControlType {
    Commit,
    Abort,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordBatch {
    /// Assigned by the leader at append; meaningless (0) while the batch sits in a producer.
    pub base_offset: Offset,
    pub partition_leader_epoch: LeaderEpoch,
    pub producer_id: ProducerId,
    pub producer_epoch: ProducerEpoch,
    pub base_sequence: i32,
    pub is_transactional: bool,
    /// Some for a transaction marker; such a batch holds one control record and no values.
    pub control: Option<ControlType>,
    pub records: Arc<[Record]>,
    /// Bytes on the wire and on disk (after compression, when the producer compresses).
    pub size_bytes: u32,
    pub max_timestamp_ms: SimTime,
}

impl RecordBatch {
    /// A plain, non-idempotent data batch (offsets assigned later by the leader).
    pub fn data(records: Vec<Record>) -> RecordBatch {
        let size_bytes =
            RECORD_BATCH_OVERHEAD_BYTES + records.iter().map(Record::size_bytes).sum::<u32>();
        let max_timestamp_ms = records.iter().map(|r| r.timestamp_ms).max().unwrap_or(0);
        RecordBatch {
            base_offset: 0,
            partition_leader_epoch: -1,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: -1,
            base_sequence: NO_SEQUENCE,
            is_transactional: false,
            control: None,
            records: records.into(),
            size_bytes,
            max_timestamp_ms,
        }
    }

    /// A transaction marker (commit or abort) for one producer.
    pub fn control_marker(
        control: ControlType,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        timestamp_ms: SimTime,
    ) -> RecordBatch {
        RecordBatch {
            base_offset: 0,
            partition_leader_epoch: -1,
            producer_id,
            producer_epoch,
            base_sequence: NO_SEQUENCE,
            is_transactional: true,
            control: Some(control),
            records: Arc::from(Vec::new()),
            size_bytes: RECORD_BATCH_OVERHEAD_BYTES + 14,
            max_timestamp_ms: timestamp_ms,
        }
    }

    /// Offsets this batch occupies: a control batch holds one (control) record.
    pub fn record_count(&self) -> i64 {
        if self.control.is_some() {
            1
        } else {
            self.records.len() as i64
        }
    }

    pub fn last_offset(&self) -> Offset {
        self.base_offset + self.record_count() - 1
    }

    pub fn next_offset(&self) -> Offset {
        self.base_offset + self.record_count()
    }

    pub fn last_sequence(&self) -> i32 {
        if self.base_sequence == NO_SEQUENCE {
            NO_SEQUENCE
        } else {
            // Kafka's sequences wrap at Integer.MAX_VALUE (DefaultRecordBatch.incrementSequence).
            ((self.base_sequence as i64 + self.record_count() - 1) % (i32::MAX as i64 + 1)) as i32
        }
    }

    pub fn has_producer_id(&self) -> bool {
        self.producer_id != NO_PRODUCER_ID
    }

    /// Each record with the offset it occupies.
    pub fn offsets_and_records(&self) -> impl Iterator<Item = (Offset, &Record)> + '_ {
        self.records.iter().enumerate().map(move |(i, r)| (self.base_offset + i as i64, r))
    }

    /// The batch cut to the offsets before `end_offset` (used when a truncation point falls
    /// inside a batch, which Kafka's own truncation points never do but our checks must survive).
    pub fn truncated_before(&self, end_offset: Offset) -> RecordBatch {
        assert!(end_offset > self.base_offset && end_offset <= self.next_offset());
        let keep = (end_offset - self.base_offset) as usize;
        let records: Vec<Record> = self.records[..keep].to_vec();
        let mut batch = RecordBatch::data(records);
        batch.base_offset = self.base_offset;
        batch.partition_leader_epoch = self.partition_leader_epoch;
        batch.producer_id = self.producer_id;
        batch.producer_epoch = self.producer_epoch;
        batch.base_sequence = self.base_sequence;
        batch.is_transactional = self.is_transactional;
        batch
    }
}
