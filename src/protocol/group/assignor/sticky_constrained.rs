//! The sticky assignors' fast path when every member subscribes to the same topics: Kafka's
//! `AbstractStickyAssignor.ConstrainedAssignmentBuilder` (KAFKA-12464).
//!
//! With `P` partitions and `N` members, every member ends with `minQuota = floor(P/N)` or
//! `maxQuota = ceil(P/N)` partitions, and exactly `P mod N` members get `maxQuota`.
//! 1. Each member, in Kafka's `HashMap` order, keeps its owned partitions (sorted by partition
//!    number, then topic) up to its quota: all of them when it owns fewer than `minQuota`;
//!    `maxQuota` while fewer than `P mod N` members have claimed a `maxQuota` slot; `minQuota`
//!    otherwise. Partitions beyond the quota "may be revoked".
//! 2. The partitions left over, sorted by topic then partition, are dealt round-robin to the
//!    members still under `minQuota` (sorted by member id), then one each to members at exactly
//!    `minQuota` (sorted by member id) until `P mod N` members have `maxQuota`.
//!
//! A partition dealt in step 2 to a member other than its previous owner, or one that several
//! members claimed in the same generation, is "transferring ownership"; `cooperative-sticky`
//! holds those back for a follow-up rebalance.

use super::group_subscription::GroupSubscription;
use super::java_hash::java_string_cmp;
use super::sticky::remove_first;
use super::{Assignment, AssignmentError};
use crate::protocol::types::TopicPartition;
use std::collections::{BTreeMap, BTreeSet};

/// Returns the assignment and Kafka's `partitionsTransferringOwnership`.
pub(crate) fn build(
    group: &GroupSubscription<'_>,
    current_assignment: &BTreeMap<String, Vec<TopicPartition>>,
    partitions_with_multiple_previous_owners: &BTreeSet<TopicPartition>,
) -> Result<(Assignment, BTreeMap<TopicPartition, String>), AssignmentError> {
    let total_partitions_count = group.total_partitions();
    let number_of_consumers = group.members.len();
    if number_of_consumers == 0 {
        // Kafka computes `totalPartitionsCount % numberOfConsumers` with Java ints.
        return Err(AssignmentError { exception: "ArithmeticException", message: "/ by zero".to_string() });
    }
    let mut builder = ConstrainedAssignmentBuilder {
        partitions_with_multiple_previous_owners,
        maybe_revoked_partitions: BTreeMap::new(),
        unfilled_members_with_under_min_quota_partitions: Vec::new(),
        unfilled_members_with_exactly_min_quota_partitions: Vec::new(),
        min_quota: total_partitions_count / number_of_consumers,
        max_quota: total_partitions_count.div_ceil(number_of_consumers),
        expected_num_members_with_over_min_quota_partitions: total_partitions_count % number_of_consumers,
        current_num_members_with_over_min_quota_partitions: 0,
        assignment: group.members.iter().map(|(member, _)| (member.to_string(), Vec::new())).collect(),
        partitions_transferring_ownership: BTreeMap::new(),
    };

    // Kafka iterates `consumerToOwnedPartitions`, a HashMap with the same member ids put in the
    // same order as the subscriptions map, so it iterates in the same order as `group.members`.
    let mut assigned_partitions = Vec::new();
    for (consumer, _) in &group.members {
        let owned = &current_assignment[*consumer];
        builder.assign_owned_partitions(consumer, owned, &mut assigned_partitions);
    }

    let unassigned_partitions = get_unassigned_partitions(group, assigned_partitions);
    builder.unfilled_members_with_under_min_quota_partitions.sort_by(|a, b| java_string_cmp(a, b));
    builder.unfilled_members_with_exactly_min_quota_partitions.sort_by(|a, b| java_string_cmp(a, b));
    builder.assign_round_robin(&unassigned_partitions)?;
    builder.verify_unfilled_members()?;
    Ok((builder.assignment, builder.partitions_transferring_ownership))
}

struct ConstrainedAssignmentBuilder<'a> {
    partitions_with_multiple_previous_owners: &'a BTreeSet<TopicPartition>,
    /// Owned partitions over a member's quota, with that member.
    maybe_revoked_partitions: BTreeMap<TopicPartition, String>,
    /// Java `LinkedList`s: order matters and both are sorted before the round-robin.
    unfilled_members_with_under_min_quota_partitions: Vec<String>,
    unfilled_members_with_exactly_min_quota_partitions: Vec<String>,
    min_quota: usize,
    max_quota: usize,
    /// Zero when `min_quota == max_quota`.
    expected_num_members_with_over_min_quota_partitions: usize,
    current_num_members_with_over_min_quota_partitions: usize,
    assignment: Assignment,
    partitions_transferring_ownership: BTreeMap<TopicPartition, String>,
}

