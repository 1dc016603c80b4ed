//! The controller stepped one request at a time, asserting exactly what it answers.

use super::*;
use crate::history::{Election, Event};
use crate::protocol::actor::{Actor, Outbox};
use crate::protocol::config::broker::{BrokerConfig, TopicConfig};
use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::errors::ErrorCode;
use crate::protocol::message::*;
use crate::protocol::types::*;

type Out = Outbox<ControllerTimer>;

fn controller() -> QuorumController {
    controller_with(BrokerConfig::defaults())
}

fn controller_with(config: BrokerConfig) -> QuorumController {
    let topic =
        TopicSpec { name: "t".into(), partitions: 1, replication_factor: 3, config: TopicConfig::defaults(&config) };
    let brokers = vec![BrokerId(1), BrokerId(2), BrokerId(3)];
    QuorumController::new(config, brokers, vec![topic], ControllerDisk::default())
}

fn request(c: &mut QuorumController, now: SimTime, from: u32, request: Request) -> Out {
    let mut out = Out::default();
    c.on_message(now, NodeId::broker(from), Message::Request { correlation_id: 7, request }, &mut out);
    out
}

fn only_response(out: &Out) -> &Response {
    assert_eq!(out.sends.len(), 1, "exactly one message: {:?}", out.sends);
    match &out.sends[0].1 {
        Message::Response { correlation_id: 7, response } => response,
        other => panic!("expected a response, got {other:?}"),
    }
}

/// Registers and unfences brokers 1..=3, which creates the topic. Returns the time reached.
fn bring_up(c: &mut QuorumController) -> SimTime {
    let mut out = Out::default();
    c.on_start(0, &mut out);
    let mut epochs = Vec::new();
    for b in 1..=3 {
        let out = request(c, 1, b, Request::BrokerRegistration { broker: BrokerId(b), incarnation: 0 });
        match only_response(&out) {
            Response::BrokerRegistration { error: ErrorCode::None, broker_epoch } => epochs.push(*broker_epoch),
            other => panic!("{other:?}"),
        }
    }
    for (i, b) in (1..=3).enumerate() {
        let offset = c.image().next_offset;
        request(
            c,
            2,
            b,
            Request::BrokerHeartbeat { broker: BrokerId(b), broker_epoch: epochs[i], metadata_offset: offset },
        );
    }
    2
}

/// Heartbeats from `brokers`, each caught up with the metadata log, at `now`.
fn heartbeat_caught_up(c: &mut QuorumController, now: SimTime, brokers: &[u32]) {
    for &b in brokers {
        let broker_epoch = c.image().brokers[&BrokerId(b)].broker_epoch;
        let offset = c.image().next_offset;
        request(c, now, b, Request::BrokerHeartbeat { broker: BrokerId(b), broker_epoch, metadata_offset: offset });
    }
}

#[test]
fn registration_gives_the_log_offset_as_broker_epoch_and_is_idempotent() {
    let mut c = controller();
    let out = request(&mut c, 0, 2, Request::BrokerRegistration { broker: BrokerId(2), incarnation: 9 });
    assert!(matches!(only_response(&out), Response::BrokerRegistration { error: ErrorCode::None, broker_epoch: 0 }));
    let again = request(&mut c, 1, 2, Request::BrokerRegistration { broker: BrokerId(2), incarnation: 9 });
    assert!(matches!(only_response(&again), Response::BrokerRegistration { error: ErrorCode::None, broker_epoch: 0 }));
    assert!(c.image().brokers[&BrokerId(2)].fenced, "a new registration starts fenced");
    let unknown = request(&mut c, 1, 9, Request::BrokerRegistration { broker: BrokerId(9), incarnation: 0 });
    assert!(matches!(only_response(&unknown), Response::BrokerRegistration { error: ErrorCode::InvalidRequest, .. }));
}

#[test]
fn a_caught_up_heartbeat_unfences_and_the_last_one_creates_the_topic() {
    let mut c = controller();
    let out = request(&mut c, 0, 1, Request::BrokerRegistration { broker: BrokerId(1), incarnation: 0 });
    assert!(matches!(only_response(&out), Response::BrokerRegistration { broker_epoch: 0, .. }));
    // Not yet caught up with its own registration (offset 0): stays fenced.
    let out =
        request(&mut c, 1, 1, Request::BrokerHeartbeat { broker: BrokerId(1), broker_epoch: 0, metadata_offset: 0 });
    assert!(matches!(only_response(&out), Response::BrokerHeartbeat { error: ErrorCode::None, is_fenced: true }));
    let out =
        request(&mut c, 2, 1, Request::BrokerHeartbeat { broker: BrokerId(1), broker_epoch: 0, metadata_offset: 1 });
    assert_eq!(out.events, vec![Event::BrokerFenced { broker: BrokerId(1), fenced: false }]);
    assert!(matches!(only_response(&out), Response::BrokerHeartbeat { error: ErrorCode::None, is_fenced: false }));
    assert!(c.image().partitions.is_empty(), "the topic waits for every broker");

    let mut c = controller();
    bring_up(&mut c);
    let p = &c.image().partitions[&TopicPartition::new("t", 0)];
    assert_eq!((p.leader, p.leader_epoch, p.partition_epoch), (Some(BrokerId(1)), 0, 0));
    assert_eq!(p.isr, vec![BrokerId(1), BrokerId(2), BrokerId(3)]);
}

