//! A consumer's membership in its group (`ConsumerCoordinator` / `AbstractCoordinator`, classic
//! protocol, KIP-429 for cooperative rebalancing).
//!
//! - Find the coordinator (FindCoordinator to any broker), then JoinGroup; a new member first
//!   gets its member id back with MEMBER_ID_REQUIRED and joins again with it (KIP-394).
//! - Eager protocol: before joining, commit (with auto-commit) and revoke every partition.
//!   Cooperative: keep the partitions, report them as owned; after SyncGroup revoke only those
//!   the new assignment moved elsewhere, and rejoin at once so they can be given out (KIP-429).
//! - The leader runs the group's assignor over every member's subscription and sends the result
//!   with SyncGroup; everyone gets their share in the SyncGroup answer, then asks the coordinator
//!   for the committed offsets of new partitions (OffsetFetch).
//! - Heartbeats every `heartbeat.interval.ms`; REBALANCE_IN_PROGRESS means rejoin, ILLEGAL_GENERATION
//!   or UNKNOWN_MEMBER_ID mean the partitions are lost (no commit) and the member rejoins.
//! - A member that does not poll within `max.poll.interval.ms` leaves the group (a static member
//!   just stops heartbeating), and rejoins at its next poll.
//! - Coordinator errors (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a lost connection) send the
//!   member back to FindCoordinator.

use super::assignment::{assign, RebalanceProtocol};
use super::kafka_consumer::{ConsumerTimer, InflightKind, KafkaConsumer};
use crate::history::Event;
use crate::protocol::actor::Outbox;
use crate::protocol::errors::ErrorCode;
use crate::protocol::message::*;
use crate::protocol::types::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberState {
    /// Not in the group; will join when it can.
    Unjoined,
    /// Committing before an eager rebalance revokes the partitions.
    CommittingBeforeJoin,
    Joining,
    Syncing,
    Stable,
    /// Left after `max.poll.interval.ms`; rejoins at the next poll.
    LeftUntilPoll,
    /// A non-retriable error (e.g. FENCED_INSTANCE_ID): the member gives up.
    Failed,
}

#[derive(Clone, Debug)]
pub struct GroupMembership {
    pub group_id: String,
    pub topics: Vec<TopicName>,
    pub client_id: String,
    pub protocol: RebalanceProtocol,
    pub coordinator: Option<BrokerId>,
    pub member_id: String,
    pub generation_id: i32,
    pub state: MemberState,
    /// The partitions this member owns (its last assignment, minus what it revoked).
    pub owned: Vec<TopicPartition>,
    /// The assignment of the last completed rebalance (what a sticky assignor wants to keep).
    pub last_assignment: Vec<TopicPartition>,
    find_inflight: bool,
    heartbeat_inflight: bool,
    next_heartbeat_ms: SimTime,
    coordinator_retry_at_ms: SimTime,
}

impl GroupMembership {
    pub fn new(
        group_id: &str,
        topics: Vec<TopicName>,
        client_id: String,
        protocol: RebalanceProtocol,
    ) -> GroupMembership {
        GroupMembership {
            group_id: group_id.to_string(),
            topics,
            client_id,
            protocol,
            coordinator: None,
            member_id: String::new(),
            generation_id: -1,
            state: MemberState::Unjoined,
            owned: Vec::new(),
            last_assignment: Vec::new(),
            find_inflight: false,
            heartbeat_inflight: false,
            next_heartbeat_ms: 0,
            coordinator_retry_at_ms: 0,
        }
    }

    /// The application called poll: a member that left for being too slow rejoins.
    pub fn on_poll(&mut self) {
        if self.state == MemberState::LeftUntilPoll {
            self.state = MemberState::Unjoined;
        }
    }
}

impl KafkaConsumer {
    fn membership(&mut self) -> &mut GroupMembership {
        self.group.as_mut().expect("called only for group members")
    }

    fn membership_ref(&self) -> &GroupMembership {
        self.group.as_ref().expect("called only for group members")
    }

