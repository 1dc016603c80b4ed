//! A broker stepped one message at a time, asserting exactly what it answers and records.

use super::*;
use crate::history::{Event, TruncationCause};
use crate::protocol::config::broker::{BrokerConfig, TopicConfig};
use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::{PartitionLog, RecordBatch};

type Out = Outbox<BrokerTimer>;
const PRODUCER: NodeId = NodeId::Client(0);
const CONTROLLER: NodeId = NodeId::Controller(1);

fn record(sequence: u64) -> Record {
    Record::data(None, ValueId { producer: 0, sequence }, 10, 0)
}

fn tp() -> TopicPartition {
    TopicPartition::new("t", 0)
}

/// The metadata of a two-broker cluster with topic `t` (one partition, replicas 1 and 2).
fn metadata(leader: u32, leader_epoch: LeaderEpoch, isr: &[u32], min_insync_replicas: i32) -> Vec<MetadataRecord> {
    let mut config = TopicConfig::defaults(&BrokerConfig::defaults());
    config.min_insync_replicas = min_insync_replicas;
    vec![
        MetadataRecord::RegisterBroker { broker: BrokerId(1), broker_epoch: 0, incarnation: 0 },
        MetadataRecord::RegisterBroker { broker: BrokerId(2), broker_epoch: 1, incarnation: 0 },
        MetadataRecord::UnfenceBroker { broker: BrokerId(1), broker_epoch: 0 },
        MetadataRecord::UnfenceBroker { broker: BrokerId(2), broker_epoch: 1 },
        MetadataRecord::Topic { name: "t".into(), partitions: 1, config },
        MetadataRecord::Partition {
            tp: tp(),
            registration: PartitionRegistration {
                replicas: vec![BrokerId(1), BrokerId(2)],
                isr: isr.iter().map(|b| BrokerId(*b)).collect(),
                leader: Some(BrokerId(leader)),
                leader_epoch,
                partition_epoch: 0,
            },
        },
    ]
}

