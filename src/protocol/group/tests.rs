//! The group coordinator stepped one request at a time.

use super::coordinator::*;
use super::group_metadata::GroupState;
use crate::history::Event;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::internal::InternalRecord;
use crate::protocol::message::*;
use crate::protocol::types::*;

const GROUP: &str = "g";

fn coordinator() -> GroupCoordinator {
    let config = GroupConfig {
        offsets_topic_num_partitions: 1,
        group_initial_rebalance_delay_ms: 3000,
        group_min_session_timeout_ms: 6000,
        group_max_session_timeout_ms: 1_800_000,
    };
    let mut c = GroupCoordinator::new(BrokerId(1), config);
    c.load(0, 0, std::iter::empty(), &mut CoordinatorOut::default());
    c
}

fn client(n: u32) -> NodeId {
    NodeId::Client(n)
}

fn join_request(member_id: &str, instance: Option<&str>) -> JoinGroupRequest {
    let subscription = ConsumerSubscription { topics: vec!["t".into()], owned_partitions: vec![], generation_id: -1 };
    JoinGroupRequest {
        group_id: GROUP.into(),
        session_timeout_ms: 10_000,
        rebalance_timeout_ms: 30_000,
        member_id: member_id.into(),
        group_instance_id: instance.map(str::to_string),
        client_id: "client".into(),
        protocols: vec![("range".into(), subscription)],
    }
}

fn join(c: &mut GroupCoordinator, now: SimTime, who: u32, member_id: &str) -> CoordinatorOut {
    let mut out = CoordinatorOut::default();
    c.handle_join(now, (client(who), 1), join_request(member_id, None), &mut out);
    out
}

