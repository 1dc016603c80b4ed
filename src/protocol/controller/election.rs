//! Partition changes and leader election, as KRaft's `PartitionChangeBuilder` computes them
//! (without ELR, KIP-966, which Kafka 4.x leaves off by default).
//!
//! - An *online* (clean) election keeps the current leader if it is still acceptable, otherwise
//!   picks the first replica, in assignment order, that is in the target ISR and acceptable.
//! - An *unclean* election, when no ISR member is acceptable and the topic allows it, picks the
//!   first acceptable replica and forcibly sets the ISR to just that replica: acknowledged data
//!   the new leader never had is gone.
//! - A *preferred* election picks the first replica if it is an acceptable ISR member.
//! - The ISR is never set empty: removing its last member leaves that member in place with no
//!   leader, so that the partition waits for it (that is what makes clean elections safe).
//! - Since metadata version 3.6 an ISR change alone does not bump the leader epoch; any change
//!   bumps the partition epoch.
//! - `kafkasim.planted.bug` can break two of these rules on purpose (Kafka has neither bug):
//!   `unclean-election-keeps-isr` leaves the ISR as it was after an unclean election, and
//!   `leader-change-keeps-epoch` keeps the leader epoch across a leader change.

use crate::history::Election;
use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::message::PartitionRegistration;
use crate::protocol::types::BrokerId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElectionType {
    Preferred,
    Online,
    Unclean,
}

/// The outcome of building one partition change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionChange {
    pub registration: PartitionRegistration,
    /// Set when the leader changed: how it was chosen.
    pub election: Option<Election>,
}

