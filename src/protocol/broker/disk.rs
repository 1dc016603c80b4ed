//! What a broker keeps on disk: its partition logs (with their leader-epoch caches) and the
//! `replication-offset-checkpoint` file of high watermarks.
//!
//! Everything else a broker knows (roles, follower states, purgatories, metadata) lives in
//! memory and is gone after a crash. A plain crash keeps every appended byte (the OS page cache
//! survives a process death); a power loss keeps only what was fsynced.

use crate::protocol::log::{PartitionLog, RecordBatch};
use crate::protocol::types::*;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct BrokerDisk {
    pub logs: BTreeMap<TopicPartition, PartitionLog>,
    /// High watermarks as last checkpointed (`replica.high.watermark.checkpoint.interval.ms`).
    pub high_watermark_checkpoint: BTreeMap<TopicPartition, Offset>,
}

impl BrokerDisk {
    /// A power loss: every log loses its unflushed tail. Returns what each log lost.
    pub fn lose_unflushed(&mut self) -> Vec<(TopicPartition, Vec<RecordBatch>)> {
        let mut lost = Vec::new();
        for (tp, log) in self.logs.iter_mut() {
            let removed = log.lose_unflushed();
            if !removed.is_empty() {
                lost.push((tp.clone(), removed));
            }
        }
        lost
    }

    /// Restores in-memory state as a restarting broker does: the high watermark comes from the
    /// checkpoint file, not from whatever the log object held before the crash.
    pub fn recover(&mut self) {
        for (tp, log) in self.logs.iter_mut() {
            let checkpointed = self.high_watermark_checkpoint.get(tp).copied().unwrap_or(0);
            log.set_high_watermark(checkpointed);
        }
    }
}
