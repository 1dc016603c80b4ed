//! The group coordinator of one broker (`kafka.coordinator.group.GroupCoordinator` with
//! `GroupMetadataManager`, the classic rebalance protocol).
//!
//! - A group belongs to partition `abs(groupId.hashCode) % offsets.topic.num.partitions` of
//!   `__consumer_offsets`; the broker leading that partition coordinates the group, after loading
//!   the partition's log (committed offsets and the last group metadata). Losing the leadership
//!   unloads the groups: members get NOT_COORDINATOR and look for the new coordinator.
//! - JoinGroup: a new dynamic member first gets a member id with MEMBER_ID_REQUIRED (KIP-394). A
//!   join round (PreparingRebalance) ends when every member has rejoined, or after the largest
//!   rebalance timeout, dropping those who did not; the first round of an empty group waits
//!   `group.initial.rebalance.delay.ms`. Then the generation goes up, an assignor every member
//!   supports is chosen, and the leader receives every member's subscription.
//! - SyncGroup: followers wait for the leader's assignment, which is written to the log before
//!   anyone gets it (the group becomes Stable).
//! - A static member (`group.instance.id`, KIP-345) that rejoins while the group is Stable gets
//!   its old assignment back without a rebalance.
//! - Heartbeats keep a member's session (`session.timeout.ms`); a silent member is removed and the
//!   group rebalances. LeaveGroup does the same at once.
//! - OffsetCommit is accepted from a member of the current generation (Stable or
//!   PreparingRebalance), or from anyone while the group is Empty and the generation is -1
//!   (manual assignment); it is answered once replicated (acks=all on `__consumer_offsets`).

use super::group_metadata::*;
use crate::history::Event;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::internal::{InternalRecord, MemberRecord};
use crate::protocol::message::*;
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// The name of the internal topic holding offsets and group metadata.
pub const CONSUMER_OFFSETS_TOPIC: &str = "__consumer_offsets";

/// The protocol type of consumer groups.
pub const CONSUMER_PROTOCOL_TYPE: &str = "consumer";

