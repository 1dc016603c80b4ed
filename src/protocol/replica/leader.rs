//! The leader's view of its followers, ISR changes and the high watermark, as in
//! `kafka.cluster.Partition` and `kafka.cluster.Replica`.
//!
//! - A follower is *caught up* when its log end offset equals the leader's, or when it reached
//!   the leader's log end offset as it was at its previous fetch, within `replica.lag.time.max.ms`
//!   (`Replica.updateFetchStateOrThrow`, `isCaughtUp`). A follower in the ISR that is not caught
//!   up for that long is removed (`getOutOfSyncReplicas`).
//! - A follower rejoins the ISR when its log end offset has reached the high watermark *and* the
//!   start offset of the leader's epoch (KIP-320: it must hold this epoch's data), and it is
//!   eligible (registered and unfenced, KIP-841) (`needsExpandIsr`).
//! - One AlterPartition at a time. While one is pending, the "maximal ISR" (KIP-497) — the wider
//!   of the old and proposed ISR — is what the high watermark waits for.
//! - The high watermark is the smallest log end offset over the maximal ISR and every replica
//!   caught up and eligible to join it; it never moves back (unless the planted bug
//!   `high-watermark-follows-isr-minimum` is on), and it does not move at all while the
//!   committed ISR is smaller than `min.insync.replicas` (KIP-966, Kafka 3.7+).

use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::types::*;
use std::collections::BTreeMap;

/// What the leader knows about one follower (`ReplicaState`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerState {
    /// `None` until the follower's first fetch since this broker became leader.
    pub log_end_offset: Option<Offset>,
    pub last_caught_up_time_ms: SimTime,
    pub last_fetch_leader_log_end_offset: Offset,
    pub last_fetch_time_ms: SimTime,
}

impl FollowerState {
    fn is_caught_up(&self, leader_log_end_offset: Offset, now: SimTime, replica_lag_time_max_ms: u64) -> bool {
        self.log_end_offset == Some(leader_log_end_offset)
            || now.saturating_sub(self.last_caught_up_time_ms) <= replica_lag_time_max_ms
    }
}

/// An AlterPartition in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingIsrChange {
    pub proposed_isr: Vec<BrokerId>,
    pub correlation_id: u64,
    pub sent_ms: SimTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderState {
    pub me: BrokerId,
    /// The ISR committed in the metadata (what acks=all and min.insync.replicas check).
    pub isr: Vec<BrokerId>,
    pub pending: Option<PendingIsrChange>,
    pub followers: BTreeMap<BrokerId, FollowerState>,
    /// The log end offset when this leader epoch began (`leaderEpochStartOffsetOpt`).
    pub leader_epoch_start_offset: Offset,
}

impl LeaderState {
    /// `Partition.makeLeader`: followers start with unknown log end offsets; ISR members count
    /// as caught up now, so they are not expelled before they had a chance to fetch.
    pub fn new(
        me: BrokerId,
        replicas: &[BrokerId],
        isr: Vec<BrokerId>,
        leader_epoch_start_offset: Offset,
        now: SimTime,
    ) -> LeaderState {
        let followers = replicas
            .iter()
            .filter(|b| **b != me)
            .map(|b| {
                let in_sync = isr.contains(b);
                (
                    *b,
                    FollowerState {
                        log_end_offset: None,
                        last_caught_up_time_ms: if in_sync { now } else { 0 },
                        last_fetch_leader_log_end_offset: leader_epoch_start_offset,
                        last_fetch_time_ms: if in_sync { now } else { 0 },
                    },
                )
            })
            .collect();
        LeaderState { me, isr, pending: None, followers, leader_epoch_start_offset }
    }

    /// The ISR the high watermark must wait for: during a pending expansion the proposed (wider)
    /// ISR, during a pending shrink the current (wider) one.
    pub fn maximal_isr(&self) -> Vec<BrokerId> {
        let mut maximal = self.isr.clone();
        if let Some(pending) = &self.pending {
            for b in &pending.proposed_isr {
                if !maximal.contains(b) {
                    maximal.push(*b);
                }
            }
        }
        maximal
    }

