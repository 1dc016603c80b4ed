//! The leader's ISR maintenance and high watermark (`Partition.maybeShrinkIsr`,
//! `maybeExpandIsr`, `maybeIncrementLeaderHW`) and its AlterPartition requests
//! (`AlterPartitionManager`). The rules themselves live in `replica::leader`.

use super::*;
use crate::history::Event;
use crate::protocol::errors::ErrorCode;
use crate::protocol::replica::leader::PendingIsrChange;

impl Broker {
    fn is_isr_eligible(&self, broker: BrokerId) -> bool {
        self.image.is_active(broker)
    }

    pub(super) fn maybe_increment_high_watermark(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let Some(leader) = self.partitions.get(tp).and_then(|s| s.leader_state()) else { return };
        let min_isr = self.image.topic_config(&tp.topic).map_or(1, |c| c.min_insync_replicas);
        let log = &self.disk.logs[tp];
        let candidate = leader.candidate_high_watermark(
            log.log_end_offset(),
            now,
            self.config.replica_lag_time_max_ms,
            min_isr,
            |b| self.image.is_active(b),
        );
        let Some(candidate) = candidate else { return };
        // The leader's high watermark never moves back (unless a planted bug makes it).
        let Some(candidate) =
            LeaderState::next_high_watermark(log.high_watermark(), candidate, self.config.planted_bug)
        else {
            return;
        };
        let log = self.disk.logs.get_mut(tp).expect("leader hosts its log");
        log.set_high_watermark(candidate);
        out.record(Event::HighWatermark { tp: tp.clone(), high_watermark: candidate, is_leader: true });
        self.try_complete_delayed_produces(now, tp, out);
        self.try_complete_delayed_fetches(now, std::slice::from_ref(tp), out);
    }

    pub(super) fn maybe_expand_isr(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        follower: BrokerId,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let eligible = self.is_isr_eligible(follower);
        let Some(leader) = self.partitions.get(tp).and_then(|s| s.leader_state()) else { return };
        let hw = self.disk.logs[tp].high_watermark();
        if !leader.needs_expand_isr(follower, hw, |_| eligible) {
            return;
        }
        let mut proposed = leader.isr.clone();
        proposed.push(follower);
        self.send_alter_partition(now, tp, proposed, out);
    }

    pub(super) fn on_isr_expiration(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        let mut shrinks = Vec::new();
        for (tp, state) in &self.partitions {
            let Some(leader) = state.leader_state() else { continue };
            if leader.pending.is_some() {
                continue;
            }
            let leo = self.disk.logs[tp].log_end_offset();
            let out_of_sync = leader.out_of_sync_replicas(leo, now, self.config.replica_lag_time_max_ms);
            if !out_of_sync.is_empty() {
                let proposed: Vec<BrokerId> = leader.isr.iter().copied().filter(|b| !out_of_sync.contains(b)).collect();
                shrinks.push((tp.clone(), proposed));
            }
        }
        for (tp, proposed) in shrinks {
            self.send_alter_partition(now, &tp, proposed, out);
        }
        out.set_timer(now + (self.config.replica_lag_time_max_ms / 2).max(1), BrokerTimer::IsrExpiration);
    }

    fn send_alter_partition(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        proposed_isr: Vec<BrokerId>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let Some(broker_epoch) = self.broker_epoch else { return };
        let Some(state) = self.partitions.get(tp) else { return };
        let item = AlterPartitionItem {
            tp: tp.clone(),
            leader_epoch: state.leader_epoch,
            partition_epoch: state.partition_epoch,
            new_isr: proposed_isr.clone(),
        };
        let leader_epoch = state.leader_epoch;
        let request = Request::AlterPartition { broker: self.id, broker_epoch, items: vec![item] };
        let correlation_id = self.send_request(
            now,
            self.controller,
            request,
            Pending::AlterPartition { tp: tp.clone() },
            CONTROLLER_REQUEST_TIMEOUT_MS,
            out,
        );
        if let Some(Role::Leader(leader)) = self.partitions.get_mut(tp).map(|s| &mut s.role) {
            leader.pending =
                Some(PendingIsrChange { proposed_isr: proposed_isr.clone(), correlation_id, sent_ms: now });
        }
        out.record(Event::IsrChangeRequested { tp: tp.clone(), isr: proposed_isr, leader_epoch });
    }

    pub(super) fn on_alter_partition_response(
        &mut self,
        now: SimTime,
        correlation_id: u64,
        tp: TopicPartition,
        error: ErrorCode,
        results: Vec<AlterPartitionResult>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let Some(state) = self.partitions.get_mut(&tp) else { return };
        let Role::Leader(leader) = &mut state.role else { return };
        if leader.pending.as_ref().map(|p| p.correlation_id) != Some(correlation_id) {
            return; // an answer to an older request
        }
        leader.pending = None;
        if !error.is_none() {
            return;
        }
        for result in results {
            if result.tp != tp || !result.error.is_none() {
                continue; // rejected: wait for the metadata to tell us the current state
            }
            if let Some(registration) = result.registration {
                if registration.leader_epoch == state.leader_epoch
                    && registration.partition_epoch > state.partition_epoch
                {
                    state.partition_epoch = registration.partition_epoch;
                    leader.isr = registration.isr;
                }
            }
        }
        self.maybe_increment_high_watermark(now, &tp, out);
        self.try_complete_delayed_produces(now, &tp, out);
    }

    pub(super) fn on_alter_partition_failed(&mut self, tp: &TopicPartition) {
        if let Some(Role::Leader(leader)) = self.partitions.get_mut(tp).map(|s| &mut s.role) {
            // No answer: forget the proposal; the next check proposes again if still needed.
            leader.pending = None;
        }
    }
}
