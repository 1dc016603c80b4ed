//! The algorithm both sticky assignors share: Kafka's
//! `org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor` (KIP-54, with the
//! KIP-341 generation fix and the KIP-429 / KIP-792 handling of `ownedPartitions`).
//!
//! Two goals, in this order: the assignment is as balanced as possible, and as many partitions
//! as possible stay with the member that owned them. First each member's previously owned
//! partitions are read (from `userData` for `sticky`, from `ownedPartitions` for
//! `cooperative-sticky`), and conflicts are settled by generation (KIP-341, KIP-792):
//! - a partition claimed by members of different generations stays with the highest generation;
//! - a partition claimed by two members of the same generation is taken from both (neither can
//!   be trusted) and counts as "claimed by multiple previous owners";
//! - owned partitions of topics that no longer exist (or that nobody subscribes to) are dropped.
//!
//! Then, if every member subscribes to the same topics, the fast "constrained" algorithm
//! (`sticky_constrained`) fills members up to a quota; otherwise the "general" algorithm
//! (`sticky_general`) assigns and rebalances partition by partition.
//!
//! Where Kafka iterates its `HashMap`s, the iteration order is Java's (see `java_hash`).
//!
//! Not modelled: the rack-aware passes of KIP-881 (they need the racks of each partition's
//! replicas); and the `maxGeneration` Kafka keeps in the assignor *instance* across rebalances:
//! it is recomputed from the subscriptions on every call here, which differs only when a later
//! rebalance on the same leader reports only generations lower than one it saw before.

use super::group_subscription::GroupSubscription;
use super::subscription::{Subscription, DEFAULT_GENERATION};
use super::{sticky_constrained, sticky_general, Assignment, AssignmentError};
use crate::protocol::types::{TopicName, TopicPartition};
use std::collections::{BTreeMap, BTreeSet};

/// Kafka's `AbstractStickyAssignor.MemberData`: what a member owned and in which generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct MemberData {
    pub partitions: Vec<TopicPartition>,
    pub generation: Option<i32>,
}

/// How an assignor decodes a subscription into `MemberData` (Kafka's abstract `memberData`).
pub(crate) type MemberDataFn = fn(&Subscription) -> MemberData;

pub(crate) struct StickyAssignment {
    pub assignment: Assignment,
    /// Kafka's `partitionsTransferringOwnership`: the partitions the constrained algorithm gave
    /// to a member other than their previous owner. `None` after the general algorithm, which
    /// does not track them (Kafka sets the field to `null` and `cooperative-sticky` recomputes).
    pub partitions_transferring_ownership: Option<BTreeMap<TopicPartition, String>>,
}

/// `AbstractStickyAssignor.assignPartitions`.
pub(crate) fn assign(
    group: &GroupSubscription<'_>,
    member_data: MemberDataFn,
) -> Result<StickyAssignment, AssignmentError> {
    let owned = read_owned_partitions(group, member_data);
    if owned.all_subscriptions_equal {
        let (assignment, transferring) = sticky_constrained::build(
            group,
            &owned.consumer_to_owned_partitions,
            &owned.partitions_with_multiple_previous_owners,
        )?;
        Ok(StickyAssignment { assignment, partitions_transferring_ownership: Some(transferring) })
    } else {
        let assignment =
            sticky_general::build(group, member_data, owned.max_generation, owned.consumer_to_owned_partitions)?;
        Ok(StickyAssignment { assignment, partitions_transferring_ownership: None })
    }
}

/// What `allSubscriptionsEqual` learns while it compares the subscriptions.
pub(crate) struct OwnedPartitions {
    pub all_subscriptions_equal: bool,
    /// Each member's previously owned partitions that survived the conflict rules, in the
    /// member's order.
    pub consumer_to_owned_partitions: BTreeMap<String, Vec<TopicPartition>>,
    pub partitions_with_multiple_previous_owners: BTreeSet<TopicPartition>,
    pub max_generation: i32,
}

/// `AbstractStickyAssignor.allSubscriptionsEqual`, which also settles ownership conflicts.
///
/// Kafka quirk kept as is: the first member (in `HashMap` order) whose topic list is non-empty
/// sets the reference; a member with no topics visited before it does not make the
/// subscriptions unequal.
pub(crate) fn read_owned_partitions(group: &GroupSubscription<'_>, member_data: MemberDataFn) -> OwnedPartitions {
    let mut all_subscriptions_equal = true;
    let mut subscribed_topics: BTreeSet<&TopicName> = BTreeSet::new();
    let mut all_previous_partitions_to_owner: BTreeMap<TopicPartition, &str> = BTreeMap::new();
    let mut consumer_to_owned_partitions: BTreeMap<String, Vec<TopicPartition>> = BTreeMap::new();
    let mut partitions_with_multiple_previous_owners = BTreeSet::new();
    let mut max_generation = DEFAULT_GENERATION;

    for &(consumer, subscription) in &group.members {
        if subscribed_topics.is_empty() {
            subscribed_topics.extend(&subscription.topics);
        } else if all_subscriptions_equal
            && !(subscription.topics.len() == subscribed_topics.len()
                && subscription.topics.iter().all(|topic| subscribed_topics.contains(topic)))
        {
            all_subscriptions_equal = false;
        }

        let data = member_data(subscription);
        let member_generation = data.generation.unwrap_or(DEFAULT_GENERATION);
        max_generation = max_generation.max(member_generation);
        consumer_to_owned_partitions.insert(consumer.to_string(), Vec::new());

        for tp in data.partitions {
            if group.partition_count(&tp.topic).is_none() {
                continue; // the topic is gone, or nobody subscribes to it any more
            }
            match all_previous_partitions_to_owner.get(&tp).copied() {
                None => {
                    owned_list(&mut consumer_to_owned_partitions, consumer).push(tp.clone());
                    all_previous_partitions_to_owner.insert(tp, consumer);
                }
                Some(other_consumer) => {
                    // Kafka reads the other member's generation from its subscription's
                    // `generationId`, not from its decoded member data.
                    let other_generation =
                        group.subscriptions[other_consumer].generation_id().unwrap_or(DEFAULT_GENERATION);
                    if member_generation == other_generation {
                        // Same generation, two owners: trust neither.
                        remove_first(owned_list(&mut consumer_to_owned_partitions, other_consumer), &tp);
                        partitions_with_multiple_previous_owners.insert(tp.clone());
                        all_previous_partitions_to_owner.insert(tp, consumer);
                    } else if member_generation > other_generation {
                        owned_list(&mut consumer_to_owned_partitions, consumer).push(tp.clone());
                        remove_first(owned_list(&mut consumer_to_owned_partitions, other_consumer), &tp);
                        all_previous_partitions_to_owner.insert(tp, consumer);
                    }
                    // else: the other member's newer claim stands.
                }
            }
        }
    }
    OwnedPartitions {
        all_subscriptions_equal,
        consumer_to_owned_partitions,
        partitions_with_multiple_previous_owners,
        max_generation,
    }
}

fn owned_list<'m>(
    consumer_to_owned_partitions: &'m mut BTreeMap<String, Vec<TopicPartition>>,
    consumer: &str,
) -> &'m mut Vec<TopicPartition> {
    consumer_to_owned_partitions.get_mut(consumer).expect("members are added before their claims")
}

/// Java's `List.remove(Object)`: removes the first equal element, if any.
pub(crate) fn remove_first(list: &mut Vec<TopicPartition>, partition: &TopicPartition) -> bool {
    match list.iter().position(|p| p == partition) {
        Some(index) => {
            list.remove(index);
            true
        }
        None => false,
    }
}