    /// Whether `broker` is in [`Self::maximal_isr`], without building it: the high watermark asks
    /// this for every follower on every advance.
    pub fn in_maximal_isr(&self, broker: BrokerId) -> bool {
        self.isr.contains(&broker) || self.pending.as_ref().is_some_and(|p| p.proposed_isr.contains(&broker))
    }

    /// The size of [`Self::maximal_isr`], without building it.
    pub fn maximal_isr_len(&self) -> usize {
        // A proposed ISR lists each broker once (it is the ISR plus or minus one follower).
        let proposed_only =
            self.pending.as_ref().map_or(0, |p| p.proposed_isr.iter().filter(|b| !self.isr.contains(b)).count());
        self.isr.len() + proposed_only
    }

    /// `min.insync.replicas`, capped at the replica count (`Partition.effectiveMinIsr`).
    pub fn effective_min_isr(&self, min_insync_replicas: i32) -> usize {
        (min_insync_replicas.max(1) as usize).min(self.followers.len() + 1)
    }

    pub fn is_under_min_isr(&self, min_insync_replicas: i32) -> bool {
        self.isr.len() < self.effective_min_isr(min_insync_replicas)
    }

    /// Records a follower's fetch at `fetch_offset` (`updateFollowerFetchState`). Returns whether
    /// the follower's log end offset moved: only then may the high watermark advance
    /// (`Partition.updateFollowerFetchState` calls `maybeIncrementLeaderHW` only in that case).
    pub fn update_follower_fetch_state(
        &mut self,
        follower: BrokerId,
        fetch_offset: Offset,
        now: SimTime,
        leader_log_end_offset: Offset,
    ) -> bool {
        let Some(state) = self.followers.get_mut(&follower) else { return false };
        let previous_log_end_offset = state.log_end_offset;
        if fetch_offset >= leader_log_end_offset {
            state.last_caught_up_time_ms = now;
        } else if fetch_offset >= state.last_fetch_leader_log_end_offset {
            state.last_caught_up_time_ms = state.last_caught_up_time_ms.max(state.last_fetch_time_ms);
        }
        state.log_end_offset = Some(fetch_offset);
        state.last_fetch_leader_log_end_offset = leader_log_end_offset;
        state.last_fetch_time_ms = now;
        previous_log_end_offset != Some(fetch_offset)
    }

    /// The high watermark the leader may move to, or `None` if it may not move.
    pub fn candidate_high_watermark(
        &self,
        leader_log_end_offset: Offset,
        now: SimTime,
        replica_lag_time_max_ms: u64,
        min_insync_replicas: i32,
        is_eligible: impl Fn(BrokerId) -> bool,
    ) -> Option<Offset> {
        if self.is_under_min_isr(min_insync_replicas) {
            return None;
        }
        let mut high_watermark = leader_log_end_offset;
        for (broker, state) in &self.followers {
            let counts = self.in_maximal_isr(*broker)
                || (state.is_caught_up(leader_log_end_offset, now, replica_lag_time_max_ms) && is_eligible(*broker));
            if counts {
                // A follower that has not fetched yet holds the HW where it is.
                let leo = state.log_end_offset.unwrap_or(Offset::MIN);
                high_watermark = high_watermark.min(leo);
            }
        }
        Some(high_watermark)
    }

    /// Where the leader's high watermark goes from `current`, given [`Self::candidate_high_watermark`]:
    /// `None` to stay. Kafka only moves it forward (`UnifiedLog.maybeIncrementHighWatermark`).
    ///
    /// The planted bug [`PlantedBug::HighWatermarkFollowsIsrMinimum`] also moves it back to a
    /// lower candidate: the smallest log end offset in the ISR, which drops when an ISR member
    /// fetches from below the high watermark (a follower that lost its unflushed tail). A
    /// candidate of `Offset::MIN` (a follower that has not fetched yet) is no log end offset
    /// and holds the high watermark even then.
    pub fn next_high_watermark(current: Offset, candidate: Offset, planted_bug: PlantedBug) -> Option<Offset> {
        let moves_back = planted_bug == PlantedBug::HighWatermarkFollowsIsrMinimum
            && candidate != Offset::MIN
            && candidate < current;
        (candidate > current || moves_back).then_some(candidate)
    }