/// Kafka's `Utils.abs(groupId.hashCode()) % groupMetadataTopicPartitionCount`.
pub fn partition_for_group(group_id: &str, partitions: i32) -> i32 {
    let hash = group_id.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32));
    let positive = if hash == i32::MIN { 0 } else { hash.abs() };
    positive % partitions
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupConfig {
    pub offsets_topic_num_partitions: i32,
    pub group_initial_rebalance_delay_ms: u64,
    pub group_min_session_timeout_ms: u64,
    pub group_max_session_timeout_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoordinatorTimer {
    /// Check whether this member's session expired.
    Session { group_id: String, member_id: String },
    /// The join round `round` of the group must complete now.
    JoinDeadline { group_id: String, round: u64 },
    /// A member id handed out with MEMBER_ID_REQUIRED that never joined expires.
    PendingMember { group_id: String, member_id: String },
}

/// Why the coordinator asked for an append to `__consumer_offsets`, so it can finish the job
/// when the append is replicated (or fails).
#[derive(Clone, Debug)]
pub enum AppendPurpose {
    StoreGroup { group_id: String, generation_id: i32, assignment: Vec<(String, Vec<TopicPartition>)> },
    CommitOffsets { group_id: String, reply: Reply, offsets: Vec<(TopicPartition, Offset)> },
}

/// What one step of the coordinator asks the broker to do.
#[derive(Debug, Default)]
pub struct CoordinatorOut {
    pub responses: Vec<(NodeId, u64, Response)>,
    /// Records to append to `__consumer_offsets-<partition>` as its leader, with acks=all.
    pub appends: Vec<(i32, Vec<InternalRecord>, AppendPurpose)>,
    pub timers: Vec<(SimTime, CoordinatorTimer)>,
    pub events: Vec<Event>,
}

impl CoordinatorOut {
    fn respond(&mut self, (to, correlation_id): Reply, response: Response) {
        self.responses.push((to, correlation_id, response));
    }
}

fn join_error(error: ErrorCode, member_id: &str) -> Response {
    Response::JoinGroup {
        error,
        generation_id: -1,
        protocol_name: None,
        leader: String::new(),
        member_id: member_id.to_string(),
        members: Vec::new(),
    }
}

fn sync_error(error: ErrorCode) -> Response {
    Response::SyncGroup { error, assignment: Vec::new() }
}

/// The error an offset commit or group store gets when its append failed (`GroupMetadataManager`).
fn store_error(append_error: ErrorCode) -> ErrorCode {
    match append_error {
        ErrorCode::NotEnoughReplicas
        | ErrorCode::NotEnoughReplicasAfterAppend
        | ErrorCode::RequestTimedOut
        | ErrorCode::UnknownTopicOrPartition => ErrorCode::CoordinatorNotAvailable,
        ErrorCode::NotLeaderOrFollower | ErrorCode::KafkaStorageError => ErrorCode::NotCoordinator,
        other => other,
    }
}

pub struct GroupCoordinator {
    broker: BrokerId,
    config: GroupConfig,
    groups: BTreeMap<String, GroupMetadata>,
    /// `__consumer_offsets` partitions this broker leads and has loaded.
    loaded: BTreeSet<i32>,
    next_member_number: u64,
}

impl GroupCoordinator {
    pub fn new(broker: BrokerId, config: GroupConfig) -> GroupCoordinator {
        GroupCoordinator { broker, config, groups: BTreeMap::new(), loaded: BTreeSet::new(), next_member_number: 0 }
    }

    pub fn config(&self) -> &GroupConfig {
        &self.config
    }

    pub fn partition_for(&self, group_id: &str) -> i32 {
        partition_for_group(group_id, self.config.offsets_topic_num_partitions)
    }

    pub fn is_coordinator_for(&self, group_id: &str) -> bool {
        self.loaded.contains(&self.partition_for(group_id))
    }

    pub fn group(&self, group_id: &str) -> Option<&GroupMetadata> {
        self.groups.get(group_id)
    }

    fn new_member_id(&mut self, client_id: &str, group_id: &str) -> String {
        self.next_member_number += 1;
        // Kafka appends a random UUID; a hash of where and when keeps runs reproducible.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in group_id.bytes().chain(self.broker.0.to_le_bytes()).chain(self.next_member_number.to_le_bytes()) {
            h = (h ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{client_id}-{:08x}-{:04x}", h >> 32, h & 0xffff)
    }

    // ---- loading ------------------------------------------------------------------------------

    /// This broker became leader of `__consumer_offsets-<partition>`: rebuild its groups from the
    /// log, oldest record first. Members of a loaded group get a fresh session.
    pub fn load<'a>(
        &mut self,
        now: SimTime,
        partition: i32,
        records: impl Iterator<Item = &'a InternalRecord>,
        out: &mut CoordinatorOut,
    ) {
        self.loaded.insert(partition);
        self.groups.retain(|id, _| partition_for_group(id, self.config.offsets_topic_num_partitions) != partition);
        for record in records {
            let Some(group_id) = record.group_id() else { continue };
            let group = self.groups.entry(group_id.to_string()).or_insert_with(|| GroupMetadata::new(group_id));
            match record {
                InternalRecord::OffsetCommit { tp, offset, .. } => {
                    group.offsets.insert(tp.clone(), *offset);
                }
                InternalRecord::GroupMetadata { generation_id, protocol, leader, members, .. } => {
                    group.generation_id = *generation_id;
                    group.protocol = protocol.clone();
                    group.leader = leader.clone();
                    group.members.clear();
                    group.join_order.clear();
                    for m in members {
                        group.join_order.push(m.member_id.clone());
                        group.members.insert(
                            m.member_id.clone(),
                            MemberMetadata {
                                member_id: m.member_id.clone(),
                                group_instance_id: m.group_instance_id.clone(),
                                client_id: m.client_id.clone(),
                                node: m.node,
                                session_timeout_ms: m.session_timeout_ms,
                                rebalance_timeout_ms: m.rebalance_timeout_ms,
                                protocols: vec![(
                                    protocol.clone().unwrap_or_default(),
                                    ConsumerSubscription {
                                        topics: m.subscription.clone(),
                                        owned_partitions: m.assignment.clone(),
                                        generation_id: *generation_id,
                                    },
                                )],
                                assignment: m.assignment.clone(),
                                awaiting_join: None,
                                awaiting_sync: None,
                                heartbeat_deadline_ms: now + m.session_timeout_ms,
                            },
                        );
                    }
                    group.state = if members.is_empty() { GroupState::Empty } else { GroupState::Stable };
                }
                InternalRecord::TransactionLog(_) => unreachable!("group_id() is None for transaction records"),
            }
        }
        for group in self.groups.values() {
            if self.partition_for(&group.group_id) != partition {
                continue;
            }
            for member in group.members.values() {
                out.timers.push((
                    member.heartbeat_deadline_ms,
                    CoordinatorTimer::Session { group_id: group.group_id.clone(), member_id: member.member_id.clone() },
                ));
            }
        }
    }

    /// This broker no longer leads `__consumer_offsets-<partition>`: drop its groups; whoever
    /// waits for an answer is told to find the new coordinator.
    pub fn unload(&mut self, partition: i32, out: &mut CoordinatorOut) {
        if !self.loaded.remove(&partition) {
            return;
        }
        let ids: Vec<String> = self.groups.keys().filter(|id| self.partition_for(id) == partition).cloned().collect();
        for id in ids {
            let group = self.groups.remove(&id).expect("listed");
            for member in group.members.values() {
                if let Some(reply) = member.awaiting_join {
                    out.respond(reply, join_error(ErrorCode::NotCoordinator, &member.member_id));
                }
                if let Some(reply) = member.awaiting_sync {
                    out.respond(reply, sync_error(ErrorCode::NotCoordinator));
                }
            }
        }
    }

    // ---- JoinGroup ---------------------------------------------------------------------------

    pub fn handle_join(&mut self, now: SimTime, reply: Reply, request: JoinGroupRequest, out: &mut CoordinatorOut) {
        let group_id = request.group_id.clone();
        if !self.is_coordinator_for(&group_id) {
            return out.respond(reply, join_error(ErrorCode::NotCoordinator, &request.member_id));
        }
        let timeout = request.session_timeout_ms;
        if timeout < self.config.group_min_session_timeout_ms || timeout > self.config.group_max_session_timeout_ms {
            return out.respond(reply, join_error(ErrorCode::InvalidSessionTimeout, &request.member_id));
        }
        let group = self.groups.entry(group_id.clone()).or_insert_with(|| GroupMetadata::new(&group_id));
        let supported = !request.protocols.is_empty()
            && (group.members.is_empty()
                || request.protocols.iter().any(|(p, _)| group.members.values().all(|m| m.supports(p))));
        if !supported {
            return out.respond(reply, join_error(ErrorCode::InconsistentGroupProtocol, &request.member_id));
        }
        if request.member_id.is_empty() {
            let member_id = self.new_member_id(&request.client_id, &group_id);
            if request.group_instance_id.is_some() {
                self.join_new_static_member(now, reply, request, member_id, out);
            } else {
                let group = self.groups.get_mut(&group_id).expect("created above");
                let expiry = now + timeout;
                group.pending_members.insert(member_id.clone(), expiry);
                out.timers.push((expiry, CoordinatorTimer::PendingMember { group_id, member_id: member_id.clone() }));
                out.respond(reply, join_error(ErrorCode::MemberIdRequired, &member_id));
            }
            return;
        }
        let group = self.groups.get_mut(&group_id).expect("created above");
        if group.pending_members.remove(&request.member_id).is_some() {
            self.add_member_and_rebalance(now, reply, request, out);
            return;
        }
        let Some(member) = group.members.get_mut(&request.member_id) else {
            return out.respond(reply, join_error(ErrorCode::UnknownMemberId, &request.member_id));
        };
        let unchanged = member.protocols == request.protocols;
        let is_leader = group.leader.as_deref() == Some(request.member_id.as_str());
        member.protocols = request.protocols.clone();
        member.session_timeout_ms = request.session_timeout_ms;
        member.rebalance_timeout_ms = request.rebalance_timeout_ms;
        match group.state {
            GroupState::PreparingRebalance => {
                member.awaiting_join = Some(reply);
                self.maybe_complete_join(now, &group_id, out);
            }
            GroupState::CompletingRebalance | GroupState::Stable
                if unchanged && !(group.state == GroupState::Stable && is_leader) =>
            {
                // The member missed our answer: repeat the current generation.
                let response = Self::join_response(group, &request.member_id);
                out.respond(reply, response);
            }
            GroupState::CompletingRebalance | GroupState::Stable => {
                member.awaiting_join = Some(reply);
                self.prepare_rebalance(
                    now,
                    &group_id,
                    format!("member {} rejoined with new metadata", request.member_id),
                    out,
                );
            }
            GroupState::Empty => out.respond(reply, join_error(ErrorCode::UnknownMemberId, &request.member_id)),
        }
    }

    /// KIP-345: a static member restarting replaces its old member id; in a Stable group with
    /// unchanged metadata it simply gets the current generation back, without a rebalance.
    fn join_new_static_member(
        &mut self,
        now: SimTime,
        reply: Reply,
        request: JoinGroupRequest,
        member_id: String,
        out: &mut CoordinatorOut,
    ) {
        let group_id = request.group_id.clone();
        let instance_id = request.group_instance_id.clone().expect("static member");
        let group = self.groups.get_mut(&group_id).expect("exists");
        let Some(old) = group.member_by_instance_id(&instance_id).cloned() else {
            let mut request = request;
            request.member_id = member_id;
            return self.add_member_and_rebalance(now, reply, request, out);
        };
        group.remove_member(&old.member_id);
        if let Some(old_reply) = old.awaiting_join {
            out.respond(old_reply, join_error(ErrorCode::FencedInstanceId, &old.member_id));
        }
        let mut replacement = old.clone();
        replacement.member_id = member_id.clone();
        replacement.awaiting_join = None;
        replacement.awaiting_sync = None;
        replacement.heartbeat_deadline_ms = now + request.session_timeout_ms;
        let unchanged = replacement.protocols == request.protocols;
        replacement.protocols = request.protocols.clone();
        let was_leader = group.leader.as_deref() == Some(old.member_id.as_str()) || group.leader.is_none();
        group.members.insert(member_id.clone(), replacement);
        group.join_order.push(member_id.clone());
        if was_leader {
            group.leader = Some(member_id.clone());
        }
        out.timers.push((
            now + request.session_timeout_ms,
            CoordinatorTimer::Session { group_id: group_id.clone(), member_id: member_id.clone() },
        ));
        if group.state == GroupState::Stable && unchanged {
            let response = Self::join_response(group, &member_id);
            out.respond(reply, response);
        } else {
            group.members.get_mut(&member_id).expect("inserted").awaiting_join = Some(reply);
            self.prepare_rebalance(now, &group_id, format!("static member {instance_id} rejoined"), out);
        }
    }

    fn add_member_and_rebalance(
        &mut self,
        now: SimTime,
        reply: Reply,
        request: JoinGroupRequest,
        out: &mut CoordinatorOut,
    ) {
        let group_id = request.group_id.clone();
        let group = self.groups.get_mut(&group_id).expect("exists");
        let member_id = request.member_id.clone();
        group.members.insert(
            member_id.clone(),
            MemberMetadata {
                member_id: member_id.clone(),
                group_instance_id: request.group_instance_id.clone(),
                client_id: request.client_id.clone(),
                node: reply.0,
                session_timeout_ms: request.session_timeout_ms,
                rebalance_timeout_ms: request.rebalance_timeout_ms,
                protocols: request.protocols,
                assignment: Vec::new(),
                awaiting_join: Some(reply),
                awaiting_sync: None,
                heartbeat_deadline_ms: now + request.session_timeout_ms,
            },
        );
        group.join_order.push(member_id.clone());
        if group.leader.is_none() {
            group.leader = Some(member_id.clone());
        }
        match group.state {
            GroupState::PreparingRebalance => self.maybe_complete_join(now, &group_id, out),
            _ => self.prepare_rebalance(now, &group_id, format!("member {member_id} joined"), out),
        }
    }

    fn join_response(group: &GroupMetadata, member_id: &str) -> Response {
        let is_leader = group.leader.as_deref() == Some(member_id);
        let protocol = group.protocol.clone();
        let members = if is_leader {
            group
                .members
                .values()
                .map(|m| JoinGroupMember {
                    member_id: m.member_id.clone(),
                    group_instance_id: m.group_instance_id.clone(),
                    subscription: m
                        .protocols
                        .iter()
                        .find(|(p, _)| Some(p) == protocol.as_ref())
                        .map(|(_, s)| s.clone())
                        .unwrap_or_else(|| m.subscription().clone()),
                })
                .collect()
        } else {
            Vec::new()
        };
        Response::JoinGroup {
            error: ErrorCode::None,
            generation_id: group.generation_id,
            protocol_name: protocol,
            leader: group.leader.clone().unwrap_or_default(),
            member_id: member_id.to_string(),
            members,
        }
    }

    fn prepare_rebalance(&mut self, now: SimTime, group_id: &str, reason: String, out: &mut CoordinatorOut) {
        let group = self.groups.get_mut(group_id).expect("exists");
        if group.state == GroupState::CompletingRebalance {
            // Those waiting for the leader's assignment will not get one: tell them to rejoin.
            for member in group.members.values_mut() {
                if let Some(reply) = member.awaiting_sync.take() {
                    out.respond(reply, sync_error(ErrorCode::RebalanceInProgress));
                }
            }
        }
        let was_empty = group.state == GroupState::Empty;
        if group.state != GroupState::PreparingRebalance {
            group.transition(GroupState::PreparingRebalance);
        }
        group.rebalance_round += 1;
        let delay = if was_empty {
            self.config.group_initial_rebalance_delay_ms.min(group.rebalance_timeout_ms().max(1))
        } else {
            group.rebalance_timeout_ms()
        };
        let deadline = now + delay;
        group.join_deadline_ms = Some(deadline);
        out.timers.push((
            deadline,
            CoordinatorTimer::JoinDeadline { group_id: group_id.to_string(), round: group.rebalance_round },
        ));
        out.events.push(Event::GroupRebalancing {
            group: group_id.to_string(),
            generation_id: group.generation_id,
            reason,
        });
        if !was_empty {
            self.maybe_complete_join(now, group_id, out);
        }
    }

    fn maybe_complete_join(&mut self, now: SimTime, group_id: &str, out: &mut CoordinatorOut) {
        let group = &self.groups[group_id];
        let initial_delay_running = group.generation_id == 0 && group.join_deadline_ms.is_some_and(|d| d > now);
        if group.state == GroupState::PreparingRebalance && group.all_members_joined() && !initial_delay_running {
            self.complete_join(now, group_id, out);
        }
    }

    fn complete_join(&mut self, now: SimTime, group_id: &str, out: &mut CoordinatorOut) {
        let group = self.groups.get_mut(group_id).expect("exists");
        let not_rejoined: Vec<String> =
            group.members.values().filter(|m| m.awaiting_join.is_none()).map(|m| m.member_id.clone()).collect();
        for member_id in not_rejoined {
            group.remove_member(&member_id);
        }
        group.pending_members.clear();
        group.join_deadline_ms = None;
        group.generation_id += 1;
        if group.members.is_empty() {
            group.protocol = None;
            group.leader = None;
            group.transition(GroupState::Empty);
            let record = InternalRecord::GroupMetadata {
                group_id: group_id.to_string(),
                generation_id: group.generation_id,
                protocol: None,
                leader: None,
                members: Vec::new(),
            };
            let generation_id = group.generation_id;
            out.appends.push((
                self.partition_for(group_id),
                vec![record],
                AppendPurpose::StoreGroup { group_id: group_id.to_string(), generation_id, assignment: Vec::new() },
            ));
            return;
        }
        group.protocol = group.select_protocol();
        if !group.leader.as_ref().is_some_and(|l| group.members.contains_key(l)) {
            group.leader = group.join_order.first().cloned();
        }
        group.transition(GroupState::CompletingRebalance);
        let members: Vec<String> = group.members.keys().cloned().collect();
        for member_id in members {
            let response = Self::join_response(group, &member_id);
            let member = group.members.get_mut(&member_id).expect("listed");
            let reply = member.awaiting_join.take().expect("every remaining member rejoined");
            member.heartbeat_deadline_ms = now + member.session_timeout_ms;
            out.timers.push((
                member.heartbeat_deadline_ms,
                CoordinatorTimer::Session { group_id: group_id.to_string(), member_id: member_id.clone() },
            ));
            out.respond(reply, response);
        }
    }

    // ---- SyncGroup ---------------------------------------------------------------------------

    pub fn handle_sync(
        &mut self,
        now: SimTime,
        reply: Reply,
        (group_id, generation_id, member_id): (String, i32, String),
        assignments: Vec<(String, Vec<TopicPartition>)>,
        out: &mut CoordinatorOut,
    ) {
        if !self.is_coordinator_for(&group_id) {
            return out.respond(reply, sync_error(ErrorCode::NotCoordinator));
        }
        let partition = self.partition_for(&group_id);
        let Some(group) = self.groups.get_mut(&group_id) else {
            return out.respond(reply, sync_error(ErrorCode::UnknownMemberId));
        };
        if !group.members.contains_key(&member_id) {
            return out.respond(reply, sync_error(ErrorCode::UnknownMemberId));
        }
        if generation_id != group.generation_id {
            return out.respond(reply, sync_error(ErrorCode::IllegalGeneration));
        }
        match group.state {
            GroupState::Empty => out.respond(reply, sync_error(ErrorCode::UnknownMemberId)),
            GroupState::PreparingRebalance => out.respond(reply, sync_error(ErrorCode::RebalanceInProgress)),
            GroupState::Stable => {
                let assignment = group.members[&member_id].assignment.clone();
                out.respond(reply, Response::SyncGroup { error: ErrorCode::None, assignment });
            }
            GroupState::CompletingRebalance => {
                let member = group.members.get_mut(&member_id).expect("checked");
                member.awaiting_sync = Some(reply);
                member.heartbeat_deadline_ms = now + member.session_timeout_ms;
                if group.leader.as_deref() != Some(member_id.as_str()) {
                    return;
                }
                // The leader's assignment: persist it, then hand it out.
                let assignment: Vec<(String, Vec<TopicPartition>)> = group
                    .members
                    .keys()
                    .map(|id| {
                        (
                            id.clone(),
                            assignments.iter().find(|(m, _)| m == id).map(|(_, a)| a.clone()).unwrap_or_default(),
                        )
                    })
                    .collect();
                let members = group
                    .members
                    .values()
                    .map(|m| MemberRecord {
                        member_id: m.member_id.clone(),
                        group_instance_id: m.group_instance_id.clone(),
                        client_id: m.client_id.clone(),
                        node: m.node,
                        session_timeout_ms: m.session_timeout_ms,
                        rebalance_timeout_ms: m.rebalance_timeout_ms,
                        subscription: m.subscription().topics.clone(),
                        assignment: assignment
                            .iter()
                            .find(|(id, _)| *id == m.member_id)
                            .map(|(_, a)| a.clone())
                            .unwrap_or_default(),
                    })
                    .collect();
                let record = InternalRecord::GroupMetadata {
                    group_id: group_id.clone(),
                    generation_id,
                    protocol: group.protocol.clone(),
                    leader: group.leader.clone(),
                    members,
                };
                out.appends.push((
                    partition,
                    vec![record],
                    AppendPurpose::StoreGroup { group_id, generation_id, assignment },
                ));
            }
        }
    }

    // ---- Heartbeat, LeaveGroup, sessions -------------------------------------------------------

    pub fn handle_heartbeat(
        &mut self,
        now: SimTime,
        reply: Reply,
        (group_id, generation_id, member_id): (String, i32, String),
        out: &mut CoordinatorOut,
    ) {
        let respond = |out: &mut CoordinatorOut, error| out.respond(reply, Response::Heartbeat { error });
        if !self.is_coordinator_for(&group_id) {
            return respond(out, ErrorCode::NotCoordinator);
        }
        let Some(group) = self.groups.get_mut(&group_id) else { return respond(out, ErrorCode::UnknownMemberId) };
        let state = group.state;
        let current_generation = group.generation_id;
        let Some(member) = group.members.get_mut(&member_id) else { return respond(out, ErrorCode::UnknownMemberId) };
        if state == GroupState::Empty {
            return respond(out, ErrorCode::UnknownMemberId);
        }
        if generation_id != current_generation {
            return respond(out, ErrorCode::IllegalGeneration);
        }
        member.heartbeat_deadline_ms = now + member.session_timeout_ms;
        out.timers
            .push((member.heartbeat_deadline_ms, CoordinatorTimer::Session { group_id: group_id.clone(), member_id }));
        respond(
            out,
            if state == GroupState::PreparingRebalance { ErrorCode::RebalanceInProgress } else { ErrorCode::None },
        );
    }

    pub fn handle_leave(
        &mut self,
        now: SimTime,
        reply: Reply,
        group_id: String,
        member_id: String,
        out: &mut CoordinatorOut,
    ) {
        if !self.is_coordinator_for(&group_id) {
            return out.respond(reply, Response::LeaveGroup { error: ErrorCode::NotCoordinator });
        }
        let removed = self.groups.get_mut(&group_id).and_then(|g| g.remove_member(&member_id));
        match removed {
            None => out.respond(reply, Response::LeaveGroup { error: ErrorCode::UnknownMemberId }),
            Some(member) => {
                out.respond(reply, Response::LeaveGroup { error: ErrorCode::None });
                self.after_member_removed(now, &group_id, member, "left the group", out);
            }
        }
    }

    fn after_member_removed(
        &mut self,
        now: SimTime,
        group_id: &str,
        member: MemberMetadata,
        why: &str,
        out: &mut CoordinatorOut,
    ) {
        if let Some(reply) = member.awaiting_join {
            out.respond(reply, join_error(ErrorCode::UnknownMemberId, &member.member_id));
        }
        if let Some(reply) = member.awaiting_sync {
            out.respond(reply, sync_error(ErrorCode::UnknownMemberId));
        }
        let state = self.groups[group_id].state;
        match state {
            GroupState::Stable | GroupState::CompletingRebalance => {
                self.prepare_rebalance(now, group_id, format!("member {} {why}", member.member_id), out)
            }
            GroupState::PreparingRebalance => self.maybe_complete_join(now, group_id, out),
            GroupState::Empty => {}
        }
    }

    pub fn on_timer(&mut self, now: SimTime, timer: CoordinatorTimer, out: &mut CoordinatorOut) {
        match timer {
            CoordinatorTimer::Session { group_id, member_id } => {
                if !self.is_coordinator_for(&group_id) {
                    return;
                }
                let Some(group) = self.groups.get_mut(&group_id) else { return };
                let expired = group
                    .members
                    .get(&member_id)
                    .is_some_and(|m| m.heartbeat_deadline_ms <= now && m.awaiting_join.is_none());
                if expired {
                    let member = group.remove_member(&member_id).expect("checked");
                    self.after_member_removed(now, &group_id, member, "missed its session timeout", out);
                }
            }
            CoordinatorTimer::JoinDeadline { group_id, round } => {
                let due = self
                    .groups
                    .get(&group_id)
                    .is_some_and(|g| g.state == GroupState::PreparingRebalance && g.rebalance_round == round);
                if due && self.is_coordinator_for(&group_id) {
                    self.complete_join(now, &group_id, out);
                }
            }
            CoordinatorTimer::PendingMember { group_id, member_id } => {
                if let Some(group) = self.groups.get_mut(&group_id) {
                    if group.pending_members.get(&member_id).is_some_and(|expiry| *expiry <= now) {
                        group.pending_members.remove(&member_id);
                        self.maybe_complete_join(now, &group_id, out);
                    }
                }
            }
        }
    }

    // ---- offsets -----------------------------------------------------------------------------

    pub fn handle_offset_commit(
        &mut self,
        now: SimTime,
        reply: Reply,
        (group_id, generation_id, member_id): (String, i32, String),
        offsets: Vec<(TopicPartition, Offset)>,
        out: &mut CoordinatorOut,
    ) {
        let fail = |out: &mut CoordinatorOut, error: ErrorCode, offsets: &[(TopicPartition, Offset)]| {
            out.respond(
                reply,
                Response::OffsetCommit { results: offsets.iter().map(|(tp, _)| (tp.clone(), error)).collect() },
            )
        };
        if !self.is_coordinator_for(&group_id) {
            return fail(out, ErrorCode::NotCoordinator, &offsets);
        }
        let partition = self.partition_for(&group_id);
        let group = self.groups.entry(group_id.clone()).or_insert_with(|| GroupMetadata::new(&group_id));
        let standalone = generation_id < 0 && group.state == GroupState::Empty;
        if !standalone {
            let Some(member) = group.members.get_mut(&member_id) else {
                return fail(out, ErrorCode::UnknownMemberId, &offsets);
            };
            if generation_id != group.generation_id {
                return fail(out, ErrorCode::IllegalGeneration, &offsets);
            }
            if group.state == GroupState::CompletingRebalance {
                return fail(out, ErrorCode::RebalanceInProgress, &offsets);
            }
            member.heartbeat_deadline_ms = now + member.session_timeout_ms;
            out.timers.push((
                member.heartbeat_deadline_ms,
                CoordinatorTimer::Session { group_id: group_id.clone(), member_id },
            ));
        }
        let records = offsets
            .iter()
            .map(|(tp, offset)| InternalRecord::OffsetCommit {
                group_id: group_id.clone(),
                tp: tp.clone(),
                offset: *offset,
            })
            .collect();
        out.appends.push((partition, records, AppendPurpose::CommitOffsets { group_id, reply, offsets }));
    }

    pub fn handle_offset_fetch(
        &mut self,
        reply: Reply,
        group_id: String,
        partitions: Vec<TopicPartition>,
        out: &mut CoordinatorOut,
    ) {
        if !self.is_coordinator_for(&group_id) {
            return out.respond(reply, Response::OffsetFetch { error: ErrorCode::NotCoordinator, offsets: Vec::new() });
        }
        let committed = self.groups.get(&group_id).map(|g| &g.offsets);
        let offsets = partitions.into_iter().map(|tp| {
            let offset = committed.and_then(|c| c.get(&tp)).copied();
            (tp, offset)
        });
        out.respond(reply, Response::OffsetFetch { error: ErrorCode::None, offsets: offsets.collect() });
    }

    /// An append we asked for is replicated (`error` NONE) or failed.
    pub fn on_append_complete(
        &mut self,
        now: SimTime,
        purpose: AppendPurpose,
        error: ErrorCode,
        out: &mut CoordinatorOut,
    ) {
        match purpose {
            AppendPurpose::CommitOffsets { group_id, reply, offsets } => {
                let error = if error.is_none() { ErrorCode::None } else { store_error(error) };
                if error.is_none() {
                    if let Some(group) = self.groups.get_mut(&group_id) {
                        group.offsets.extend(offsets.iter().cloned());
                    }
                }
                out.respond(
                    reply,
                    Response::OffsetCommit { results: offsets.into_iter().map(|(tp, _)| (tp, error)).collect() },
                );
            }
            AppendPurpose::StoreGroup { group_id, generation_id, assignment } => {
                let Some(group) = self.groups.get_mut(&group_id) else { return };
                if group.state != GroupState::CompletingRebalance || group.generation_id != generation_id {
                    return; // a rebalance started meanwhile, or this stored an empty group
                }
                if !error.is_none() {
                    let error = store_error(error);
                    for member in group.members.values_mut() {
                        if let Some(reply) = member.awaiting_sync.take() {
                            out.respond(reply, sync_error(error));
                        }
                    }
                    return self.prepare_rebalance(now, &group_id, "storing the assignment failed".into(), out);
                }
                for (member_id, partitions) in &assignment {
                    if let Some(member) = group.members.get_mut(member_id) {
                        member.assignment = partitions.clone();
                    }
                }
                group.transition(GroupState::Stable);
                group.assert_invariants();
                for member in group.members.values_mut() {
                    if let Some(reply) = member.awaiting_sync.take() {
                        out.respond(
                            reply,
                            Response::SyncGroup { error: ErrorCode::None, assignment: member.assignment.clone() },
                        );
                    }
                }
                out.events.push(Event::GroupStable {
                    group: group_id.clone(),
                    generation_id,
                    protocol: group.protocol.clone(),
                    members: group.assignment(),
                });
            }
        }
    }
}