fn join_answer(out: &CoordinatorOut, who: u32) -> (ErrorCode, i32, String, String, usize) {
    out.responses
        .iter()
        .find_map(|(to, _, r)| match r {
            Response::JoinGroup { error, generation_id, leader, member_id, members, .. } if *to == client(who) => {
                Some((*error, *generation_id, leader.clone(), member_id.clone(), members.len()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no JoinGroup answer to client {who}: {:?}", out.responses))
}

/// One member joins an empty group and the first rebalance completes. Returns its member id.
fn first_member(c: &mut GroupCoordinator) -> String {
    let out = join(c, 0, 0, "");
    let (error, _, _, member_id, _) = join_answer(&out, 0);
    assert_eq!(error, ErrorCode::MemberIdRequired, "KIP-394: a new member gets its id first");
    let out = join(c, 1, 0, &member_id);
    assert!(out.responses.is_empty(), "the first round of an empty group waits group.initial.rebalance.delay.ms");
    let deadline = out
        .timers
        .iter()
        .find_map(|(at, t)| matches!(t, CoordinatorTimer::JoinDeadline { .. }).then_some(*at))
        .unwrap();
    assert_eq!(deadline, 1 + 3000);
    let mut out = CoordinatorOut::default();
    c.on_timer(deadline, CoordinatorTimer::JoinDeadline { group_id: GROUP.into(), round: 1 }, &mut out);
    let (error, generation, leader, id, members) = join_answer(&out, 0);
    assert_eq!((error, generation, leader.as_str(), members), (ErrorCode::None, 1, member_id.as_str(), 1));
    assert_eq!(id, member_id);
    member_id
}

fn sync(
    c: &mut GroupCoordinator,
    now: SimTime,
    who: u32,
    member_id: &str,
    generation: i32,
    assignments: Vec<(String, Vec<TopicPartition>)>,
) -> CoordinatorOut {
    let mut out = CoordinatorOut::default();
    c.handle_sync(now, (client(who), 2), (GROUP.into(), generation, member_id.into()), assignments, &mut out);
    out
}

fn complete_appends(c: &mut GroupCoordinator, now: SimTime, out: CoordinatorOut) -> CoordinatorOut {
    let mut next = CoordinatorOut::default();
    for (_, _, purpose) in out.appends {
        c.on_append_complete(now, purpose, ErrorCode::None, &mut next);
    }
    next
}

/// A coordinator whose group has completed generation 1 with one member (assigned nothing).
fn stable_group_of_one() -> (GroupCoordinator, String) {
    let mut c = coordinator();
    let m1 = first_member(&mut c);
    let out = sync(&mut c, 3002, 0, &m1, 1, vec![]);
    complete_appends(&mut c, 3003, out);
    (c, m1)
}

#[test]
fn partition_for_group_uses_java_string_hash_code() {
    // "g".hashCode() = 103; "analytics".hashCode() = 1994202089 ... abs % 50.
    assert_eq!(partition_for_group("g", 50), 103 % 50);
    let hash = "analytics".encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(c as i32));
    assert_eq!(partition_for_group("analytics", 50), hash.abs() % 50);
    assert_eq!(partition_for_group("", 50), 0);
}

#[test]
fn a_leader_sync_is_stored_before_anyone_gets_an_assignment() {
    let mut c = coordinator();
    let m1 = first_member(&mut c);
    let tp = TopicPartition::new("t", 0);
    let out = sync(&mut c, 3002, 0, &m1, 1, vec![(m1.clone(), vec![tp.clone()])]);
    assert!(out.responses.is_empty(), "the assignment is written to __consumer_offsets first");
    assert!(
        matches!(&out.appends[..], [(0, records, AppendPurpose::StoreGroup { generation_id: 1, .. })] if matches!(records[0], InternalRecord::GroupMetadata { .. }))
    );
    let done = complete_appends(&mut c, 3010, out);
    assert!(
        matches!(&done.responses[..], [(_, 2, Response::SyncGroup { error: ErrorCode::None, assignment })] if assignment == &vec![tp.clone()])
    );
    assert!(matches!(&done.events[..], [Event::GroupStable { generation_id: 1, .. }]));
    assert_eq!(c.group(GROUP).unwrap().state, GroupState::Stable);
}

#[test]
fn a_new_member_triggers_a_rebalance_that_waits_for_the_old_member_to_rejoin() {
    let (mut c, m1) = stable_group_of_one();

    let out = join(&mut c, 5000, 1, "");
    let (_, _, _, m2, _) = join_answer(&out, 1);
    let out = join(&mut c, 5001, 1, &m2);
    assert!(out.responses.is_empty(), "m1 has not rejoined yet");
    assert!(out.events.iter().any(|e| matches!(e, Event::GroupRebalancing { .. })));

    // m1 learns of the rebalance from its heartbeat, and rejoins: the round completes at once.
    let mut hb = CoordinatorOut::default();
    c.handle_heartbeat(5002, (client(0), 3), (GROUP.into(), 1, m1.clone()), &mut hb);
    assert!(matches!(&hb.responses[..], [(_, 3, Response::Heartbeat { error: ErrorCode::RebalanceInProgress })]));
    let out = join(&mut c, 5003, 0, &m1);
    let (e1, g1, leader, _, members) = join_answer(&out, 0);
    let (e2, g2, _, _, followers_view) = join_answer(&out, 1);
    assert_eq!((e1, e2, g1, g2), (ErrorCode::None, ErrorCode::None, 2, 2));
    assert_eq!((leader, members, followers_view), (m1.clone(), 2, 0), "only the leader gets the member list");
}

#[test]
fn a_silent_member_is_removed_after_its_session_timeout() {
    let (mut c, m1) = stable_group_of_one();
    let mut out = CoordinatorOut::default();
    c.on_timer(3001 + 9_999, CoordinatorTimer::Session { group_id: GROUP.into(), member_id: m1.clone() }, &mut out);
    assert!(c.group(GROUP).unwrap().members.contains_key(&m1), "not expired yet");
    c.on_timer(3002 + 10_000, CoordinatorTimer::Session { group_id: GROUP.into(), member_id: m1.clone() }, &mut out);
    let group = c.group(GROUP).unwrap();
    assert!(!group.members.contains_key(&m1));
    // With no member left the join round ends at once: a new generation of an empty group.
    assert_eq!((group.state, group.generation_id), (GroupState::Empty, 2));
    assert!(out.events.iter().any(|e| matches!(e, Event::GroupRebalancing { .. })));
}

#[test]
fn offset_commits_follow_kafkas_generation_rules() {
    let mut c = coordinator();
    let tp = TopicPartition::new("t", 0);
    let commit = |c: &mut GroupCoordinator, generation: i32, member: &str| {
        let mut out = CoordinatorOut::default();
        c.handle_offset_commit(
            10,
            (client(0), 9),
            (GROUP.into(), generation, member.into()),
            vec![(tp.clone(), 42)],
            &mut out,
        );
        out
    };
    let error = |out: &CoordinatorOut| match &out.responses[..] {
        [(_, _, Response::OffsetCommit { results })] => results[0].1,
        other => panic!("{other:?}"),
    };
    // An empty group stores offsets for anyone with generation -1 (manual assignment).
    let out = commit(&mut c, -1, "");
    assert!(out.responses.is_empty() && out.appends.len() == 1);
    let m1 = first_member(&mut c);
    assert_eq!(error(&commit(&mut c, 1, "stranger")), ErrorCode::UnknownMemberId);
    assert_eq!(error(&commit(&mut c, 0, &m1)), ErrorCode::IllegalGeneration);
    assert_eq!(error(&commit(&mut c, 1, &m1)), ErrorCode::RebalanceInProgress, "CompletingRebalance");
    let out = sync(&mut c, 3002, 0, &m1, 1, vec![]);
    complete_appends(&mut c, 3003, out);
    let pending = commit(&mut c, 1, &m1);
    let out = complete_appends(&mut c, 3004, pending);
    assert_eq!(error(&out), ErrorCode::None);
    let mut fetched = CoordinatorOut::default();
    c.handle_offset_fetch((client(0), 5), GROUP.into(), vec![tp.clone()], &mut fetched);
    assert!(
        matches!(&fetched.responses[..], [(_, 5, Response::OffsetFetch { offsets, .. })] if offsets == &vec![(tp.clone(), Some(42))])
    );
}

#[test]
fn a_static_member_restarting_in_a_stable_group_does_not_rebalance() {
    let mut c = coordinator();
    let mut out = CoordinatorOut::default();
    c.handle_join(0, (client(0), 1), join_request("", Some("static-1")), &mut out);
    assert!(out.responses.is_empty(), "static members skip MEMBER_ID_REQUIRED");
    let mut out = CoordinatorOut::default();
    c.on_timer(3000, CoordinatorTimer::JoinDeadline { group_id: GROUP.into(), round: 1 }, &mut out);
    let (_, generation, _, m1, _) = join_answer(&out, 0);
    let out = sync(&mut c, 3001, 0, &m1, generation, vec![(m1.clone(), vec![TopicPartition::new("t", 0)])]);
    complete_appends(&mut c, 3002, out);

    // The process restarts and joins again with no member id but the same instance id.
    let mut out = CoordinatorOut::default();
    c.handle_join(5000, (client(0), 7), join_request("", Some("static-1")), &mut out);
    let (error, generation_after, _, m1_again, _) = join_answer(&out, 0);
    assert_eq!((error, generation_after), (ErrorCode::None, generation), "same generation: no rebalance");
    assert_ne!(m1_again, m1, "a new member id replaces the old one");
    assert!(!out.events.iter().any(|e| matches!(e, Event::GroupRebalancing { .. })));
    assert_eq!(c.group(GROUP).unwrap().state, GroupState::Stable);
}

#[test]
fn a_new_coordinator_reloads_offsets_and_members_from_the_log() {
    let tp = TopicPartition::new("t", 0);
    let records = [
        InternalRecord::OffsetCommit { group_id: GROUP.into(), tp: tp.clone(), offset: 7 },
        InternalRecord::GroupMetadata {
            group_id: GROUP.into(),
            generation_id: 4,
            protocol: Some("range".into()),
            leader: Some("m".into()),
            members: vec![],
        },
        InternalRecord::OffsetCommit { group_id: GROUP.into(), tp: tp.clone(), offset: 9 },
    ];
    let config = GroupConfig {
        offsets_topic_num_partitions: 1,
        group_initial_rebalance_delay_ms: 3000,
        group_min_session_timeout_ms: 6000,
        group_max_session_timeout_ms: 1_800_000,
    };
    let mut c = GroupCoordinator::new(BrokerId(2), config);
    let mut out = CoordinatorOut::default();
    assert!(!c.is_coordinator_for(GROUP));
    c.load(100, 0, records.iter(), &mut out);
    let group = c.group(GROUP).unwrap();
    assert_eq!((group.generation_id, group.state, group.offsets[&tp]), (4, GroupState::Empty, 9));
    c.unload(0, &mut out);
    assert!(c.group(GROUP).is_none() && !c.is_coordinator_for(GROUP));
}

#[test]
fn the_coordinator_forwards_an_overlapping_assignment_without_validating_it() {
    // Generation 2 with two members, m1 leading.
    let (mut c, m1) = stable_group_of_one();
    let (_, _, _, m2, _) = join_answer(&join(&mut c, 5000, 1, ""), 1);
    join(&mut c, 5001, 1, &m2);
    let out = join(&mut c, 5002, 0, &m1);
    assert_eq!(join_answer(&out, 0).1, 2);

    // A buggy assignor (the planted bug assignor-overlaps) gives t-0 to both members. Kafka's
    // `GroupCoordinator.handleSyncGroup` stores and hands out what the leader sent, unchecked.
    let t = |p| TopicPartition::new("t", p);
    assert!(sync(&mut c, 5003, 1, &m2, 2, vec![]).responses.is_empty(), "a follower waits for the leader");
    let overlapping = vec![(m1.clone(), vec![t(0), t(1)]), (m2.clone(), vec![t(2), t(0)])];
    let out = sync(&mut c, 5004, 0, &m1, 2, overlapping);
    let done = complete_appends(&mut c, 5010, out);
    let assignment_of = |who: u32| {
        done.responses.iter().find_map(|(to, _, r)| match r {
            Response::SyncGroup { error: ErrorCode::None, assignment } if *to == client(who) => {
                Some(assignment.clone())
            }
            _ => None,
        })
    };
    assert_eq!((assignment_of(0), assignment_of(1)), (Some(vec![t(0), t(1)]), Some(vec![t(2), t(0)])));
    let [Event::GroupStable { generation_id: 2, members, .. }] = &done.events[..] else { panic!("{:?}", done.events) };
    assert!(members.iter().all(|m| m.partitions.contains(&t(0))), "both own t-0, as recorded: {members:?}");
    assert_eq!(c.group(GROUP).unwrap().state, GroupState::Stable);
}