    /// ISR members (other than the leader) that have not caught up for too long.
    pub fn out_of_sync_replicas(
        &self,
        leader_log_end_offset: Offset,
        now: SimTime,
        replica_lag_time_max_ms: u64,
    ) -> Vec<BrokerId> {
        self.isr
            .iter()
            .filter(|b| **b != self.me)
            .filter(|b| {
                self.followers
                    .get(b)
                    .is_some_and(|s| !s.is_caught_up(leader_log_end_offset, now, replica_lag_time_max_ms))
            })
            .copied()
            .collect()
    }

    /// Whether `follower` should join the ISR now (`needsExpandIsr`).
    pub fn needs_expand_isr(
        &self,
        follower: BrokerId,
        high_watermark: Offset,
        is_eligible: impl Fn(BrokerId) -> bool,
    ) -> bool {
        if self.pending.is_some() || self.isr.contains(&follower) || !is_eligible(follower) {
            return false;
        }
        self.followers
            .get(&follower)
            .and_then(|s| s.log_end_offset)
            .is_some_and(|leo| leo >= high_watermark && leo >= self.leader_epoch_start_offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(ids: &[u32]) -> Vec<BrokerId> {
        ids.iter().map(|&i| BrokerId(i)).collect()
    }

    fn leader_of_three(now: SimTime) -> LeaderState {
        LeaderState::new(BrokerId(1), &b(&[1, 2, 3]), b(&[1, 2, 3]), 0, now)
    }

    #[test]
    fn high_watermark_is_min_leo_over_isr_and_waits_for_first_fetch() {
        let mut l = leader_of_three(0);
        assert_eq!(l.candidate_high_watermark(10, 0, 30_000, 1, |_| true), Some(Offset::MIN));
        l.update_follower_fetch_state(BrokerId(2), 10, 5, 10);
        l.update_follower_fetch_state(BrokerId(3), 7, 5, 10);
        assert_eq!(l.candidate_high_watermark(10, 5, 30_000, 1, |_| true), Some(7));
    }

    #[test]
    fn under_min_isr_the_high_watermark_does_not_move() {
        let mut l = leader_of_three(0);
        l.isr = b(&[1]);
        assert_eq!(l.candidate_high_watermark(10, 0, 30_000, 2, |_| true), None);
        assert!(l.is_under_min_isr(2));
        // min.insync.replicas above the replica count is capped (effectiveMinIsr).
        let single = LeaderState::new(BrokerId(1), &b(&[1]), b(&[1]), 0, 0);
        assert!(!single.is_under_min_isr(3));
    }

    #[test]
    fn a_follower_fetching_from_below_the_high_watermark_moves_it_back_only_under_the_planted_bug() {
        let mut l = leader_of_three(0);
        l.update_follower_fetch_state(BrokerId(2), 10, 5, 10);
        l.update_follower_fetch_state(BrokerId(3), 10, 5, 10);
        let high_watermark = l.candidate_high_watermark(10, 5, 30_000, 1, |_| true).expect("not under min ISR");
        assert_eq!(high_watermark, 10);
        // Broker 3 lost its unflushed tail and fetches from 4: its log end offset moves down
        // (`Replica.updateFetchStateOrThrow` takes the fetch offset as it is) ...
        assert!(l.update_follower_fetch_state(BrokerId(3), 4, 6, 10));
        assert_eq!(l.candidate_high_watermark(10, 6, 30_000, 1, |_| true), Some(4));
        // ... Kafka keeps the high watermark; the planted bug follows the ISR minimum back.
        assert_eq!(LeaderState::next_high_watermark(high_watermark, 4, PlantedBug::None), None);
        assert_eq!(
            LeaderState::next_high_watermark(high_watermark, 4, PlantedBug::HighWatermarkFollowsIsrMinimum),
            Some(4)
        );
        // Both move forward alike; a follower that has not fetched yet holds it in both.
        for bug in [PlantedBug::None, PlantedBug::HighWatermarkFollowsIsrMinimum] {
            assert_eq!(LeaderState::next_high_watermark(4, 10, bug), Some(10));
            assert_eq!(LeaderState::next_high_watermark(10, 10, bug), None);
            assert_eq!(LeaderState::next_high_watermark(10, Offset::MIN, bug), None);
        }
    }

    #[test]
    fn a_follower_that_stops_fetching_falls_out_of_sync_after_the_lag_time() {
        let mut l = leader_of_three(0);
        l.update_follower_fetch_state(BrokerId(2), 0, 1, 0);
        l.update_follower_fetch_state(BrokerId(3), 0, 1, 0);
        // Leader appends up to 5; broker 2 keeps fetching, broker 3 stops.
        l.update_follower_fetch_state(BrokerId(2), 5, 20_000, 5);
        assert_eq!(l.out_of_sync_replicas(5, 30_000, 30_000), vec![]);
        assert_eq!(l.out_of_sync_replicas(5, 30_002, 30_000), b(&[3]));
    }

    #[test]
    fn caught_up_means_reaching_the_leo_seen_at_the_previous_fetch() {
        let mut l = leader_of_three(0);
        // Fetch at 0 while the leader had 10: not caught up, but remembers 10.
        l.update_follower_fetch_state(BrokerId(2), 0, 100, 10);
        assert_eq!(l.followers[&BrokerId(2)].last_caught_up_time_ms, 0);
        // Next fetch at 10 (what the leader had then) while the leader has moved on to 12:
        // caught up as of the previous fetch time.
        l.update_follower_fetch_state(BrokerId(2), 10, 200, 12);
        assert_eq!(l.followers[&BrokerId(2)].last_caught_up_time_ms, 100);
    }

    #[test]
    fn isr_expansion_requires_the_high_watermark_and_the_epoch_start_kip320() {
        let mut l = LeaderState::new(BrokerId(1), &b(&[1, 2, 3]), b(&[1, 2]), 8, 0);
        l.update_follower_fetch_state(BrokerId(3), 6, 10, 10);
        assert!(!l.needs_expand_isr(BrokerId(3), 5, |_| true), "below the epoch start offset 8");
        l.update_follower_fetch_state(BrokerId(3), 9, 11, 10);
        assert!(l.needs_expand_isr(BrokerId(3), 9, |_| true));
        assert!(!l.needs_expand_isr(BrokerId(3), 9, |_| false), "fenced brokers are ineligible");
        l.pending = Some(PendingIsrChange { proposed_isr: b(&[1, 2, 3]), correlation_id: 1, sent_ms: 11 });
        assert!(!l.needs_expand_isr(BrokerId(3), 9, |_| true), "one AlterPartition at a time");
        assert_eq!(l.maximal_isr(), b(&[1, 2, 3]));
    }

    #[test]
    fn a_follower_fetch_says_whether_its_log_end_offset_moved() {
        let mut l = LeaderState::new(BrokerId(1), &b(&[1, 2, 3]), b(&[1, 2, 3]), 0, 0);
        assert!(l.update_follower_fetch_state(BrokerId(2), 0, 1, 5), "the first fetch sets the log end offset");
        assert!(!l.update_follower_fetch_state(BrokerId(2), 0, 2, 5), "the same offset again: no move");
        assert!(l.update_follower_fetch_state(BrokerId(2), 5, 3, 5));
        assert!(!l.update_follower_fetch_state(BrokerId(9), 5, 3, 5), "not a replica");
    }

    #[test]
    fn maximal_isr_len_and_membership_match_the_built_list() {
        let mut l = LeaderState::new(BrokerId(1), &b(&[1, 2, 3]), b(&[1, 2]), 0, 0);
        assert_eq!((l.maximal_isr_len(), l.in_maximal_isr(BrokerId(3))), (2, false));
        l.pending = Some(PendingIsrChange { proposed_isr: b(&[1, 2, 3]), correlation_id: 1, sent_ms: 0 });
        assert_eq!(l.maximal_isr(), b(&[1, 2, 3]));
        assert_eq!((l.maximal_isr_len(), l.in_maximal_isr(BrokerId(3))), (3, true));
    }
}