#[test]
fn alter_partition_rejects_stale_epochs_and_fenced_replicas() {
    let mut c = controller();
    bring_up(&mut c);
    let tp = TopicPartition::new("t", 0);
    let epoch_of = |c: &QuorumController, b: u32| c.image().brokers[&BrokerId(b)].broker_epoch;
    let alter = |c: &mut QuorumController, leader_epoch, partition_epoch, isr: &[u32]| {
        let broker_epoch = epoch_of(c, 1);
        let item = AlterPartitionItem {
            tp: tp.clone(),
            leader_epoch,
            partition_epoch,
            new_isr: isr.iter().map(|b| BrokerId(*b)).collect(),
        };
        let out = request(c, 10, 1, Request::AlterPartition { broker: BrokerId(1), broker_epoch, items: vec![item] });
        match only_response(&out) {
            Response::AlterPartition { error: ErrorCode::None, results } => (results[0].error, out.events.clone()),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(alter(&mut c, 1, 0, &[1, 2]).0, ErrorCode::FencedLeaderEpoch);
    assert_eq!(alter(&mut c, 0, 5, &[1, 2]).0, ErrorCode::InvalidUpdateVersion);
    assert_eq!(alter(&mut c, 0, 0, &[2, 3]).0, ErrorCode::InvalidRequest, "the leader must stay in the ISR");
    let (error, events) = alter(&mut c, 0, 0, &[1, 2]);
    assert_eq!(error, ErrorCode::None);
    assert_eq!(
        events,
        vec![Event::PartitionChanged {
            tp: tp.clone(),
            replicas: vec![BrokerId(1), BrokerId(2), BrokerId(3)],
            leader: Some(BrokerId(1)),
            leader_epoch: 0,
            partition_epoch: 1,
            isr: vec![BrokerId(1), BrokerId(2)],
            election: None,
        }]
    );
    // Broker 3 goes silent and is fenced when its session expires; while fenced it may not be
    // added back to the ISR.
    heartbeat_caught_up(&mut c, 8_000, &[1, 2]);
    let mut out = Out::default();
    c.on_timer(9_200, ControllerTimer::SessionCheck, &mut out);
    assert_eq!(out.events, vec![Event::BrokerFenced { broker: BrokerId(3), fenced: true }]);
    assert_eq!(alter(&mut c, 0, 1, &[1, 2, 3]).0, ErrorCode::IneligibleReplica);
}

#[test]
fn session_expiry_fences_and_elects_the_next_isr_replica() {
    let mut c = controller();
    bring_up(&mut c);
    let tp = TopicPartition::new("t", 0);
    // Brokers 2 and 3 keep heartbeating; broker 1 (the leader) goes silent.
    heartbeat_caught_up(&mut c, 8_000, &[2, 3]);
    let mut out = Out::default();
    c.on_timer(9_003, ControllerTimer::SessionCheck, &mut out);
    let p = &c.image().partitions[&tp];
    assert_eq!((p.leader, p.leader_epoch), (Some(BrokerId(2)), 1));
    assert_eq!(p.isr, vec![BrokerId(2), BrokerId(3)]);
    assert!(out.events.contains(&Event::BrokerFenced { broker: BrokerId(1), fenced: true }));
    assert!(out.events.iter().any(|e| matches!(e, Event::PartitionChanged { election: Some(Election::Clean), .. })));
}

#[test]
fn a_restarted_broker_cannot_register_until_its_old_session_expires() {
    let mut c = controller();
    bring_up(&mut c);
    let tp = TopicPartition::new("t", 0);
    assert_eq!(c.image().partitions[&tp].leader, Some(BrokerId(1)));
    // Broker 1 restarts at once (a new incarnation) while its old session is still valid.
    let early = request(&mut c, 100, 1, Request::BrokerRegistration { broker: BrokerId(1), incarnation: 1 });
    assert!(matches!(
        only_response(&early),
        Response::BrokerRegistration { error: ErrorCode::DuplicateBrokerRegistration, broker_epoch: -1 }
    ));
    assert_eq!(c.image().partitions[&tp].leader, Some(BrokerId(1)), "nothing changes yet");
    // The others keep heartbeating; broker 1's session expires and it is fenced like any silent
    // broker, so its leadership moves before its new incarnation can join.
    heartbeat_caught_up(&mut c, 8_000, &[2, 3]);
    c.on_timer(9_003, ControllerTimer::SessionCheck, &mut Out::default());
    assert_eq!(c.image().partitions[&tp].leader, Some(BrokerId(2)));
    let late = request(&mut c, 9_100, 1, Request::BrokerRegistration { broker: BrokerId(1), incarnation: 1 });
    assert!(matches!(only_response(&late), Response::BrokerRegistration { error: ErrorCode::None, .. }));
}

#[test]
fn metadata_fetches_wait_for_new_records_and_are_answered_when_they_come() {
    let mut c = controller();
    let out = request(&mut c, 0, 1, Request::MetadataFetch { broker: BrokerId(1), fetch_offset: 0, max_wait_ms: 500 });
    assert!(out.sends.is_empty(), "nothing to return yet: the fetch is parked");
    assert_eq!(out.timers.len(), 1);
    let out = request(&mut c, 1, 2, Request::BrokerRegistration { broker: BrokerId(2), incarnation: 0 });
    assert_eq!(out.sends.len(), 2, "the parked fetch and the registration are answered");
    let to_broker_1 = out.sends.iter().find(|(to, _)| *to == NodeId::broker(1)).expect("answer to broker 1");
    match &to_broker_1.1 {
        Message::Response { response: Response::MetadataFetch { records, .. }, .. } => {
            assert_eq!(records.len(), 1);
            assert!(matches!(records[0], (0, MetadataRecord::RegisterBroker { broker: BrokerId(2), .. })));
        }
        other => panic!("{other:?}"),
    }
}

/// Brings brokers 1..=3 up under `config`, has leader 1 shrink the ISR to `isr` (when it is not
/// all three), then lets broker 1's session expire while 2 and 3 heartbeat. Returns the partition
/// change the controller recorded for the failover.
fn fail_over_from_broker_1(config: BrokerConfig, isr: &[u32]) -> Event {
    let mut c = controller_with(config);
    bring_up(&mut c);
    let tp = TopicPartition::new("t", 0);
    if isr.len() < 3 {
        let broker_epoch = c.image().brokers[&BrokerId(1)].broker_epoch;
        let new_isr = isr.iter().map(|b| BrokerId(*b)).collect();
        let item = AlterPartitionItem { tp, leader_epoch: 0, partition_epoch: 0, new_isr };
        request(&mut c, 10, 1, Request::AlterPartition { broker: BrokerId(1), broker_epoch, items: vec![item] });
    }
    heartbeat_caught_up(&mut c, 8_000, &[2, 3]);
    let mut out = Out::default();
    c.on_timer(9_003, ControllerTimer::SessionCheck, &mut out);
    let changes: Vec<Event> = out.events.into_iter().filter(|e| matches!(e, Event::PartitionChanged { .. })).collect();
    assert_eq!(changes.len(), 1, "one partition change for the failover: {changes:?}");
    changes.into_iter().next().unwrap()
}

fn failover_config(unclean_leader_election_enable: bool, planted_bug: PlantedBug) -> BrokerConfig {
    BrokerConfig { unclean_leader_election_enable, planted_bug, ..BrokerConfig::defaults() }
}

/// (leader, leader epoch, ISR, election) of a recorded partition change.
type Decision = (Option<u32>, LeaderEpoch, Vec<u32>, Option<Election>);

fn decision(change: &Event) -> Decision {
    let Event::PartitionChanged { leader, leader_epoch, isr, election, .. } = change else { panic!("{change:?}") };
    (leader.map(|b| b.0), *leader_epoch, isr.iter().map(|b| b.0).collect(), *election)
}

#[test]
fn an_unclean_election_sets_the_isr_to_the_new_leader_unless_the_bug_is_planted() {
    // ISR {1}; leader 1 is fenced and no ISR member is left: broker 2, out of sync, is elected.
    let kafka = fail_over_from_broker_1(failover_config(true, PlantedBug::None), &[1]);
    assert_eq!(decision(&kafka), (Some(2), 1, vec![2], Some(Election::Unclean)));
    let planted = fail_over_from_broker_1(failover_config(true, PlantedBug::UncleanElectionKeepsIsr), &[1]);
    assert_eq!(
        decision(&planted),
        (Some(2), 1, vec![1], Some(Election::Unclean)),
        "the planted bug keeps the stale ISR {{1}}: the new leader 2 is outside it"
    );
    // A clean election is not touched by this bug.
    let clean = fail_over_from_broker_1(failover_config(true, PlantedBug::UncleanElectionKeepsIsr), &[1, 2, 3]);
    assert_eq!(decision(&clean), (Some(2), 1, vec![2, 3], Some(Election::Clean)));
}

#[test]
fn a_leader_change_bumps_the_leader_epoch_unless_the_bug_is_planted() {
    let kafka = fail_over_from_broker_1(failover_config(false, PlantedBug::None), &[1, 2, 3]);
    assert_eq!(decision(&kafka), (Some(2), 1, vec![2, 3], Some(Election::Clean)));
    let planted = fail_over_from_broker_1(failover_config(false, PlantedBug::LeaderChangeKeepsEpoch), &[1, 2, 3]);
    assert_eq!(
        decision(&planted),
        (Some(2), 0, vec![2, 3], Some(Election::Clean)),
        "broker 2 leads in epoch 0, the epoch broker 1 led in"
    );
    // Unclean elections take the same path.
    let unclean = fail_over_from_broker_1(failover_config(true, PlantedBug::LeaderChangeKeepsEpoch), &[1]);
    assert_eq!(decision(&unclean), (Some(2), 0, vec![2], Some(Election::Unclean)));
}
