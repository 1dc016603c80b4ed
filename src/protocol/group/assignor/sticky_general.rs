//! The sticky assignors' algorithm for members with different subscriptions: Kafka's
//! `AbstractStickyAssignor.GeneralAssignmentBuilder` (KIP-54).
//!
//! 1. Keep every owned partition whose member still subscribes to its topic.
//! 2. Give each unassigned partition (topics with fewer potential members first) to the member
//!    with the fewest partitions among those subscribed to its topic (ties: member id).
//! 3. While some member has two partitions more than another member that could take one of
//!    them, move a partition: back to the member that owned it in an older generation if that
//!    member has two fewer, else to the least loaded member subscribed to its topic.
//!    `PartitionMovements` makes a move undo an earlier opposite move of the same topic instead
//!    of swapping partitions between two members.
//! 4. Unless the group had no partitions at all before, undo every move if together they did
//!    not make the assignment strictly more balanced (by the sum over all member pairs of the
//!    difference of their counts).
//!
//! Members and topics that cannot take part in a move (a topic with one potential member; a
//! member that already holds every partition it can, none of them movable) are set aside first.
//!
//! Kafka quirk kept as is: if a member that is set aside still appears as the older-generation
//! owner of a partition that must move, Kafka's Java code dereferences a missing map entry and
//! throws `NullPointerException`; this port reports the same as an `AssignmentError`.

use super::group_subscription::GroupSubscription;
use super::java_hash::java_string_cmp;
use super::partition_movements::PartitionMovements;
use super::sticky::{remove_first, MemberDataFn};
use super::subscription::DEFAULT_GENERATION;
use super::{Assignment, AssignmentError};
use crate::protocol::types::{TopicName, TopicPartition};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) fn build(
    group: &GroupSubscription<'_>,
    member_data: MemberDataFn,
    max_generation: i32,
    current_assignment: BTreeMap<String, Vec<TopicPartition>>,
) -> Result<Assignment, AssignmentError> {
    GeneralAssignmentBuilder::new(group, current_assignment).build(member_data, max_generation)
}

/// Where a partition was in an older generation: Kafka's `ConsumerGenerationPair`.
struct ConsumerGenerationPair {
    consumer: String,
    generation: i32,
}

/// A member's place in Kafka's `sortedCurrentSubscriptions`: fewest partitions first, then
/// member id in Java `String` order.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SubscriptionKey {
    assigned: usize,
    consumer: String,
}

impl Ord for SubscriptionKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.assigned.cmp(&other.assigned).then_with(|| java_string_cmp(&self.consumer, &other.consumer))
    }
}

impl PartialOrd for SubscriptionKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn null_pointer(what: &str) -> AssignmentError {
    AssignmentError { exception: "NullPointerException", message: what.to_string() }
}

struct GeneralAssignmentBuilder<'g, 'a> {
    group: &'g GroupSubscription<'a>,
    /// Each topic's potential members, in Kafka's subscription `HashMap` order.
    topic2_all_potential_consumers: BTreeMap<TopicName, Vec<String>>,
    /// Each member's subscribed topics that have metadata, in the member's order.
    consumer2_all_potential_topics: BTreeMap<String, Vec<TopicName>>,
    current_assignment: BTreeMap<String, Vec<TopicPartition>>,
    current_partition_consumer: BTreeMap<TopicPartition, String>,
    /// Topics with fewer potential members first, then by name; partitions ascending.
    sorted_all_partitions: Vec<TopicPartition>,
    sorted_current_subscriptions: BTreeSet<SubscriptionKey>,
    revocation_required: bool,
    partition_movements: PartitionMovements,
}

