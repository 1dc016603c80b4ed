//! Produce handling on the leader (`KafkaApis.handleProduceRequest`,
//! `ReplicaManager.appendRecords`, `Partition.appendRecordsToLeader`) and the acks=all
//! purgatory (`DelayedProduce`).
//!
//! - Not the leader: NOT_LEADER_OR_FOLLOWER.
//! - acks=all with fewer in-sync replicas than `min.insync.replicas`: NOT_ENOUGH_REPLICAS, and
//!   nothing is appended.
//! - acks=0: no response at all; acks=1: answered after the leader's own append;
//!   acks=all: answered once the high watermark passes the batch, with
//!   NOT_ENOUGH_REPLICAS_AFTER_APPEND if by then the ISR is below `min.insync.replicas`, or
//!   REQUEST_TIMED_OUT after the request's `timeout.ms` (the producer's `request.timeout.ms`).

use super::*;
use crate::history::Event;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::producer_state::SequenceCheck;
use crate::protocol::log::RecordBatch;

impl Broker {
    /// InitProducerId for an idempotent producer. Kafka hands out ids from blocks the controller
    /// allocates (KIP-730); here each broker numbers its own, unique per broker and incarnation.
    pub(super) fn handle_init_producer_id(&mut self, from: NodeId, correlation_id: u64, out: &mut Outbox<BrokerTimer>) {
        self.next_producer_id += 1;
        let producer_id = ((self.incarnation as i64) * 1_000 + self.id.0 as i64) * 1_000_000 + self.next_producer_id;
        Self::respond(
            out,
            from,
            correlation_id,
            Response::InitProducerId { error: ErrorCode::None, producer_id, producer_epoch: 0 },
        );
    }

    pub(super) fn handle_produce(
        &mut self,
        now: SimTime,
        from: NodeId,
        correlation_id: u64,
        request: ProduceRequest,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut results: Vec<(TopicPartition, Offset, ProducePartitionResponse, bool)> = Vec::new();
        let mut appended: Vec<TopicPartition> = Vec::new();
        for (tp, batch) in request.partitions {
            let (response, required_offset) = self.append_to_leader(now, &tp, batch, request.acks, out);
            let done = !response.error.is_none() || request.acks != Acks::All;
            if response.error.is_none() {
                appended.push(tp.clone());
            }
            results.push((tp, required_offset, response, done));
        }
        for tp in &appended {
            self.maybe_increment_high_watermark(now, tp, out);
        }
        self.try_complete_delayed_fetches(now, &appended, out);
        if request.acks == Acks::None {
            return;
        }
        self.delay_produce(now, DelayedReply::Client { from, correlation_id }, results, request.timeout_ms, out);
    }

    /// Parks a produce until its partitions' high watermarks pass the appended batches.
    pub(super) fn delay_produce(
        &mut self,
        now: SimTime,
        reply: DelayedReply,
        partitions: Vec<(TopicPartition, Offset, ProducePartitionResponse, bool)>,
        timeout_ms: u64,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let id = self.next_delayed_id;
        self.next_delayed_id += 1;
        self.delayed_produces.insert(id, DelayedProduce { reply, partitions });
        if !self.maybe_complete_delayed_produce(now, id, out) {
            out.set_timer(now + timeout_ms, BrokerTimer::DelayedProduceTimeout(id));
        }
    }

    /// Appends one partition's batch if this broker may; returns the response so far and the
    /// offset the high watermark must reach for acks=all.
    pub(super) fn append_to_leader(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        batch: RecordBatch,
        acks: Acks,
        out: &mut Outbox<BrokerTimer>,
    ) -> (ProducePartitionResponse, Offset) {
        let mut response =
            ProducePartitionResponse { tp: tp.clone(), error: ErrorCode::None, base_offset: -1, log_start_offset: -1 };
        let Some(state) = self.partitions.get(tp) else {
            response.error = if self.image.partitions.contains_key(tp) {
                ErrorCode::NotLeaderOrFollower
            } else {
                ErrorCode::UnknownTopicOrPartition
            };
            return (response, 0);
        };
        let Role::Leader(leader) = &state.role else {
            response.error = ErrorCode::NotLeaderOrFollower;
            return (response, 0);
        };
        let topic_config = self.image.topic_config(&tp.topic).cloned().expect("a hosted partition's topic is known");
        if acks == Acks::All && leader.is_under_min_isr(topic_config.min_insync_replicas) {
            response.error = ErrorCode::NotEnoughReplicas;
            return (response, 0);
        }
        let leader_epoch = state.leader_epoch;
        let log = self.disk.logs.get_mut(tp).expect("leader hosts its log");
        match log.check_producer_sequence(&batch) {
            SequenceCheck::Append => {}
            SequenceCheck::Duplicate { first_offset } => {
                // Already written: answer as the first time, append nothing.
                response.base_offset = first_offset;
                response.log_start_offset = log.log_start_offset();
                return (response, first_offset + batch.record_count());
            }
            SequenceCheck::Reject(error) => {
                response.error = error;
                return (response, 0);
            }
        }
        let stored = log.append_as_leader(batch, leader_epoch);
        response.base_offset = stored.base_offset;
        let required_offset = stored.next_offset();
        out.record(Event::Appended {
            tp: tp.clone(),
            base_offset: stored.base_offset,
            leader_epoch,
            values: stored.records.iter().map(|r| r.value).collect(),
            control: stored.control,
            as_leader: true,
        });
        log.maybe_flush(now, topic_config.flush_messages, topic_config.flush_ms);
        response.log_start_offset = log.log_start_offset();
        (response, required_offset)
    }

