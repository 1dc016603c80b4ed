//! Becoming leader or follower when the metadata says so (`ReplicaManager.applyDelta`,
//! `Partition.makeLeader`, `Partition.makeFollower`).

use super::*;
use crate::history::{Event, TruncationCause};
use crate::protocol::config::broker::TruncationMode;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::PartitionLog;

impl Broker {
    pub(super) fn apply_partition_metadata(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let registration = self.image.partitions[tp].clone();
        if !registration.replicas.contains(&self.id) {
            return; // reassignment away from this broker is not modelled
        }
        let segment_bytes =
            self.image.topic_config(&tp.topic).map_or(self.config.log_segment_bytes, |c| c.segment_bytes);
        self.disk.logs.entry(tp.clone()).or_insert_with(|| PartitionLog::with_segment_bytes(segment_bytes));
        let state = self.partitions.entry(tp.clone()).or_insert_with(|| PartitionState {
            replicas: registration.replicas.clone(),
            leader_epoch: -1,
            partition_epoch: -1,
            role: Role::None,
        });
        let is_leader = matches!(state.role, Role::Leader(_));
        let newer_epoch = registration.leader_epoch > state.leader_epoch;
        if registration.leader == Some(self.id) {
            if !is_leader || newer_epoch {
                self.make_leader(now, tp, out);
            } else if registration.partition_epoch > state.partition_epoch {
                // Our own AlterPartition (or the controller fencing a follower) changed the ISR.
                state.partition_epoch = registration.partition_epoch;
                if let Role::Leader(leader) = &mut state.role {
                    leader.isr = registration.isr.clone();
                    leader.pending = None;
                }
                self.maybe_increment_high_watermark(now, tp, out);
            }
        } else {
            let follows_same_leader = matches!(state.role, Role::Follower { leader } if leader == registration.leader);
            if !follows_same_leader || newer_epoch {
                self.make_follower(now, tp, out);
            } else {
                state.partition_epoch = registration.partition_epoch;
            }
        }
    }

    fn make_leader(&mut self, now: SimTime, tp: &TopicPartition, out: &mut Outbox<BrokerTimer>) {
        let registration = self.image.partitions[tp].clone();
        self.stop_fetching(tp);
        let log = self.disk.logs.get_mut(tp).expect("log created before roles");
        log.assign_epoch_start_offset(registration.leader_epoch);
        let leader =
            LeaderState::new(self.id, &registration.replicas, registration.isr.clone(), log.log_end_offset(), now);
        let state = self.partitions.get_mut(tp).expect("state created before roles");
        state.replicas = registration.replicas.clone();
        state.leader_epoch = registration.leader_epoch;
        state.partition_epoch = registration.partition_epoch;
        state.role = Role::Leader(leader);
        out.record(Event::BecameLeader { tp: tp.clone(), leader_epoch: registration.leader_epoch });
        self.maybe_increment_high_watermark(now, tp, out);
        self.on_offsets_leadership(now, tp, true, out);
        self.on_transaction_state_leadership(now, tp, true, out);
    }

    fn make_follower(&mut self, now: SimTime, tp: &TopicPartition, out: &mut Outbox<BrokerTimer>) {
        let registration = self.image.partitions[tp].clone();
        self.fail_delayed_produces_for(now, tp, out);
        self.on_offsets_leadership(now, tp, false, out);
        self.on_transaction_state_leadership(now, tp, false, out);
        self.stop_fetching(tp);
        let state = self.partitions.get_mut(tp).expect("state created before roles");
        state.replicas = registration.replicas.clone();
        state.leader_epoch = registration.leader_epoch;
        state.partition_epoch = registration.partition_epoch;
        state.role = Role::Follower { leader: registration.leader };
        out.record(Event::BecameFollower {
            tp: tp.clone(),
            leader: registration.leader,
            leader_epoch: registration.leader_epoch,
        });
        // Fetches parked on this partition get their NOT_LEADER_OR_FOLLOWER now, not at expiry.
        self.try_complete_delayed_fetches(now, std::slice::from_ref(tp), out);
        let Some(leader) = registration.leader.filter(|l| *l != self.id) else { return };
        let log = self.disk.logs.get(tp).expect("log created before roles");
        let fetch_state = match self.config.truncation {
            // Before KIP-101 a follower simply cut its log back to its high watermark.
            TruncationMode::HighWatermark => {
                let hw = log.high_watermark();
                self.truncate(tp, hw, TruncationCause::HighWatermark, out);
                FetchState::Fetching { delayed_until_ms: 0 }
            }
            // A log with no epochs has nothing to compare: truncate to the high watermark.
            _ if log.latest_epoch().is_none() => {
                let hw = log.high_watermark();
                self.truncate(tp, hw, TruncationCause::HighWatermark, out);
                FetchState::Fetching { delayed_until_ms: 0 }
            }
            _ => FetchState::Truncating { delayed_until_ms: 0 },
        };
        self.fetchers.entry(leader).or_default().partitions.insert(tp.clone(), fetch_state);
        self.pump_fetcher(now, leader, out);
    }

    fn stop_fetching(&mut self, tp: &TopicPartition) {
        for fetcher in self.fetchers.values_mut() {
            fetcher.partitions.remove(tp);
        }
    }

    /// Truncates a replica's log and records what was removed.
    pub(super) fn truncate(
        &mut self,
        tp: &TopicPartition,
        offset: Offset,
        cause: TruncationCause,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let log = self.disk.logs.get_mut(tp).expect("truncating a hosted log");
        let hw_before = log.high_watermark();
        let removed = log.truncate_to(offset);
        if removed.is_empty() {
            return;
        }
        let removed_records: Vec<(Offset, ValueId)> = removed
            .iter()
            .flat_map(|b| b.offsets_and_records().map(|(o, r)| (o, r.value)))
            .filter(|(o, _)| *o >= offset)
            .collect();
        out.record(Event::Truncated { tp: tp.clone(), offset, removed: removed_records, cause });
        if log.high_watermark() != hw_before {
            out.record(Event::HighWatermark { tp: tp.clone(), high_watermark: log.high_watermark(), is_leader: false });
        }
    }

    pub(super) fn fail_delayed_produces_for(
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
            if let Some(delayed) = self.delayed_produces.get_mut(&id) {
                for (t, _, response, done) in delayed.partitions.iter_mut() {
                    if t == tp && !*done {
                        response.error = ErrorCode::NotLeaderOrFollower;
                        *done = true;
                    }
                }
            }
            self.maybe_complete_delayed_produce(now, id, out);
        }
    }
}