impl<'g, 'a> GeneralAssignmentBuilder<'g, 'a> {
    fn new(group: &'g GroupSubscription<'a>, current_assignment: BTreeMap<String, Vec<TopicPartition>>) -> Self {
        let mut topic2_all_potential_consumers: BTreeMap<TopicName, Vec<String>> =
            group.partitions_per_topic.iter().map(|(topic, _)| (topic.clone(), Vec::new())).collect();
        let mut consumer2_all_potential_topics = BTreeMap::new();
        for (consumer, subscription) in &group.members {
            let mut subscribed_topics = Vec::new();
            for topic in &subscription.topics {
                if let Some(consumers) = topic2_all_potential_consumers.get_mut(topic) {
                    subscribed_topics.push(topic.clone());
                    consumers.push(consumer.to_string());
                }
            }
            consumer2_all_potential_topics.insert(consumer.to_string(), subscribed_topics);
        }
        debug_assert!(group.members.iter().all(|(c, _)| current_assignment.contains_key(*c)));

        let mut current_partition_consumer = BTreeMap::new();
        for (consumer, _) in &group.members {
            for partition in &current_assignment[*consumer] {
                current_partition_consumer.insert(partition.clone(), consumer.to_string());
            }
        }

        let mut sorted_all_topics: Vec<&TopicName> = topic2_all_potential_consumers.keys().collect();
        sorted_all_topics.sort_by(|a, b| {
            let by_consumers = topic2_all_potential_consumers[*a].len().cmp(&topic2_all_potential_consumers[*b].len());
            by_consumers.then_with(|| java_string_cmp(a, b))
        });
        let sorted_all_partitions = sorted_all_topics
            .into_iter()
            .flat_map(|topic| {
                let count = group.partition_count(topic).expect("potential topics have metadata");
                (0..count).map(move |p| TopicPartition::new(topic.clone(), p))
            })
            .collect();

        GeneralAssignmentBuilder {
            group,
            topic2_all_potential_consumers,
            consumer2_all_potential_topics,
            current_assignment,
            current_partition_consumer,
            sorted_all_partitions,
            sorted_current_subscriptions: BTreeSet::new(),
            revocation_required: false,
            partition_movements: PartitionMovements::default(),
        }
    }

    fn build(mut self, member_data: MemberDataFn, max_generation: i32) -> Result<Assignment, AssignmentError> {
        let prev_assignment = self.prepopulate_current_assignments(member_data, max_generation);
        let assigned_partitions = self.assign_owned_partitions();
        let unassigned_partitions = self.get_unassigned_partitions(assigned_partitions);
        let consumers: Vec<String> = self.current_assignment.keys().cloned().collect();
        for consumer in consumers {
            self.sorted_current_subscriptions.insert(self.key_of(&consumer)?);
        }
        self.balance(&prev_assignment, unassigned_partitions)?;
        Ok(self.current_assignment)
    }

    fn size_of(&self, consumer: &str) -> Result<usize, AssignmentError> {
        self.current_assignment
            .get(consumer)
            .map(Vec::len)
            .ok_or_else(|| null_pointer(&format!("currentAssignment.get({consumer}) is null")))
    }

    fn key_of(&self, consumer: &str) -> Result<SubscriptionKey, AssignmentError> {
        Ok(SubscriptionKey { assigned: self.size_of(consumer)?, consumer: consumer.to_string() })
    }