impl ConstrainedAssignmentBuilder<'_> {
    /// One member's part of `assignOwnedPartitions`.
    fn assign_owned_partitions(
        &mut self,
        consumer: &str,
        owned: &[TopicPartition],
        assigned_partitions: &mut Vec<TopicPartition>,
    ) {
        let mut owned_partitions = owned.to_vec();
        owned_partitions
            .sort_by(|a, b| a.partition.cmp(&b.partition).then_with(|| java_string_cmp(&a.topic, &b.topic)));
        for doubly_claimed in self.partitions_with_multiple_previous_owners {
            remove_first(&mut owned_partitions, doubly_claimed);
        }

        let keep = if owned_partitions.len() < self.min_quota {
            // Keep everything; the member still needs more.
            self.unfilled_members_with_under_min_quota_partitions.push(consumer.to_string());
            owned_partitions.len()
        } else if owned_partitions.len() >= self.max_quota
            && self.current_num_members_with_over_min_quota_partitions
                < self.expected_num_members_with_over_min_quota_partitions
        {
            self.current_num_members_with_over_min_quota_partitions += 1;
            if self.current_num_members_with_over_min_quota_partitions
                == self.expected_num_members_with_over_min_quota_partitions
            {
                // Every maxQuota slot is taken: members at minQuota are now full.
                self.unfilled_members_with_exactly_min_quota_partitions.clear();
            }
            self.max_quota
        } else {
            if self.current_num_members_with_over_min_quota_partitions
                < self.expected_num_members_with_over_min_quota_partitions
            {
                self.unfilled_members_with_exactly_min_quota_partitions.push(consumer.to_string());
            }
            self.min_quota
        };
        for revoked in &owned_partitions[keep..] {
            self.maybe_revoked_partitions.insert(revoked.clone(), consumer.to_string());
        }
        let kept = &owned_partitions[..keep];
        self.assignment.get_mut(consumer).expect("every member has a list").extend_from_slice(kept);
        assigned_partitions.extend_from_slice(kept);
    }

    /// `assignRoundRobin`, with Java's `LinkedList` iterator replayed as a cursor.
    fn assign_round_robin(&mut self, unassigned_partitions: &[TopicPartition]) -> Result<(), AssignmentError> {
        // The iterator's `nextIndex` and `lastReturned`.
        let mut next_index = 0;
        let mut last_returned: Option<usize> = None;
        for unassigned_partition in unassigned_partitions {
            let under = &mut self.unfilled_members_with_under_min_quota_partitions;
            let consumer = if next_index < under.len() {
                last_returned = Some(next_index);
                next_index += 1;
                under[next_index - 1].clone()
            } else if under.is_empty() && self.unfilled_members_with_exactly_min_quota_partitions.is_empty() {
                return Err(AssignmentError {
                    exception: "IllegalStateException",
                    message: "partitions are left but every member has reached its quota".to_string(),
                });
            } else if under.is_empty() {
                self.unfilled_members_with_exactly_min_quota_partitions.remove(0)
            } else {
                // Start a new pass over the members still under minQuota.
                last_returned = Some(0);
                next_index = 1;
                under[0].clone()
            };

            let current_assigned_count = self.assign_new_partition(unassigned_partition, &consumer);
            if current_assigned_count == self.min_quota {
                let Some(index) = last_returned.take() else {
                    return Err(AssignmentError {
                        exception: "IllegalStateException",
                        message: "no current member to take off the under-minQuota list".to_string(),
                    });
                };
                self.unfilled_members_with_under_min_quota_partitions.remove(index);
                next_index -= 1;
                self.unfilled_members_with_exactly_min_quota_partitions.push(consumer);
            } else if current_assigned_count == self.max_quota {
                self.current_num_members_with_over_min_quota_partitions += 1;
            }
        }
        Ok(())
    }

    fn assign_new_partition(&mut self, unassigned_partition: &TopicPartition, consumer: &str) -> usize {
        let consumer_assignment = self.assignment.get_mut(consumer).expect("every member has a list");
        consumer_assignment.push(unassigned_partition.clone());
        let previous_owner_is_other = self
            .maybe_revoked_partitions
            .get(unassigned_partition)
            .is_some_and(|previous_owner| previous_owner != consumer);
        if previous_owner_is_other || self.partitions_with_multiple_previous_owners.contains(unassigned_partition) {
            self.partitions_transferring_ownership.insert(unassigned_partition.clone(), consumer.to_string());
        }
        consumer_assignment.len()
    }

    /// `verifyUnfilledMembers`: members still under minQuota are only fine if minQuota is all
    /// they are owed.
    fn verify_unfilled_members(&self) -> Result<(), AssignmentError> {
        if self.unfilled_members_with_under_min_quota_partitions.is_empty() {
            return Ok(());
        }
        if self.current_num_members_with_over_min_quota_partitions
            != self.expected_num_members_with_over_min_quota_partitions
        {
            return Err(AssignmentError {
                exception: "IllegalStateException",
                message: "the partitions ran out before enough members reached maxQuota".to_string(),
            });
        }
        for unfilled_member in &self.unfilled_members_with_under_min_quota_partitions {
            if self.assignment[unfilled_member].len() != self.min_quota {
                return Err(AssignmentError {
                    exception: "IllegalStateException",
                    message: format!("{unfilled_member} is left under minQuota with no partition to give it"),
                });
            }
        }
        Ok(())
    }
}

/// All partitions (topics in Java `String` order, partitions ascending) minus the assigned
/// ones, by Kafka's two-pointer walk over both sorted lists.
fn get_unassigned_partitions(
    group: &GroupSubscription<'_>,
    mut sorted_assigned_partitions: Vec<TopicPartition>,
) -> Vec<TopicPartition> {
    let mut sorted_all_topics: Vec<_> = group.partitions_per_topic.iter().collect();
    sorted_all_topics.sort_by(|(a, _), (b, _)| java_string_cmp(a, b));
    let all_partitions = sorted_all_topics
        .into_iter()
        .flat_map(|(topic, count)| (0..*count).map(move |p| TopicPartition::new(topic.clone(), p)));
    if sorted_assigned_partitions.is_empty() {
        return all_partitions.collect();
    }
    sorted_assigned_partitions.sort_by(|a, b| java_string_cmp(&a.topic, &b.topic).then(a.partition.cmp(&b.partition)));
    let mut assigned = sorted_assigned_partitions.into_iter();
    let mut next_assigned_partition = assigned.next();
    let mut unassigned_partitions = Vec::new();
    for partition in all_partitions {
        match &next_assigned_partition {
            Some(next) if *next == partition => next_assigned_partition = assigned.next(),
            _ => unassigned_partitions.push(partition),
        }
    }
    unassigned_partitions
}