/// Finds the correlation id of the request we sent for `api`.
fn sent(out: &Out, api: &str) -> (NodeId, u64, Request) {
    out.sends
        .iter()
        .find_map(|(to, m)| match m {
            Message::Request { correlation_id, request } if request.api_name() == api => {
                Some((*to, *correlation_id, request.clone()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {api} request in {:?}", out.sends))
}

/// A broker that registered (epoch `me - 1`) and learned `records` from the controller.
fn started(me: u32, records: Vec<MetadataRecord>) -> (Broker, Out) {
    started_with(me, BrokerConfig::defaults(), records)
}

fn started_with(me: u32, config: BrokerConfig, records: Vec<MetadataRecord>) -> (Broker, Out) {
    let mut broker = Broker::new(BrokerId(me), config, CONTROLLER, 0, BrokerDisk::default());
    let mut out = Out::default();
    broker.on_start(0, &mut out);
    let (_, registration, _) = sent(&out, "BrokerRegistration");
    let (_, fetch, _) = sent(&out, "MetadataFetch");
    let mut out = Out::default();
    let response = Response::BrokerRegistration { error: ErrorCode::None, broker_epoch: me as i64 - 1 };
    broker.on_message(1, CONTROLLER, Message::Response { correlation_id: registration, response }, &mut out);
    let records = records.into_iter().enumerate().map(|(i, r)| (i as Offset, r)).collect();
    let response = Response::MetadataFetch { error: ErrorCode::None, records };
    let mut out = Out::default();
    broker.on_message(2, CONTROLLER, Message::Response { correlation_id: fetch, response }, &mut out);
    (broker, out)
}

fn produce(broker: &mut Broker, now: SimTime, acks: Acks, values: &[u64]) -> Out {
    let batch = RecordBatch::data(values.iter().map(|v| record(*v)).collect());
    let request = Request::Produce(ProduceRequest {
        acks,
        timeout_ms: 30_000,
        transactional_id: None,
        partitions: vec![(tp(), batch)],
    });
    let mut out = Out::default();
    broker.on_message(now, PRODUCER, Message::Request { correlation_id: 100, request }, &mut out);
    out
}

fn fetch(broker: &mut Broker, now: SimTime, replica: Option<u32>, offset: Offset, epoch: LeaderEpoch) -> Out {
    fetch_knowing(broker, now, replica, offset, epoch, None)
}

/// A fetch whose sender says which high watermark it already has (a follower does).
fn fetch_knowing(
    broker: &mut Broker,
    now: SimTime,
    replica: Option<u32>,
    offset: Offset,
    epoch: LeaderEpoch,
    fetcher_high_watermark: Option<Offset>,
) -> Out {
    let request = Request::Fetch(FetchRequest {
        replica_id: replica.map(BrokerId),
        max_wait_ms: 500,
        min_bytes: 1,
        max_bytes: u64::MAX,
        isolation_level: IsolationLevel::ReadUncommitted,
        partitions: vec![FetchPartition {
            tp: tp(),
            current_leader_epoch: Some(epoch),
            fetch_offset: offset,
            last_fetched_epoch: if offset > 0 { Some(epoch) } else { None },
            partition_max_bytes: 1 << 20,
            fetcher_high_watermark,
        }],
    });
    let from = replica.map_or(NodeId::Client(1), NodeId::broker);
    let mut out = Out::default();
    broker.on_message(now, from, Message::Request { correlation_id: 200, request }, &mut out);
    out
}

fn produce_response(out: &Out) -> Option<&ProducePartitionResponse> {
    out.sends.iter().find_map(|(to, m)| match m {
        Message::Response { response: Response::Produce { partitions }, .. } if *to == PRODUCER => partitions.first(),
        _ => None,
    })
}

fn fetch_response(out: &Out) -> Option<&FetchPartitionResponse> {
    out.sends.iter().find_map(|(_, m)| match m {
        Message::Response { response: Response::Fetch(f), .. } => f.partitions.first(),
        _ => None,
    })
}

#[test]
fn acks_all_waits_until_the_follower_has_fetched_past_the_batch() {
    let (mut leader, out) = started(1, metadata(1, 0, &[1, 2], 2));
    assert!(out.events.contains(&Event::BecameLeader { tp: tp(), leader_epoch: 0 }));

    let out = produce(&mut leader, 10, Acks::All, &[1, 2]);
    assert!(produce_response(&out).is_none(), "acks=all is held in purgatory");
    assert!(matches!(&out.events[..], [Event::Appended { base_offset: 0, as_leader: true, .. }]));

    // The follower fetches from 0: it gets the batch; the high watermark cannot move yet.
    let out = fetch(&mut leader, 12, Some(2), 0, 0);
    let data = fetch_response(&out).expect("data is there, so the fetch is answered at once");
    assert_eq!((data.error, data.batches.len(), data.high_watermark), (ErrorCode::None, 1, 0));
    assert!(produce_response(&out).is_none());

    // Its next fetch, from 2, tells the leader it has both records: HW 2, and the ack goes out.
    let out = fetch(&mut leader, 15, Some(2), 2, 0);
    assert!(out.events.contains(&Event::HighWatermark { tp: tp(), high_watermark: 2, is_leader: true }));
    let ack = produce_response(&out).expect("acknowledged once replicated");
    assert_eq!((ack.error, ack.base_offset), (ErrorCode::None, 0));
    assert!(fetch_response(&out).is_none(), "nothing new to fetch: the follower's fetch is parked");
}

#[test]
fn acks_all_below_min_insync_replicas_is_refused_without_appending() {
    let (mut leader, _) = started(1, metadata(1, 0, &[1], 2));
    let out = produce(&mut leader, 10, Acks::All, &[1]);
    assert_eq!(produce_response(&out).map(|r| r.error), Some(ErrorCode::NotEnoughReplicas));
    assert!(out.events.is_empty(), "nothing appended");
    // acks=1 is accepted: min.insync.replicas only guards acks=all.
    let out = produce(&mut leader, 11, Acks::Leader, &[2]);
    assert_eq!(produce_response(&out).map(|r| (r.error, r.base_offset)), Some((ErrorCode::None, 0)));
}

/// The base offsets of the batches a consumer's fetch from 0 gets from a sole leader holding four
/// one-record batches, under `kafkasim.planted.bug = bug`; and what a follower gets.
fn consumer_and_follower_batches(bug: PlantedBug) -> (Vec<Offset>, Vec<Offset>) {
    let config = BrokerConfig { planted_bug: bug, ..BrokerConfig::defaults() };
    let (mut leader, _) = started_with(1, config, metadata(1, 0, &[1], 1));
    for (i, value) in [1, 2, 3, 4].into_iter().enumerate() {
        produce(&mut leader, 10 + i as SimTime, Acks::Leader, &[value]);
    }
    let bases = |out: &Out| fetch_response(out).expect("data").batches.iter().map(|b| b.base_offset).collect();
    let follower = bases(&fetch(&mut leader, 20, Some(2), 0, 0));
    fetch(&mut leader, 21, Some(2), 4, 0); // caught up: the high watermark reaches 4
    (bases(&fetch(&mut leader, 22, None, 0, 0)), follower)
}

#[test]
fn planted_fetch_bugs_garble_what_consumers_read_and_leave_followers_alone() {
    let in_order = vec![0, 1, 2, 3];
    assert_eq!(consumer_and_follower_batches(PlantedBug::None), (in_order.clone(), in_order.clone()));
    assert_eq!(consumer_and_follower_batches(PlantedBug::FetchDropsMiddleBatch), (vec![0, 1, 3], in_order.clone()));
    assert_eq!(consumer_and_follower_batches(PlantedBug::FetchReversesBatches), (vec![3, 2, 1, 0], in_order));
}

#[test]
fn fetches_with_a_stale_or_future_leader_epoch_are_fenced_kip320() {
    let (mut leader, _) = started(1, metadata(1, 3, &[1, 2], 1));
    let stale = fetch(&mut leader, 10, None, 0, 2);
    assert_eq!(fetch_response(&stale).map(|r| r.error), Some(ErrorCode::FencedLeaderEpoch));
    let future = fetch(&mut leader, 10, None, 0, 4);
    assert_eq!(fetch_response(&future).map(|r| r.error), Some(ErrorCode::UnknownLeaderEpoch));
}

#[test]
fn a_follower_fetches_appends_and_takes_the_leaders_high_watermark() {
    let (mut follower, out) = started(2, metadata(1, 0, &[1, 2], 1));
    assert!(out.events.contains(&Event::BecameFollower { tp: tp(), leader: Some(BrokerId(1)), leader_epoch: 0 }));
    let (to, correlation_id, request) = sent(&out, "Fetch");
    assert_eq!(to, NodeId::broker(1));
    let Request::Fetch(f) = request else { unreachable!() };
    assert_eq!((f.replica_id, f.partitions[0].fetch_offset), (Some(BrokerId(2)), 0));

    let mut leader_log = PartitionLog::new();
    leader_log.append_as_leader(RecordBatch::data(vec![record(1), record(2), record(3)]), 0);
    let response = FetchResponse {
        partitions: vec![FetchPartitionResponse {
            tp: tp(),
            error: ErrorCode::None,
            high_watermark: 2,
            last_stable_offset: 2,
            log_start_offset: 0,
            log_end_offset: 3,
            diverging_epoch: None,
            batches: leader_log.read(0, u64::MAX, 3).unwrap(),
            aborted_transactions: vec![],
        }],
    };
    let mut out = Out::default();
    follower.on_message(
        20,
        NodeId::broker(1),
        Message::Response { correlation_id, response: Response::Fetch(response) },
        &mut out,
    );
    assert!(
        matches!(&out.events[0], Event::Appended { base_offset: 0, as_leader: false, values, .. } if values.len() == 3)
    );
    assert!(out.events.contains(&Event::HighWatermark { tp: tp(), high_watermark: 2, is_leader: false }));
    let (_, _, next) = sent(&out, "Fetch");
    let Request::Fetch(next) = next else { unreachable!() };
    assert_eq!(next.partitions[0].fetch_offset, 3, "the next fetch starts at the new log end");
}

#[test]
fn a_new_follower_truncates_where_offsets_for_leader_epoch_says() {
    // Broker 2 led epoch 0 and wrote three records; only the first two reached broker 1,
    // which now leads epoch 1.
    let mut disk = BrokerDisk::default();
    let mut log = PartitionLog::new();
    log.append_as_leader(RecordBatch::data(vec![record(1), record(2)]), 0);
    log.append_as_leader(RecordBatch::data(vec![record(3)]), 0);
    disk.logs.insert(tp(), log);
    let mut follower = Broker::new(BrokerId(2), BrokerConfig::defaults(), CONTROLLER, 1, disk);
    let mut out = Out::default();
    follower.on_start(0, &mut out);
    let (_, registration, _) = sent(&out, "BrokerRegistration");
    let (_, metadata_fetch, _) = sent(&out, "MetadataFetch");
    let mut out = Out::default();
    let response = Response::BrokerRegistration { error: ErrorCode::None, broker_epoch: 1 };
    follower.on_message(1, CONTROLLER, Message::Response { correlation_id: registration, response }, &mut out);
    let records = metadata(1, 1, &[1, 2], 1).into_iter().enumerate().map(|(i, r)| (i as Offset, r)).collect();
    let mut out = Out::default();
    let response = Response::MetadataFetch { error: ErrorCode::None, records };
    follower.on_message(2, CONTROLLER, Message::Response { correlation_id: metadata_fetch, response }, &mut out);

    let (_, correlation_id, request) = sent(&out, "OffsetsForLeaderEpoch");
    let Request::OffsetsForLeaderEpoch { partitions, .. } = request else { unreachable!() };
    assert_eq!(partitions, vec![(tp(), 1, 0)], "asks about its latest epoch, 0, under leader epoch 1");

    let answer = Response::OffsetsForLeaderEpoch { partitions: vec![(tp(), ErrorCode::None, 0, 2)] };
    let mut out = Out::default();
    follower.on_message(5, NodeId::broker(1), Message::Response { correlation_id, response: answer }, &mut out);
    assert_eq!(
        out.events,
        vec![Event::Truncated {
            tp: tp(),
            offset: 2,
            removed: vec![(2, ValueId { producer: 0, sequence: 3 })],
            cause: TruncationCause::LeaderEpoch
        }]
    );
    let (_, _, request) = sent(&out, "Fetch");
    let Request::Fetch(f) = request else { unreachable!() };
    assert_eq!(f.partitions[0].fetch_offset, 2);
}

#[test]
fn a_parked_follower_fetch_is_answered_by_the_append_that_feeds_it() {
    let (mut leader, _) = started(1, metadata(1, 0, &[1, 2], 1));
    let out = fetch(&mut leader, 10, Some(2), 0, 0);
    assert!(fetch_response(&out).is_none(), "an empty log parks the fetch for replica.fetch.wait.max.ms");
    // The append moves the log end offset: the parked fetch, watching this partition, is
    // answered in the same step, long before its 500 ms expire.
    let out = produce(&mut leader, 20, Acks::Leader, &[7]);
    let data = fetch_response(&out).expect("completed by the append");
    assert_eq!((data.error, data.batches.len()), (ErrorCode::None, 1));
    let out = produce(&mut leader, 30, Acks::Leader, &[8]);
    assert!(fetch_response(&out).is_none(), "answered fetches leave the purgatory and its watch lists");
}

/// Expires the fetch `out` parked (its `DelayedFetchTimeout`) and returns what the broker sent.
fn expire_parked_fetch(broker: &mut Broker, out: &Out) -> Out {
    let (at, timer) = out
        .timers
        .iter()
        .find(|(_, t)| matches!(t, BrokerTimer::DelayedFetchTimeout(_)))
        .cloned()
        .expect("the fetch was parked");
    let mut expired = Out::default();
    broker.on_timer(at, timer, &mut expired);
    expired
}

fn fetch_partitions(out: &Out) -> Option<usize> {
    out.sends.iter().find_map(|(_, m)| match m {
        Message::Response { response: Response::Fetch(f), .. } => Some(f.partitions.len()),
        _ => None,
    })
}

#[test]
fn a_follower_hears_only_about_partitions_with_something_new_kip227() {
    let (mut leader, _) = started(1, metadata(1, 0, &[1, 2], 1));
    produce(&mut leader, 10, Acks::Leader, &[7]);
    let out = fetch_knowing(&mut leader, 11, Some(2), 0, 0, Some(0));
    assert_eq!(fetch_response(&out).map(|p| p.batches.len()), Some(1), "records are always sent");

    // At offset 1 the follower has everything, but the leader's high watermark moved to 1 on
    // this very fetch and the follower still has 0: the partition must be in the answer.
    let parked = fetch_knowing(&mut leader, 12, Some(2), 1, 0, Some(0));
    assert_eq!(fetch_partitions(&parked), None, "no records: parked for replica.fetch.wait.max.ms");
    let out = expire_parked_fetch(&mut leader, &parked);
    let answer = fetch_response(&out).expect("a high watermark the follower lacks is news");
    assert_eq!((answer.batches.len(), answer.high_watermark), (0, 1));

    // Now the follower has the records and the high watermark: nothing to say about it.
    let parked = fetch_knowing(&mut leader, 600, Some(2), 1, 0, Some(1));
    let out = expire_parked_fetch(&mut leader, &parked);
    assert_eq!(fetch_partitions(&out), Some(0), "an idle partition is left out of the response");

    // A consumer (no fetcher high watermark) always gets every partition it asked for.
    let parked = fetch_knowing(&mut leader, 1200, None, 1, 0, None);
    let out = expire_parked_fetch(&mut leader, &parked);
    assert_eq!(fetch_partitions(&out), Some(1));
}
