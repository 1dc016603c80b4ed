//! `cooperative-sticky`: Kafka's `org.apache.kafka.clients.consumer.CooperativeStickyAssignor`
//! (KIP-429 incremental cooperative rebalancing; supports COOPERATIVE and EAGER).
//!
//! Members keep their partitions while they rejoin and report them in `ownedPartitions`, with
//! the generation of that assignment in `generationId` (KIP-792; before it, in `userData`). The
//! assignor runs the shared sticky algorithm (`sticky`) on them, and then holds back every
//! partition that would move from one member to another: a partition may only be given to its
//! new member once its old member has revoked it. So the new member does not get it in this
//! rebalance; the old member does not get it either and revokes it; the revocation makes the
//! members rejoin, and the follow-up rebalance hands it out, now unowned.
//!
//! Which partitions are held back: after the constrained algorithm (all subscriptions equal),
//! Kafka's `partitionsTransferringOwnership` (partitions given to a member other than the
//! previous owner, and partitions claimed by several members in one generation, which both
//! claimants must give up first); after the general algorithm, every partition added to some
//! member's assignment that some member's `ownedPartitions` lists but is no longer assigned
//! to that member.

use super::group_subscription::GroupSubscription;
use super::sticky::{self, remove_first, MemberData};
use super::subscription::Subscription;
use super::{Assignment, AssignmentError};
use crate::protocol::types::TopicPartition;
use std::collections::{BTreeMap, BTreeSet};

/// `CooperativeStickyAssignor.memberData`: `ownedPartitions` and `generationId` (with protocol
/// v1, the generation came from `userData`; both mean the same here).
fn member_data(subscription: &Subscription) -> MemberData {
    MemberData { partitions: subscription.owned_partitions.clone(), generation: subscription.generation_id() }
}

pub(crate) fn assign(group: &GroupSubscription<'_>) -> Result<Assignment, AssignmentError> {
    let sticky = sticky::assign(group, member_data)?;
    let mut assignment = sticky.assignment;
    let partitions_transferring_ownership = match sticky.partitions_transferring_ownership {
        Some(partitions) => partitions,
        None => compute_partitions_transferring_ownership(group, &assignment),
    };
    // `adjustAssignment`: revoke first, assign in the follow-up rebalance.
    for (partition, consumer) in &partitions_transferring_ownership {
        let partitions = assignment.get_mut(consumer).expect("the new owner is a member");
        let removed = remove_first(partitions, partition);
        debug_assert!(removed, "{partition} was assigned to {consumer}");
    }
    Ok(assignment)
}

/// `computePartitionsTransferringOwnership`: partitions newly added to some member that some
/// member (by its `ownedPartitions`) is losing.
fn compute_partitions_transferring_ownership(
    group: &GroupSubscription<'_>,
    assignment: &Assignment,
) -> BTreeMap<TopicPartition, String> {
    let mut all_added_partitions = BTreeMap::new();
    let mut all_revoked_partitions = BTreeSet::new();
    for (consumer, assigned_partitions) in assignment {
        let owned_partitions = &group.subscriptions[consumer].owned_partitions;
        let owned: BTreeSet<&TopicPartition> = owned_partitions.iter().collect();
        for partition in assigned_partitions {
            if !owned.contains(partition) {
                all_added_partitions.insert(partition.clone(), consumer.clone());
            }
        }
        let assigned: BTreeSet<&TopicPartition> = assigned_partitions.iter().collect();
        for partition in owned_partitions {
            if !assigned.contains(partition) {
                all_revoked_partitions.insert(partition.clone());
            }
        }
    }
    all_added_partitions.retain(|partition, _| all_revoked_partitions.contains(partition));
    all_added_partitions
}
