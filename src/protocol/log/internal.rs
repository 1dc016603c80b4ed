//! Records of Kafka's internal topics, which the coordinators write to and reload from:
//! `__consumer_offsets` (`GroupMetadataManager`'s offset-commit and group-metadata records) and
//! `__transaction_state` (`TransactionLog`'s transaction metadata records).
//! Data records carry only a value id; these carry what the coordinator must recover after a
//! failover.

use crate::protocol::types::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRecord {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub client_id: String,
    /// The member's host (here: its process).
    pub node: NodeId,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    pub subscription: Vec<TopicName>,
    pub assignment: Vec<TopicPartition>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InternalRecord {
    /// A committed offset (`OffsetCommitKey` / `OffsetCommitValue`).
    OffsetCommit { group_id: String, tp: TopicPartition, offset: Offset },
    /// A group's state after a rebalance (`GroupMetadataKey` / `GroupMetadataValue`).
    GroupMetadata {
        group_id: String,
        generation_id: i32,
        protocol: Option<String>,
        leader: Option<String>,
        members: Vec<MemberRecord>,
    },
    /// A transactional id's state (`TransactionLogKey` / `TransactionLogValue`).
    TransactionLog(crate::protocol::txn::metadata::TransactionMetadata),
}

impl InternalRecord {
    /// The group a `__consumer_offsets` record belongs to.
    pub fn group_id(&self) -> Option<&str> {
        match self {
            InternalRecord::OffsetCommit { group_id, .. } | InternalRecord::GroupMetadata { group_id, .. } => {
                Some(group_id)
            }
            InternalRecord::TransactionLog(_) => None,
        }
    }
}
