//! One consumer group as its coordinator holds it (`kafka.coordinator.group.GroupMetadata` and
//! `MemberMetadata`, the classic protocol): members, generation, state, committed offsets.
//!
//! States and their transitions, as in Kafka:
//! `Empty -> PreparingRebalance -> CompletingRebalance -> Stable -> PreparingRebalance ...`;
//! a join round that ends with no members goes back to `Empty`.

use crate::protocol::message::ConsumerSubscription;
use crate::protocol::types::*;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GroupState {
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
}

impl GroupState {
    /// Kafka's name, as `kafka-consumer-groups --describe --state` prints it.
    pub fn name(self) -> &'static str {
        match self {
            GroupState::Empty => "Empty",
            GroupState::PreparingRebalance => "PreparingRebalance",
            GroupState::CompletingRebalance => "CompletingRebalance",
            GroupState::Stable => "Stable",
        }
    }
}

/// Where to send a parked JoinGroup or SyncGroup answer.
pub type Reply = (NodeId, u64);

#[derive(Clone, Debug)]
pub struct MemberMetadata {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub client_id: String,
    /// The member's process, as the coordinator last heard from it.
    pub node: NodeId,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    /// Assignor names in the member's preference order, with its subscription.
    pub protocols: Vec<(String, ConsumerSubscription)>,
    pub assignment: Vec<TopicPartition>,
    pub awaiting_join: Option<Reply>,
    pub awaiting_sync: Option<Reply>,
    pub heartbeat_deadline_ms: SimTime,
}

impl MemberMetadata {
    pub fn subscription(&self) -> &ConsumerSubscription {
        &self.protocols.first().expect("a member has at least one protocol").1
    }

    pub fn supports(&self, protocol: &str) -> bool {
        self.protocols.iter().any(|(name, _)| name == protocol)
    }
}

#[derive(Clone, Debug)]
pub struct GroupMetadata {
    pub group_id: String,
    pub state: GroupState,
    pub generation_id: i32,
    pub protocol: Option<String>,
    pub leader: Option<String>,
    pub members: BTreeMap<String, MemberMetadata>,
    /// Member ids handed out with MEMBER_ID_REQUIRED, not yet joined (KIP-394), with expiry.
    pub pending_members: BTreeMap<String, SimTime>,
    pub offsets: BTreeMap<TopicPartition, Offset>,
    /// Bumped whenever a join round starts, so that stale join timers are ignored.
    pub rebalance_round: u64,
    /// When the current join round completes at the latest.
    pub join_deadline_ms: Option<SimTime>,
    /// The member ids in the order they first joined (the first is the preferred leader).
    pub join_order: Vec<String>,
}

impl GroupMetadata {
    pub fn new(group_id: &str) -> GroupMetadata {
        GroupMetadata {
            group_id: group_id.to_string(),
            state: GroupState::Empty,
            generation_id: 0,
            protocol: None,
            leader: None,
            members: BTreeMap::new(),
            pending_members: BTreeMap::new(),
            offsets: BTreeMap::new(),
            rebalance_round: 0,
            join_deadline_ms: None,
            join_order: Vec::new(),
        }
    }

    pub fn transition(&mut self, to: GroupState) {
        use GroupState::*;
        let allowed = match to {
            PreparingRebalance => matches!(self.state, Empty | CompletingRebalance | Stable),
            CompletingRebalance => self.state == PreparingRebalance,
            Stable => self.state == CompletingRebalance,
            Empty => matches!(self.state, PreparingRebalance | Empty),
        };
        assert!(allowed, "group {}: no transition from {:?} to {to:?}", self.group_id, self.state);
        self.state = to;
    }

    /// Every member has rejoined this round and nobody is still pending (`hasAllMembersJoined`).
    pub fn all_members_joined(&self) -> bool {
        self.members.values().all(|m| m.awaiting_join.is_some()) && self.pending_members.is_empty()
    }

    /// The largest rebalance timeout of the members: how long a join round may take.
    pub fn rebalance_timeout_ms(&self) -> u64 {
        self.members.values().map(|m| m.rebalance_timeout_ms).max().unwrap_or(0)
    }

    /// The first assignor, in the first member's preference order, that every member supports
    /// (Kafka lets every member vote; with identical configs this is the same choice).
    pub fn select_protocol(&self) -> Option<String> {
        let first = self.members.values().next()?;
        first
            .protocols
            .iter()
            .map(|(name, _)| name.clone())
            .find(|name| self.members.values().all(|m| m.supports(name)))
    }

    pub fn member_by_instance_id(&self, instance_id: &str) -> Option<&MemberMetadata> {
        self.members.values().find(|m| m.group_instance_id.as_deref() == Some(instance_id))
    }

    pub fn remove_member(&mut self, member_id: &str) -> Option<MemberMetadata> {
        self.join_order.retain(|m| m != member_id);
        let removed = self.members.remove(member_id);
        if self.leader.as_deref() == Some(member_id) {
            self.leader = self.join_order.first().cloned();
        }
        removed
    }

    /// Which partitions each member owns in the current generation.
    pub fn assignment(&self) -> Vec<crate::history::GroupMemberAssignment> {
        self.members
            .iter()
            .map(|(id, m)| crate::history::GroupMemberAssignment {
                member_id: id.clone(),
                client_id: m.client_id.clone(),
                node: m.node,
                partitions: m.assignment.clone(),
            })
            .collect()
    }

    pub fn assert_invariants(&self) {
        if let Some(leader) = &self.leader {
            assert!(self.members.contains_key(leader) || self.members.is_empty(), "leader {leader} must be a member");
        }
        // No check that each partition has one owner: like Kafka's, this coordinator forwards the
        // leader's assignment without validating it (`GroupCoordinator.handleSyncGroup`), so a
        // buggy assignor's overlap (the planted bug `assignor-overlaps`) reaches the members. The
        // consumer asserts it where it assigns (`consumer::assignment::assign`), unless the bug is
        // planted; the `group-exclusive-assignment` checker reads it from `GroupStable`.
    }
}
