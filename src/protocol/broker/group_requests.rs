//! The broker's side of consumer groups: FindCoordinator, handing group requests to its
//! `GroupCoordinator`, appending the coordinator's records to `__consumer_offsets` with acks=all,
//! and loading or unloading groups as it gains or loses leadership of an offsets partition
//! (`KafkaApis` group handlers, `GroupMetadataManager.storeGroup/storeOffsets`).

use super::*;
use crate::protocol::errors::ErrorCode;
use crate::protocol::group::coordinator::{CoordinatorOut, CONSUMER_OFFSETS_TOPIC};
use crate::protocol::log::internal::InternalRecord;
use crate::protocol::log::RecordBatch;
use std::sync::Arc;

impl Broker {
    fn offsets_partition(partition: i32) -> TopicPartition {
        TopicPartition::new(CONSUMER_OFFSETS_TOPIC, partition)
    }

    pub(super) fn handle_find_coordinator(
        &mut self,
        from: NodeId,
        correlation_id: u64,
        key: String,
        key_type: CoordinatorType,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let response = match key_type {
            CoordinatorType::Group => {
                let tp = Self::offsets_partition(self.group_coordinator.partition_for(&key));
                match self.image.partitions.get(&tp).and_then(|p| p.leader) {
                    Some(leader) => Response::FindCoordinator { error: ErrorCode::None, coordinator: Some(leader) },
                    None => Response::FindCoordinator { error: ErrorCode::CoordinatorNotAvailable, coordinator: None },
                }
            }
            CoordinatorType::Transaction => self.find_transaction_coordinator(&key),
        };
        Self::respond(out, from, correlation_id, response);
    }

    pub(super) fn handle_group_request(
        &mut self,
        now: SimTime,
        reply: (NodeId, u64),
        request: Request,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut c = CoordinatorOut::default();
        let coordinator = &mut self.group_coordinator;
        match request {
            Request::JoinGroup(join) => coordinator.handle_join(now, reply, join, &mut c),
            Request::SyncGroup { group_id, generation_id, member_id, assignments, .. } => {
                coordinator.handle_sync(now, reply, (group_id, generation_id, member_id), assignments, &mut c)
            }
            Request::Heartbeat { group_id, generation_id, member_id, .. } => {
                coordinator.handle_heartbeat(now, reply, (group_id, generation_id, member_id), &mut c)
            }
            Request::LeaveGroup { group_id, member_id, .. } => {
                coordinator.handle_leave(now, reply, group_id, member_id, &mut c)
            }
            Request::OffsetCommit { group_id, generation_id, member_id, offsets, .. } => {
                coordinator.handle_offset_commit(now, reply, (group_id, generation_id, member_id), offsets, &mut c)
            }
            Request::OffsetFetch { group_id, partitions } => {
                coordinator.handle_offset_fetch(reply, group_id, partitions, &mut c)
            }
            other => panic!("not a group request: {}", other.api_name()),
        }
        self.apply_coordinator_out(now, c, out);
    }

    /// Carries out what the coordinator asked for.
    pub(super) fn apply_coordinator_out(&mut self, now: SimTime, c: CoordinatorOut, out: &mut Outbox<BrokerTimer>) {
        for (to, correlation_id, response) in c.responses {
            Self::respond(out, to, correlation_id, response);
        }
        for (at, timer) in c.timers {
            out.set_timer(at, BrokerTimer::Coordinator(timer));
        }
        for event in c.events {
            out.record(event);
        }
        for (partition, records, purpose) in c.appends {
            self.append_for_coordinator(now, partition, records, purpose, out);
        }
    }

    /// Appends coordinator records as leader of `__consumer_offsets-<partition>`; the coordinator
    /// hears back once they are replicated (acks=all) or the append fails.
    fn append_for_coordinator(
        &mut self,
        now: SimTime,
        partition: i32,
        records: Vec<InternalRecord>,
        purpose: AppendPurpose,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let tp = Self::offsets_partition(partition);
        let records = records
            .into_iter()
            .map(|internal| {
                self.next_internal_value += 1;
                let sequence = (self.incarnation << 48) | ((self.id.0 as u64) << 32) | self.next_internal_value;
                let mut record = Record::data(None, ValueId { producer: INTERNAL_PRODUCER, sequence }, 60, now);
                record.internal = Some(Arc::new(internal));
                record
            })
            .collect();
        let (response, required_offset) = self.append_to_leader(now, &tp, RecordBatch::data(records), Acks::All, out);
        let done = !response.error.is_none();
        let partitions = vec![(tp.clone(), required_offset, response, done)];
        self.maybe_increment_high_watermark(now, &tp, out);
        self.try_complete_delayed_fetches(now, std::slice::from_ref(&tp), out);
        let timeout = self.config.offsets_commit_timeout_ms;
        self.delay_produce(now, DelayedReply::Coordinator(purpose), partitions, timeout, out);
    }

    /// Leadership of an offsets partition moved to or from this broker.
    pub(super) fn on_offsets_leadership(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        leader: bool,
        out: &mut Outbox<BrokerTimer>,
    ) {
        if &*tp.topic != CONSUMER_OFFSETS_TOPIC {
            return;
        }
        let mut c = CoordinatorOut::default();
        if leader {
            let log = &self.disk.logs[tp];
            let records: Vec<InternalRecord> =
                log.batches().flat_map(|b| b.records.iter()).filter_map(|r| r.internal.as_deref().cloned()).collect();
            self.group_coordinator.load(now, tp.partition, records.iter(), &mut c);
        } else {
            self.group_coordinator.unload(tp.partition, &mut c);
        }
        self.apply_coordinator_out(now, c, out);
    }
}