    /// Completes what can be completed of an acks=all produce; answers when all is done.
    /// Returns true when the produce was answered.
    pub(super) fn maybe_complete_delayed_produce(
        &mut self,
        now: SimTime,
        id: u64,
        out: &mut Outbox<BrokerTimer>,
    ) -> bool {
        // Updated in place and removed only once complete: most checks (one per high-watermark
        // move of any of its partitions) leave a delayed produce waiting.
        let Some(delayed) = self.delayed_produces.get_mut(&id) else { return true };
        for (tp, required_offset, response, done) in delayed.partitions.iter_mut() {
            if *done {
                continue;
            }
            let leader = self.partitions.get(tp).and_then(|s| s.leader_state());
            let Some(leader) = leader else {
                response.error = ErrorCode::NotLeaderOrFollower;
                *done = true;
                continue;
            };
            let log = &self.disk.logs[tp];
            if log.high_watermark() >= *required_offset {
                let min_isr = self.image.topic_config(&tp.topic).map_or(1, |c| c.min_insync_replicas);
                if leader.maximal_isr_len() < leader.effective_min_isr(min_isr) {
                    response.error = ErrorCode::NotEnoughReplicasAfterAppend;
                }
                *done = true;
            }
        }
        if delayed.partitions.iter().all(|(.., done)| *done) {
            let delayed = self.delayed_produces.remove(&id).expect("looked up above");
            let partitions: Vec<ProducePartitionResponse> =
                delayed.partitions.into_iter().map(|(_, _, r, _)| r).collect();
            match delayed.reply {
                DelayedReply::Client { from, correlation_id } => {
                    Self::respond(out, from, correlation_id, Response::Produce { partitions })
                }
                DelayedReply::Coordinator(purpose) => {
                    let error = partitions.first().map_or(ErrorCode::None, |p| p.error);
                    let mut coordinator_out = Default::default();
                    self.group_coordinator.on_append_complete(now, purpose, error, &mut coordinator_out);
                    self.apply_coordinator_out(now, coordinator_out, out);
                }
                DelayedReply::TxnCoordinator(append) => {
                    let error = partitions.first().map_or(ErrorCode::None, |p| p.error);
                    let mut txn_out = Default::default();
                    self.txn_coordinator.on_append_complete(now, *append, error, &mut txn_out);
                    self.apply_txn_out(now, txn_out, out);
                }
                DelayedReply::TxnMarkers { from, correlation_id } => {
                    let results = partitions.into_iter().map(|p| (p.tp, p.error)).collect();
                    Self::respond(out, from, correlation_id, Response::WriteTxnMarkers { results })
                }
                DelayedReply::LocalTxnMarkers { transactional_id } => {
                    let results = partitions.into_iter().map(|p| (p.tp, p.error)).collect();
                    self.on_txn_markers_result(now, &transactional_id, results, out);
                }
            }
            true
        } else {
            false
        }
    }

    /// The high watermark of `tp` moved, or its leadership changed.
    pub(super) fn try_complete_delayed_produces(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let ids: Vec<u64> = self
            .delayed_produces
            .iter()
            .filter(|(_, d)| d.partitions.iter().any(|(t, ..)| t == tp))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.maybe_complete_delayed_produce(now, id, out);
        }
    }

    pub(super) fn expire_delayed_produce(&mut self, now: SimTime, id: u64, out: &mut Outbox<BrokerTimer>) {
        if let Some(delayed) = self.delayed_produces.get_mut(&id) {
            for (_, _, response, done) in delayed.partitions.iter_mut() {
                if !*done {
                    response.error = ErrorCode::RequestTimedOut;
                    *done = true;
                }
            }
            self.maybe_complete_delayed_produce(now, id, out);
        }
    }
}