/// Applies a target ISR and an election to `current`. Returns `None` when nothing changes.
/// `planted_bug` is `PlantedBug::None` except in the runs that plant one of this module's bugs.
pub fn build_partition_change(
    current: &PartitionRegistration,
    target_isr: Vec<BrokerId>,
    election: ElectionType,
    is_acceptable_leader: impl Fn(BrokerId) -> bool,
    planted_bug: PlantedBug,
) -> Option<PartitionChange> {
    let mut isr = target_isr;
    let is_valid_new_leader = |b: BrokerId, isr: &[BrokerId]| isr.contains(&b) && is_acceptable_leader(b);

    let (leader, how) = match election {
        ElectionType::Preferred => {
            let preferred = current.replicas[0];
            if is_valid_new_leader(preferred, &isr) {
                (Some(preferred), Election::Preferred)
            } else if current.leader.is_some_and(|l| is_valid_new_leader(l, &isr)) {
                (current.leader, Election::Clean)
            } else {
                let online = current.replicas.iter().skip(1).copied().find(|b| is_valid_new_leader(*b, &isr));
                (online, Election::Clean)
            }
        }
        ElectionType::Online | ElectionType::Unclean => {
            if current.leader.is_some_and(|l| is_valid_new_leader(l, &isr)) {
                (current.leader, Election::Clean)
            } else if let Some(online) = current.replicas.iter().copied().find(|b| is_valid_new_leader(*b, &isr)) {
                (Some(online), Election::Clean)
            } else if election == ElectionType::Unclean {
                match current.replicas.iter().copied().find(|b| is_acceptable_leader(*b)) {
                    Some(unclean) => {
                        // The planted bug forgets this reset: the new leader is not in its ISR.
                        if planted_bug != PlantedBug::UncleanElectionKeepsIsr {
                            isr = vec![unclean];
                        }
                        (Some(unclean), Election::Unclean)
                    }
                    None => (None, Election::Clean),
                }
            } else {
                (None, Election::Clean)
            }
        }
    };

    // Without ELR the ISR is never emptied: the last member stays, leaderless.
    if isr.is_empty() {
        isr = current.isr.clone();
    }
    let leader_changed = leader != current.leader;
    if !leader_changed && isr == current.isr {
        return None;
    }
    // The planted bug keeps the epoch: the old and the new leader then share one.
    let bumps_leader_epoch = leader_changed && planted_bug != PlantedBug::LeaderChangeKeepsEpoch;
    let registration = PartitionRegistration {
        replicas: current.replicas.clone(),
        isr,
        leader,
        leader_epoch: current.leader_epoch + i32::from(bumps_leader_epoch),
        partition_epoch: current.partition_epoch + 1,
    };
    Some(PartitionChange { registration, election: if leader_changed && leader.is_some() { Some(how) } else { None } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(ids: &[u32]) -> Vec<BrokerId> {
        ids.iter().map(|&i| BrokerId(i)).collect()
    }

    fn reg(replicas: &[u32], isr: &[u32], leader: Option<u32>) -> PartitionRegistration {
        PartitionRegistration {
            replicas: b(replicas),
            isr: b(isr),
            leader: leader.map(BrokerId),
            leader_epoch: 5,
            partition_epoch: 9,
        }
    }

    #[test]
    fn fencing_the_leader_elects_the_next_isr_member_in_replica_order() {
        let current = reg(&[1, 2, 3], &[1, 2, 3], Some(1));
        let change =
            build_partition_change(&current, b(&[2, 3]), ElectionType::Online, |x| x != BrokerId(1), PlantedBug::None)
                .unwrap();
        assert_eq!(change.registration.leader, Some(BrokerId(2)));
        assert_eq!(change.registration.isr, b(&[2, 3]));
        assert_eq!((change.registration.leader_epoch, change.registration.partition_epoch), (6, 10));
        assert_eq!(change.election, Some(Election::Clean));
    }

    #[test]
    fn isr_shrink_without_leader_change_keeps_the_leader_epoch() {
        let current = reg(&[1, 2, 3], &[1, 2, 3], Some(1));
        let change =
            build_partition_change(&current, b(&[1, 3]), ElectionType::Online, |_| true, PlantedBug::None).unwrap();
        assert_eq!(change.registration.leader, Some(BrokerId(1)));
        assert_eq!((change.registration.leader_epoch, change.registration.partition_epoch), (5, 10));
        assert_eq!(change.election, None);
    }

    #[test]
    fn last_isr_member_stays_when_fenced_and_the_partition_goes_offline() {
        let current = reg(&[1, 2, 3], &[1], Some(1));
        let change =
            build_partition_change(&current, vec![], ElectionType::Online, |x| x != BrokerId(1), PlantedBug::None)
                .unwrap();
        assert_eq!(change.registration.leader, None);
        assert_eq!(change.registration.isr, b(&[1]));
        assert_eq!(change.registration.leader_epoch, 6);
    }

    #[test]
    fn unclean_election_picks_a_live_replica_and_resets_the_isr() {
        let current = reg(&[1, 2, 3], &[1], None);
        let change =
            build_partition_change(&current, b(&[1]), ElectionType::Unclean, |x| x == BrokerId(3), PlantedBug::None)
                .unwrap();
        assert_eq!(change.registration.leader, Some(BrokerId(3)));
        assert_eq!(change.registration.isr, b(&[3]));
        assert_eq!(change.election, Some(Election::Unclean));
        // The same state with unclean election disabled stays offline: no change at all.
        assert_eq!(
            build_partition_change(&current, b(&[1]), ElectionType::Online, |x| x == BrokerId(3), PlantedBug::None),
            None
        );
    }

    #[test]
    fn preferred_election_moves_leadership_back_to_the_first_replica() {
        let current = reg(&[1, 2, 3], &[1, 2, 3], Some(2));
        let change =
            build_partition_change(&current, b(&[1, 2, 3]), ElectionType::Preferred, |_| true, PlantedBug::None)
                .unwrap();
        assert_eq!(change.registration.leader, Some(BrokerId(1)));
        assert_eq!(change.election, Some(Election::Preferred));
        // With `leader-change-keeps-epoch` planted, the preferred leader takes over in epoch 5.
        let planted = build_partition_change(
            &current,
            b(&[1, 2, 3]),
            ElectionType::Preferred,
            |_| true,
            PlantedBug::LeaderChangeKeepsEpoch,
        );
        assert_eq!(planted.map(|c| (c.registration.leader, c.registration.leader_epoch)), Some((Some(BrokerId(1)), 5)));
        assert_eq!(change.registration.leader_epoch, 6);
        let not_in_isr = reg(&[1, 2, 3], &[2, 3], Some(2));
        assert_eq!(
            build_partition_change(&not_in_isr, b(&[2, 3]), ElectionType::Preferred, |_| true, PlantedBug::None),
            None
        );
    }
}
