//! The coordinator's state machine, stepped by hand: every append is acknowledged at once.

use super::coordinator::*;
use super::metadata::TransactionState;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::ControlType;
use crate::protocol::message::Response;
use crate::protocol::types::*;

const ID: &str = "tx-1";

fn coordinator(bump: bool) -> TransactionCoordinator {
    let config = TxnCoordinatorConfig {
        transaction_state_log_num_partitions: 1,
        transaction_max_timeout_ms: 900_000,
        abort_timed_out_transaction_cleanup_interval_ms: 10_000,
        bump_epoch_on_end_txn: bump,
    };
    let mut c = TransactionCoordinator::new(BrokerId(1), 0, config);
    c.load(0, 0, std::iter::empty(), &mut TxnOut::default());
    c
}

/// Acknowledges every append the step asked for, feeding the follow-ups back in.
fn settle(c: &mut TransactionCoordinator, now: SimTime, mut out: TxnOut) -> TxnOut {
    let mut all = TxnOut::default();
    loop {
        let appends = std::mem::take(&mut out.appends);
        all.responses.append(&mut out.responses);
        all.markers.append(&mut out.markers);
        if appends.is_empty() {
            return all;
        }
        for append in appends {
            c.on_append_complete(now, append, ErrorCode::None, &mut out);
        }
    }
}

fn init(c: &mut TransactionCoordinator, now: SimTime) -> Response {
    let mut out = TxnOut::default();
    c.handle_init_producer_id(now, (NodeId::Client(0), 1), ID.into(), 60_000, &mut out);
    settle(c, now, out).responses.pop().expect("answered").2
}

/// A new producer with an ongoing transaction on partition `t-0`: its producer id and the partition.
fn ongoing(c: &mut TransactionCoordinator) -> (ProducerId, TopicPartition) {
    let Response::InitProducerId { producer_id, producer_epoch: 0, .. } = init(c, 0) else { panic!() };
    let tp = TopicPartition::new("t", 0);
    let mut out = TxnOut::default();
    c.handle_add_partitions(1, (NodeId::Client(0), 2), (ID.into(), producer_id, 0), vec![tp.clone()], &mut out);
    settle(c, 1, out);
    assert_eq!(c.transaction(ID).unwrap().state, TransactionState::Ongoing);
    (producer_id, tp)
}

fn end(c: &mut TransactionCoordinator, producer_id: ProducerId, commit: bool) -> TxnOut {
    let mut out = TxnOut::default();
    c.handle_end_txn((NodeId::Client(0), 3), (ID.into(), producer_id, 0), commit, &mut out);
    settle(c, 2, out)
}

#[test]
fn commit_goes_through_prepare_markers_and_complete() {
    let mut c = coordinator(false);
    let (producer_id, tp) = ongoing(&mut c);
    let out = end(&mut c, producer_id, true);
    assert_eq!(c.transaction(ID).unwrap().state, TransactionState::PrepareCommit);
    assert_eq!(out.markers[0].control, ControlType::Commit);
    assert_eq!(out.markers[0].partitions, vec![tp.clone()]);
    let mut out = TxnOut::default();
    c.on_markers_result(3, ID, vec![(tp, ErrorCode::None)], &mut out);
    settle(&mut c, 3, out);
    assert_eq!(c.transaction(ID).unwrap().state, TransactionState::CompleteCommit);
}

#[test]
fn a_new_producer_fences_the_old_one_and_aborts_its_open_transaction() {
    let mut c = coordinator(false);
    let (producer_id, tp) = ongoing(&mut c);
    let Response::InitProducerId { error, .. } = init(&mut c, 2) else { panic!() };
    assert_eq!(error, ErrorCode::ConcurrentTransactions, "the open transaction is aborted first");
    let mut out = TxnOut::default();
    c.on_markers_result(3, ID, vec![(tp.clone(), ErrorCode::None)], &mut out);
    settle(&mut c, 3, out);
    assert_eq!(c.transaction(ID).unwrap().state, TransactionState::CompleteAbort);
    let Response::InitProducerId { error, producer_epoch, .. } = init(&mut c, 4) else { panic!() };
    assert_eq!((error, producer_epoch), (ErrorCode::None, 2), "fenced once by the abort, once by the init");
    let mut out = TxnOut::default();
    c.handle_add_partitions(5, (NodeId::Client(1), 9), (ID.into(), producer_id, 0), vec![tp], &mut out);
    let Response::AddPartitionsToTxn { results } = &out.responses[0].2 else { panic!() };
    assert_eq!(results[0].1, ErrorCode::ProducerFenced);
}

#[test]
fn kip_890_bumps_the_epoch_at_every_end_and_the_markers_carry_it() {
    let mut c = coordinator(true);
    let (producer_id, _) = ongoing(&mut c);
    let out = end(&mut c, producer_id, false);
    assert_eq!(out.markers[0].producer_epoch, 1);
    assert!(matches!(out.responses[0].2, Response::EndTxn { error: ErrorCode::None, producer_epoch: 1, .. }));
}

#[test]
fn open_transactions_past_their_timeout_are_aborted_with_a_new_epoch() {
    let mut c = coordinator(false);
    ongoing(&mut c);
    let mut out = TxnOut::default();
    c.on_timer(70_000, TxnTimer::AbortTimedOut, &mut out);
    let out = settle(&mut c, 70_000, out);
    assert_eq!(c.transaction(ID).unwrap().state, TransactionState::PrepareAbort);
    assert_eq!((out.markers[0].control, out.markers[0].producer_epoch), (ControlType::Abort, 1));
}

#[test]
fn failed_markers_from_several_leaders_are_retried_once_per_backoff() {
    let mut c = coordinator(false);
    let (producer_id, t0) = ongoing(&mut c);
    let t1 = TopicPartition::new("t", 1);
    let mut out = TxnOut::default();
    c.handle_add_partitions(1, (NodeId::Client(0), 4), (ID.into(), producer_id, 0), vec![t1.clone()], &mut out);
    settle(&mut c, 1, out);
    let sent = end(&mut c, producer_id, false);
    assert_eq!(sent.markers.len(), 1);
    // The two partitions' leaders both answer with an error: one retry, not two.
    let mut out = TxnOut::default();
    c.on_markers_result(3, ID, vec![(t0, ErrorCode::NotEnoughReplicas)], &mut out);
    c.on_markers_result(3, ID, vec![(t1, ErrorCode::RequestTimedOut)], &mut out);
    assert_eq!(out.timers.len(), 1, "{:?}", out.timers);
    let (_, timer) = out.timers.pop().unwrap();
    let mut out = TxnOut::default();
    c.on_timer(103, timer, &mut out);
    assert_eq!(out.markers.len(), 1, "the retry resends both partitions' markers at once");
    assert_eq!(out.markers[0].partitions.len(), 2);
}