    /// `prepopulateCurrentAssignments`: the partitions members claimed in generations older
    /// than the newest one, each with its most recent older owner.
    fn prepopulate_current_assignments(
        &self,
        member_data: MemberDataFn,
        max_generation: i32,
    ) -> BTreeMap<TopicPartition, ConsumerGenerationPair> {
        let mut prev_assignment = BTreeMap::new();
        for (consumer, subscription) in &self.group.members {
            let data = member_data(subscription);
            let generation = match data.generation {
                Some(generation) if generation < max_generation => generation,
                None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            for partition in data.partitions {
                let newer = prev_assignment
                    .get(&partition)
                    .is_none_or(|previous: &ConsumerGenerationPair| generation > previous.generation);
                if newer {
                    let pair = ConsumerGenerationPair { consumer: consumer.to_string(), generation };
                    prev_assignment.insert(partition, pair);
                }
            }
        }
        prev_assignment
    }

    /// `assignOwnedPartitions`: keeps owned partitions of still-subscribed topics.
    fn assign_owned_partitions(&mut self) -> Vec<TopicPartition> {
        let mut assigned_partitions = Vec::new();
        for (consumer, subscription) in &self.group.members {
            let owned = self.current_assignment.get_mut(*consumer).expect("every member is present");
            owned.retain(|partition| {
                if !self.topic2_all_potential_consumers.contains_key(&partition.topic) {
                    // The topic is gone: Kafka forgets the partition's owner too.
                    self.current_partition_consumer.remove(partition);
                    false
                } else if !subscription.subscribes_to(&partition.topic) {
                    // The member unsubscribed from the topic.
                    self.revocation_required = true;
                    false
                } else {
                    assigned_partitions.push(partition.clone());
                    true
                }
            });
        }
        assigned_partitions
    }

    /// `getUnassignedPartitions`: `sorted_all_partitions` minus the assigned ones, by Kafka's
    /// two-pointer walk.
    fn get_unassigned_partitions(&self, mut sorted_assigned_partitions: Vec<TopicPartition>) -> Vec<TopicPartition> {
        if sorted_assigned_partitions.is_empty() {
            return self.sorted_all_partitions.clone();
        }
        // Kafka's `PartitionComparator`.
        sorted_assigned_partitions.sort_by(|a, b| {
            let potential = |tp: &TopicPartition| self.topic2_all_potential_consumers[&tp.topic].len();
            potential(a)
                .cmp(&potential(b))
                .then_with(|| java_string_cmp(&a.topic, &b.topic))
                .then(a.partition.cmp(&b.partition))
        });
        let mut assigned = sorted_assigned_partitions.into_iter();
        let mut next_assigned_partition = assigned.next();
        let mut unassigned_partitions = Vec::new();
        for partition in &self.sorted_all_partitions {
            match &next_assigned_partition {
                Some(next) if next == partition => next_assigned_partition = assigned.next(),
                _ => unassigned_partitions.push(partition.clone()),
            }
        }
        unassigned_partitions
    }

    /// `isBalanced`: counts differ by at most one, or no partition could move to a member with
    /// two fewer partitions.
    fn is_balanced(&self) -> Result<bool, AssignmentError> {
        let first = self.sorted_current_subscriptions.first().expect("members take part");
        let last = self.sorted_current_subscriptions.last().expect("members take part");
        let min = self.size_of(&first.consumer)?;
        let max = self.size_of(&last.consumer)?;
        if min + 1 >= max {
            return Ok(true);
        }

        let mut all_partitions: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
        for (consumer, partitions) in &self.current_assignment {
            for partition in partitions {
                all_partitions.insert(partition, consumer);
            }
        }

        for key in &self.sorted_current_subscriptions {
            let consumer_partitions = &self.current_assignment[&key.consumer];
            let consumer_partition_count = consumer_partitions.len();
            let all_subscribed_topics = &self.consumer2_all_potential_topics[&key.consumer];
            if consumer_partition_count == self.get_max_assignment_size(all_subscribed_topics) {
                continue; // it has every partition it can get
            }
            for topic in all_subscribed_topics {
                let partition_count = self.group.partition_count(topic).expect("potential topics have metadata");
                for p in 0..partition_count {
                    let topic_partition = TopicPartition::new(topic.clone(), p);
                    if consumer_partitions.contains(&topic_partition) {
                        continue;
                    }
                    let other_consumer = all_partitions
                        .get(&topic_partition)
                        .ok_or_else(|| null_pointer(&format!("no member holds {topic_partition}")))?;
                    if consumer_partition_count + 1 < self.size_of(other_consumer)? {
                        return Ok(false); // it could be moved for a more balanced assignment
                    }
                }
            }
        }
        Ok(true)
    }

    /// `getMaxAssignmentSize`: how many partitions the member's topics have in total.
    fn get_max_assignment_size(&self, all_subscribed_topics: &[TopicName]) -> usize {
        if all_subscribed_topics.len() == self.group.partitions_per_topic.len() {
            self.group.total_partitions()
        } else {
            all_subscribed_topics
                .iter()
                .map(|topic| self.group.partition_count(topic).expect("potential topics have metadata") as usize)
                .sum()
        }
    }

    /// `maybeAssignPartition`: to the least loaded member subscribed to the topic.
    fn maybe_assign_partition(&mut self, partition: &TopicPartition) -> bool {
        let chosen = self
            .sorted_current_subscriptions
            .iter()
            .find(|key| self.consumer2_all_potential_topics[&key.consumer].contains(&partition.topic))
            .cloned();
        let Some(key) = chosen else { return false };
        self.sorted_current_subscriptions.remove(&key);
        self.current_assignment.get_mut(&key.consumer).expect("sorted members are present").push(partition.clone());
        self.current_partition_consumer.insert(partition.clone(), key.consumer.clone());
        self.sorted_current_subscriptions
            .insert(SubscriptionKey { assigned: key.assigned + 1, consumer: key.consumer });
        true
    }

    fn can_topic_participate_in_reassignment(&self, topic: &str) -> bool {
        self.topic2_all_potential_consumers[topic].len() >= 2
    }

    fn can_consumer_participate_in_reassignment(&self, consumer: &str) -> bool {
        let current_partitions = &self.current_assignment[consumer];
        let max_assignment_size = self.get_max_assignment_size(&self.consumer2_all_potential_topics[consumer]);
        // Kafka only logs "assigned more partitions than the maximum possible" here.
        current_partitions.len() < max_assignment_size
            || current_partitions.iter().any(|partition| self.can_topic_participate_in_reassignment(&partition.topic))
    }

    /// `balance`.
    fn balance(
        &mut self,
        prev_assignment: &BTreeMap<TopicPartition, ConsumerGenerationPair>,
        mut unassigned_partitions: Vec<TopicPartition>,
    ) -> Result<(), AssignmentError> {
        let last = self.sorted_current_subscriptions.last().ok_or_else(|| AssignmentError {
            exception: "NoSuchElementException",
            message: "sortedCurrentSubscriptions is empty".to_string(),
        })?;
        let initializing = self.size_of(&last.consumer)? == 0;

        for partition in &unassigned_partitions {
            if self.topic2_all_potential_consumers[&partition.topic].is_empty() {
                continue;
            }
            self.maybe_assign_partition(partition);
        }

        // Narrow the reassignment down to partitions and members that can move.
        let fixed_partitions: BTreeSet<TopicPartition> = self
            .topic2_all_potential_consumers
            .keys()
            .filter(|topic| !self.can_topic_participate_in_reassignment(topic))
            .flat_map(|topic| {
                let count = self.group.partition_count(topic).expect("potential topics have metadata");
                (0..count).map(move |p| TopicPartition::new(topic.clone(), p))
            })
            .collect();
        self.sorted_all_partitions.retain(|p| !fixed_partitions.contains(p));
        unassigned_partitions.retain(|p| !fixed_partitions.contains(p));

        let fixed_consumers: Vec<String> = self
            .consumer2_all_potential_topics
            .keys()
            .filter(|consumer| !self.can_consumer_participate_in_reassignment(consumer))
            .cloned()
            .collect();
        let mut fixed_assignments = BTreeMap::new();
        for consumer in fixed_consumers {
            let key = self.key_of(&consumer)?;
            self.sorted_current_subscriptions.remove(&key);
            let partitions = self.current_assignment.remove(&consumer).expect("every member is present");
            fixed_assignments.insert(consumer, partitions);
        }

        let pre_balance_assignment = self.current_assignment.clone();
        let pre_balance_partition_consumers = self.current_partition_consumer.clone();

        // Unless a revocation is needed anyway, first try to balance by moving only the
        // partitions that were just assigned.
        if !self.revocation_required {
            self.perform_reassignments(&unassigned_partitions, prev_assignment)?;
        }
        let sorted_all_partitions = self.sorted_all_partitions.clone();
        let reassignment_performed = self.perform_reassignments(&sorted_all_partitions, prev_assignment)?;

        if !initializing
            && reassignment_performed
            && balance_score(&self.current_assignment) >= balance_score(&pre_balance_assignment)
        {
            // The moves did not help: keep the assignment from before them. (Kafka leaves its
            // sorted member set stale here; nothing reads it afterwards.)
            self.current_assignment = pre_balance_assignment;
            self.current_partition_consumer = pre_balance_partition_consumers;
        }
        self.current_assignment.extend(fixed_assignments);
        Ok(())
    }

    /// `performReassignments`: passes over `reassignable_partitions` until one pass moves
    /// nothing. Returns whether anything moved.
    fn perform_reassignments(
        &mut self,
        reassignable_partitions: &[TopicPartition],
        prev_assignment: &BTreeMap<TopicPartition, ConsumerGenerationPair>,
    ) -> Result<bool, AssignmentError> {
        let mut reassignment_performed = false;
        loop {
            let mut modified = false;
            for partition in reassignable_partitions {
                if self.is_balanced()? {
                    break;
                }
                // Kafka logs an error if the partition has fewer than two potential members or
                // no current member, and goes on.
                let consumer = self
                    .current_partition_consumer
                    .get(partition)
                    .cloned()
                    .ok_or_else(|| null_pointer(&format!("{partition} has no current consumer")))?;
                let consumer_size = self.size_of(&consumer)?;

                if let Some(previous) = prev_assignment.get(partition) {
                    if consumer_size > self.size_of(&previous.consumer)? + 1 {
                        let previous_consumer = previous.consumer.clone();
                        self.reassign_partition_to(partition, &previous_consumer);
                        reassignment_performed = true;
                        modified = true;
                        continue;
                    }
                }

                // A better-suited member (without racks, any member with two fewer).
                let mut better_suited = false;
                for other_consumer in &self.topic2_all_potential_consumers[&partition.topic] {
                    if consumer_size > self.size_of(other_consumer)? + 1 {
                        better_suited = true;
                        break;
                    }
                }
                if better_suited {
                    self.reassign_partition(partition)?;
                    reassignment_performed = true;
                    modified = true;
                }
            }
            if !modified {
                return Ok(reassignment_performed);
            }
        }
    }

    /// `reassignPartition(partition)`: to the least loaded member subscribed to its topic.
    fn reassign_partition(&mut self, partition: &TopicPartition) -> Result<(), AssignmentError> {
        let new_consumer = self
            .sorted_current_subscriptions
            .iter()
            .find(|key| self.consumer2_all_potential_topics[&key.consumer].contains(&partition.topic))
            .map(|key| key.consumer.clone())
            .ok_or_else(|| null_pointer(&format!("no member can take {partition}")))?;
        self.reassign_partition_to(partition, &new_consumer);
        Ok(())
    }

    /// `reassignPartition(partition, newConsumer)`.
    fn reassign_partition_to(&mut self, partition: &TopicPartition, new_consumer: &str) {
        let consumer = self.current_partition_consumer[partition].clone();
        let partition_to_be_moved =
            self.partition_movements.get_the_actual_partition_to_be_moved(partition, &consumer, new_consumer);
        self.process_partition_movement(&partition_to_be_moved, new_consumer);
    }

    fn process_partition_movement(&mut self, partition: &TopicPartition, new_consumer: &str) {
        let old_consumer = self.current_partition_consumer[partition].clone();
        let old_key =
            SubscriptionKey { assigned: self.current_assignment[&old_consumer].len(), consumer: old_consumer.clone() };
        let new_key = SubscriptionKey {
            assigned: self.current_assignment[new_consumer].len(),
            consumer: new_consumer.to_string(),
        };
        self.sorted_current_subscriptions.remove(&old_key);
        self.sorted_current_subscriptions.remove(&new_key);

        self.partition_movements.move_partition(partition, &old_consumer, new_consumer);

        let removed = remove_first(self.current_assignment.get_mut(&old_consumer).expect("present"), partition);
        assert!(removed, "{partition} moves away from {old_consumer}, which holds it");
        self.current_assignment.get_mut(new_consumer).expect("present").push(partition.clone());
        self.current_partition_consumer.insert(partition.clone(), new_consumer.to_string());

        let old_key =
            SubscriptionKey { assigned: self.current_assignment[&old_consumer].len(), consumer: old_consumer };
        let new_key = SubscriptionKey {
            assigned: self.current_assignment[new_consumer].len(),
            consumer: new_consumer.to_string(),
        };
        self.sorted_current_subscriptions.insert(new_key);
        self.sorted_current_subscriptions.insert(old_key);
    }
}

/// `getBalanceScore`: the sum over all member pairs of the difference of their counts; 0 is
/// perfectly balanced.
fn balance_score(assignment: &BTreeMap<String, Vec<TopicPartition>>) -> usize {
    let sizes: Vec<usize> = assignment.values().map(Vec::len).collect();
    let mut score = 0;
    for (i, a) in sizes.iter().enumerate() {
        for b in &sizes[i + 1..] {
            score += a.abs_diff(*b);
        }
    }
    score
}