    /// Drives the membership: find the coordinator, join, heartbeat, watch the poll interval.
    pub(super) fn run_group(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let Some(group) = &self.group else { return };
        if group.state == MemberState::Failed || group.state == MemberState::LeftUntilPoll {
            return;
        }
        let Some(coordinator) = group.coordinator else {
            if !group.find_inflight {
                if now < group.coordinator_retry_at_ms {
                    let at = group.coordinator_retry_at_ms;
                    return self.wake_at(now, at, out);
                }
                let connections = &self.connections;
                if let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) {
                    let key = group.group_id.clone();
                    self.membership().find_inflight = true;
                    let request = Request::FindCoordinator { key, key_type: CoordinatorType::Group };
                    self.send_request(now, broker, request, InflightKind::FindCoordinator, out);
                }
            }
            return;
        };
        match group.state {
            MemberState::Unjoined => self.prepare_join(now, coordinator, out),
            // The commit before an eager rebalance has come back (either way): revoke, then join.
            MemberState::CommittingBeforeJoin if !self.sync_commit_in_flight() => {
                self.revoke_all(out, false);
                self.send_join(now, coordinator, out);
            }
            MemberState::Stable | MemberState::Syncing => {
                let poll_overdue =
                    self.processing && now.saturating_sub(self.last_poll_ms) > self.config.max_poll_interval_ms;
                if group.state == MemberState::Stable && poll_overdue {
                    return self.leave_for_poll_timeout(now, coordinator, out);
                }
                if !group.heartbeat_inflight && now >= group.next_heartbeat_ms {
                    let request = Request::Heartbeat {
                        group_id: group.group_id.clone(),
                        generation_id: group.generation_id,
                        member_id: group.member_id.clone(),
                        group_instance_id: self.config.group_instance_id.clone(),
                    };
                    self.membership().heartbeat_inflight = true;
                    self.send_request(now, coordinator, request, InflightKind::Heartbeat, out);
                }
                let mut next = self.membership().next_heartbeat_ms;
                if self.processing {
                    next = next.min(self.last_poll_ms + self.config.max_poll_interval_ms + 1);
                }
                self.wake_at(now, next, out);
            }
            _ => {}
        }
    }

    fn prepare_join(&mut self, now: SimTime, coordinator: BrokerId, out: &mut Outbox<ConsumerTimer>) {
        let topics = self.membership().topics.clone();
        if !topics.iter().all(|t| self.metadata.partition_counts.contains_key(t)) {
            self.metadata.request_update();
            return; // the leader needs every topic's partitions to assign them
        }
        let group = self.membership();
        if group.protocol == RebalanceProtocol::Eager && !group.owned.is_empty() {
            if self.config.enable_auto_commit && !self.positions().is_empty() {
                self.membership().state = MemberState::CommittingBeforeJoin;
                self.commit(now, None, true, out);
                return;
            }
            self.revoke_all(out, false);
        }
        self.send_join(now, coordinator, out);
    }

    fn send_join(&mut self, now: SimTime, coordinator: BrokerId, out: &mut Outbox<ConsumerTimer>) {
        let strategies = self.config.partition_assignment_strategy.clone();
        let group = self.membership_ref();
        let subscription = ConsumerSubscription {
            topics: group.topics.clone(),
            // Cooperative: what we still own. Eager: StickyAssignor's userData remembers our last
            // assignment even though it was revoked before this join (KIP-54).
            owned_partitions: if group.protocol == RebalanceProtocol::Cooperative {
                group.owned.clone()
            } else {
                group.last_assignment.clone()
            },
            generation_id: group.generation_id,
        };
        let request = Request::JoinGroup(JoinGroupRequest {
            group_id: group.group_id.clone(),
            session_timeout_ms: self.config.session_timeout_ms,
            rebalance_timeout_ms: self.config.max_poll_interval_ms,
            member_id: group.member_id.clone(),
            group_instance_id: self.config.group_instance_id.clone(),
            client_id: group.client_id.clone(),
            protocols: strategies.into_iter().map(|s| (s, subscription.clone())).collect(),
        });
        self.membership().state = MemberState::Joining;
        self.send_request(now, coordinator, request, InflightKind::JoinGroup, out);
    }

    /// onPartitionsRevoked (or onPartitionsLost when `lost`).
    fn revoke(&mut self, partitions: Vec<TopicPartition>, lost: bool, out: &mut Outbox<ConsumerTimer>) {
        if partitions.is_empty() {
            return;
        }
        self.remove_assigned(&partitions);
        let group = self.membership();
        group.owned.retain(|tp| !partitions.contains(tp));
        let generation_id = group.generation_id;
        out.record(Event::Revoked { partitions, generation_id, lost });
    }

    fn revoke_all(&mut self, out: &mut Outbox<ConsumerTimer>, lost: bool) {
        let owned = self.membership().owned.clone();
        self.revoke(owned, lost, out);
    }

    fn leave_for_poll_timeout(&mut self, now: SimTime, coordinator: BrokerId, out: &mut Outbox<ConsumerTimer>) {
        let static_member = self.config.group_instance_id.is_some();
        if !static_member {
            let group = self.membership_ref();
            let request = Request::LeaveGroup {
                group_id: group.group_id.clone(),
                member_id: group.member_id.clone(),
                group_instance_id: None,
            };
            self.send_request(now, coordinator, request, InflightKind::LeaveGroup, out);
        }
        out.record(Event::LeftGroup {
            reason: format!("max.poll.interval.ms ({} ms) exceeded", self.config.max_poll_interval_ms),
        });
        self.revoke_all(out, true);
        let group = self.membership();
        if !static_member {
            group.member_id.clear();
        }
        group.generation_id = -1;
        group.state = MemberState::LeftUntilPoll;
    }

    /// The coordinator is gone (moved, down, or unreachable): find it again and rejoin if needed.
    pub(super) fn coordinator_lost(&mut self, now: SimTime) {
        let backoff = self.config.retry_backoff_ms;
        if let Some(group) = &mut self.group {
            group.coordinator = None;
            group.coordinator_retry_at_ms = now + backoff;
            group.heartbeat_inflight = false;
            if matches!(group.state, MemberState::Joining | MemberState::Syncing | MemberState::CommittingBeforeJoin) {
                group.state = MemberState::Unjoined;
            }
        }
    }

    /// A group request went unanswered (timeout or lost connection).
    pub(super) fn group_request_failed(&mut self, now: SimTime, kind: InflightKind, _out: &mut Outbox<ConsumerTimer>) {
        if let InflightKind::FindCoordinator = kind {
            let backoff = self.config.retry_backoff_ms;
            let group = self.membership();
            group.find_inflight = false;
            group.coordinator_retry_at_ms = now + backoff;
            return;
        }
        self.coordinator_lost(now);
    }

    /// An error that says something about our membership (from heartbeats or commits).
    pub(super) fn on_group_error(&mut self, now: SimTime, error: ErrorCode, out: &mut Outbox<ConsumerTimer>) {
        match error {
            ErrorCode::None => {}
            ErrorCode::RebalanceInProgress => {
                let group = self.membership();
                if group.state == MemberState::Stable {
                    group.state = MemberState::Unjoined;
                }
            }
            ErrorCode::IllegalGeneration | ErrorCode::UnknownMemberId => {
                // Our generation is over: the partitions may already belong to someone else.
                self.revoke_all(out, true);
                let group = self.membership();
                if error == ErrorCode::UnknownMemberId {
                    group.member_id.clear();
                }
                group.generation_id = -1;
                if group.state != MemberState::LeftUntilPoll {
                    group.state = MemberState::Unjoined;
                }
            }
            ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable | ErrorCode::CoordinatorLoadInProgress => {
                self.coordinator_lost(now)
            }
            ErrorCode::FencedInstanceId | ErrorCode::InvalidSessionTimeout | ErrorCode::InconsistentGroupProtocol => {
                out.record(Event::LeftGroup { reason: format!("fatal group error {error}") });
                self.revoke_all(out, true);
                self.membership().state = MemberState::Failed;
            }
            _ => {}
        }
    }

    pub(super) fn on_group_response(
        &mut self,
        now: SimTime,
        kind: InflightKind,
        response: Response,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        match (kind, response) {
            (InflightKind::FindCoordinator, Response::FindCoordinator { error, coordinator }) => {
                let backoff = self.config.retry_backoff_ms;
                let group = self.membership();
                group.find_inflight = false;
                match (error, coordinator) {
                    (ErrorCode::None, Some(node)) => group.coordinator = Some(node),
                    _ => group.coordinator_retry_at_ms = now + backoff,
                }
            }
            (
                InflightKind::JoinGroup,
                Response::JoinGroup { error, generation_id, protocol_name, leader, member_id, members },
            ) => {
                if self.membership().state != MemberState::Joining {
                    return;
                }
                match error {
                    ErrorCode::None => {
                        self.on_joined(now, generation_id, protocol_name, leader, member_id, members, out)
                    }
                    ErrorCode::MemberIdRequired => {
                        let group = self.membership();
                        group.member_id = member_id;
                        group.state = MemberState::Unjoined;
                    }
                    error => {
                        self.membership().state = MemberState::Unjoined;
                        self.on_group_error(now, error, out);
                    }
                }
            }
            (InflightKind::SyncGroup, Response::SyncGroup { error, assignment }) => {
                if self.membership().state != MemberState::Syncing {
                    return;
                }
                if error.is_none() {
                    self.on_synced(now, assignment, out);
                } else {
                    self.membership().state = MemberState::Unjoined;
                    self.on_group_error(now, error, out);
                }
            }
            (InflightKind::Heartbeat, Response::Heartbeat { error }) => {
                let interval = self.config.heartbeat_interval_ms;
                let group = self.membership();
                group.heartbeat_inflight = false;
                group.next_heartbeat_ms = now + interval;
                self.on_group_error(now, error, out);
            }
            (InflightKind::LeaveGroup, Response::LeaveGroup { .. }) => {}
            (kind, response) => panic!("consumer got {} for {kind:?}", response.api_name()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_joined(
        &mut self,
        now: SimTime,
        generation_id: i32,
        protocol_name: Option<String>,
        leader: String,
        member_id: String,
        members: Vec<JoinGroupMember>,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        let group = self.membership();
        group.generation_id = generation_id;
        group.member_id = member_id.clone();
        group.state = MemberState::Syncing;
        group.next_heartbeat_ms = now;
        let Some(coordinator) = group.coordinator else { return };
        let assignments = if leader == member_id {
            let strategy = protocol_name.unwrap_or_else(|| "range".to_string());
            assign(&strategy, &members, &self.metadata.partition_counts, self.config.planted_bug)
        } else {
            Vec::new()
        };
        let group = self.membership_ref();
        let request = Request::SyncGroup {
            group_id: group.group_id.clone(),
            generation_id,
            member_id,
            group_instance_id: self.config.group_instance_id.clone(),
            assignments,
        };
        self.send_request(now, coordinator, request, InflightKind::SyncGroup, out);
    }

    fn on_synced(&mut self, now: SimTime, assignment: Vec<TopicPartition>, out: &mut Outbox<ConsumerTimer>) {
        let owned = self.membership().owned.clone();
        let revoked: Vec<TopicPartition> = owned.iter().filter(|tp| !assignment.contains(tp)).cloned().collect();
        let added: Vec<TopicPartition> = assignment.iter().filter(|tp| !owned.contains(tp)).cloned().collect();
        let cooperative = self.membership().protocol == RebalanceProtocol::Cooperative;
        if cooperative && !revoked.is_empty() {
            if self.config.enable_auto_commit {
                let offsets: Vec<(TopicPartition, Offset)> =
                    self.positions().into_iter().filter(|(tp, _)| revoked.contains(tp)).collect();
                self.commit(now, Some(offsets), false, out);
            }
            self.revoke(revoked.clone(), false, out);
        }
        // New partitions start at the committed offset; kept ones keep their positions.
        self.add_assigned(&added);
        let group = self.membership();
        group.owned = assignment.clone();
        group.last_assignment = assignment.clone();
        group.state = MemberState::Stable;
        let generation_id = group.generation_id;
        // KIP-429: partitions we gave up go to others in a follow-up rebalance.
        if cooperative && !revoked.is_empty() {
            group.state = MemberState::Unjoined;
        }
        out.record(Event::Assigned { partitions: assignment, generation: Some(generation_id) });
    }
}
