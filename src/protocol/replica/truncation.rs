//! Where a follower truncates when it starts following a new leader, in the three protocols
//! the simulator can run (`replication.truncation`).
//!
//! - `leader-epoch` (Kafka today, KIP-101 + KIP-279): the follower asks the leader for the end
//!   offset of its latest epoch. The leader answers with the largest epoch it has that is not
//!   above the requested one, and that epoch's end offset. If the follower also has that epoch,
//!   it truncates to the smaller of the two end offsets and is done; if not, it truncates to the
//!   end of its own largest epoch below the leader's answer and asks again
//!   (`AbstractFetcherThread.getOffsetTruncationState`).
//! - `leader-epoch-kip101` (Kafka 0.11): the leader answers with an offset only, and the follower
//!   truncates to it — which is wrong when the leader never saw the follower's epoch (zoo #4).
//! - `high-watermark` (before Kafka 0.11): the follower truncates to its own high watermark,
//!   which may be behind the data it acknowledged as part of the ISR (zoo #2, #3).

use crate::protocol::log::epoch_cache::{UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET};
use crate::protocol::log::PartitionLog;
use crate::protocol::types::*;

/// The follower's next step after an OffsetsForLeaderEpoch answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TruncationDecision {
    pub truncate_to: Offset,
    /// False when the follower must ask again with its (new) latest epoch.
    pub completed: bool,
}

/// KIP-279 truncation from the leader's answer `(leader_epoch, leader_end_offset)`.
pub fn truncation_after_epoch_answer(
    log: &PartitionLog,
    leader_epoch: LeaderEpoch,
    leader_end_offset: Offset,
) -> TruncationDecision {
    let replica_end_offset = log.log_end_offset();
    if leader_end_offset == UNDEFINED_EPOCH_OFFSET {
        // The leader knows no epoch at or below ours: fall back to the high watermark.
        return TruncationDecision { truncate_to: log.high_watermark(), completed: true };
    }
    if leader_epoch == UNDEFINED_EPOCH {
        return TruncationDecision { truncate_to: leader_end_offset.min(replica_end_offset), completed: true };
    }
    let (follower_epoch, follower_end_offset) = log.epoch_cache().end_offset_for(leader_epoch, replica_end_offset);
    if follower_end_offset == UNDEFINED_EPOCH_OFFSET {
        return TruncationDecision { truncate_to: leader_end_offset.min(replica_end_offset), completed: true };
    }
    if follower_epoch != leader_epoch {
        // We do not have the leader's epoch: cut back to the end of our largest epoch below it,
        // then ask about that one.
        TruncationDecision { truncate_to: follower_end_offset.min(replica_end_offset), completed: false }
    } else {
        TruncationDecision {
            truncate_to: leader_end_offset.min(follower_end_offset).min(replica_end_offset),
            completed: true,
        }
    }
}

/// KIP-101 as first shipped: truncate to the leader's offset, or to the high watermark when
/// the leader has no answer.
pub fn truncation_after_kip101_answer(log: &PartitionLog, leader_end_offset: Offset) -> TruncationDecision {
    let truncate_to = if leader_end_offset == UNDEFINED_EPOCH_OFFSET {
        log.high_watermark()
    } else {
        leader_end_offset.min(log.log_end_offset())
    };
    TruncationDecision { truncate_to, completed: true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::log::RecordBatch;

    fn log_with(epochs: &[(LeaderEpoch, u64)]) -> PartitionLog {
        let mut log = PartitionLog::new();
        let mut sequence = 0;
        for &(epoch, n) in epochs {
            let records = (0..n)
                .map(|_| {
                    sequence += 1;
                    Record::data(None, ValueId { producer: 0, sequence }, 1, 0)
                })
                .collect();
            log.append_as_leader(RecordBatch::data(records), epoch);
        }
        log
    }

    #[test]
    fn same_epoch_truncates_to_the_smaller_end() {
        // Follower: epoch 1 holds offsets 0..3. Leader says epoch 1 ends at 2.
        let log = log_with(&[(1, 3)]);
        assert_eq!(truncation_after_epoch_answer(&log, 1, 2), TruncationDecision { truncate_to: 2, completed: true });
    }

    #[test]
    fn kip279_fast_failover_needs_a_second_round() {
        // Zoo #4: follower B wrote m3 in epoch 2 at offset 1 (after m1 at 0 in epoch 1).
        // Leader A has epochs 1 (from 0) and 3 (from 2) and never saw epoch 2; asked about
        // epoch 2, KIP-279 answers (1, 2): epoch 1 ends at 2 on A. B's epoch 1 ends at 1.
        let b = log_with(&[(1, 1), (2, 1)]);
        let first = truncation_after_epoch_answer(&b, 1, 2);
        assert_eq!(first, TruncationDecision { truncate_to: 1, completed: true });
        // The original KIP-101 answer to "epoch 2?" was A's log end offset (2), and B kept m3.
        assert_eq!(truncation_after_kip101_answer(&b, 2).truncate_to, 2);
    }

    #[test]
    fn follower_without_the_leaders_epoch_truncates_and_asks_again() {
        // Follower has epochs 1 (0..2) and 3 (2..4); leader answers epoch 2 ends at 5.
        let log = log_with(&[(1, 2), (3, 2)]);
        assert_eq!(truncation_after_epoch_answer(&log, 2, 5), TruncationDecision { truncate_to: 2, completed: false });
    }

    #[test]
    fn undefined_answer_falls_back_to_the_high_watermark() {
        let mut log = log_with(&[(1, 4)]);
        log.set_high_watermark(3);
        assert_eq!(truncation_after_epoch_answer(&log, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET).truncate_to, 3);
        assert_eq!(truncation_after_kip101_answer(&log, UNDEFINED_EPOCH_OFFSET).truncate_to, 3);
    }
}
