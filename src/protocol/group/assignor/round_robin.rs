//! `roundrobin`: Kafka's `org.apache.kafka.clients.consumer.RoundRobinAssignor` (eager only).
//!
//! All partitions of all subscribed topics are laid out topic by topic (topics in Java `String`
//! order, partitions in numeric order) and dealt to the members in `MemberInfo` order (static
//! members by `group.instance.id`, then dynamic members by member id, KIP-345), one at a time,
//! round and round. A member not subscribed to a partition's topic is skipped for that
//! partition. With identical subscriptions the counts differ by at most one; with different
//! subscriptions the result can be far from balanced, which is what `sticky` improves on.
//!
//! An empty group fails as in Kafka, whose `CircularIterator` refuses an empty member list with
//! an `IllegalArgumentException` (the coordinator never asks to assign an empty group).

use super::group_subscription::GroupSubscription;
use super::java_hash::java_string_cmp;
use super::member_info::{sort_members, MemberInfo};
use super::{Assignment, AssignmentError};
use crate::protocol::types::{TopicName, TopicPartition};

pub(crate) fn assign(group: &GroupSubscription<'_>) -> Result<Assignment, AssignmentError> {
    let mut assignment: Assignment =
        group.members.iter().map(|(member_id, _)| (member_id.to_string(), Vec::new())).collect();
    let mut members: Vec<MemberInfo<'_>> = group
        .members
        .iter()
        .map(|(member_id, subscription)| MemberInfo {
            member_id,
            group_instance_id: subscription.group_instance_id.as_deref(),
        })
        .collect();
    sort_members(&mut members);
    if members.is_empty() {
        return Err(AssignmentError {
            exception: "IllegalArgumentException",
            message: "there is no member to deal the partitions to".to_string(),
        });
    }

    // A `CircularIterator` over the sorted members: `peek` is `members[next]`.
    let mut next = 0;
    for partition in all_partitions_sorted(group) {
        while !group.subscriptions[members[next].member_id].subscribes_to(&partition.topic) {
            next = (next + 1) % members.len();
        }
        let member_id = members[next].member_id;
        next = (next + 1) % members.len();
        assignment.get_mut(member_id).expect("every member has a list").push(partition);
    }
    Ok(assignment)
}

/// Every partition of every subscribed topic with metadata: topics from a `TreeSet<String>`,
/// partitions `0..n`.
fn all_partitions_sorted(group: &GroupSubscription<'_>) -> Vec<TopicPartition> {
    let mut topics: Vec<&TopicName> = group.members.iter().flat_map(|(_, subscription)| &subscription.topics).collect();
    topics.sort_by(|a, b| java_string_cmp(a, b));
    topics.dedup();
    topics
        .into_iter()
        .filter_map(|topic| group.partition_count(topic).map(|count| (topic, count)))
        .flat_map(|(topic, count)| (0..count).map(move |p| TopicPartition::new(topic.clone(), p)))
        .collect()
}
