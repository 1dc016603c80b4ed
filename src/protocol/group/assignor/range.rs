//! `range`: Kafka's `org.apache.kafka.clients.consumer.RangeAssignor` (eager only).
//!
//! Topic by topic, the members subscribed to the topic are lined up in `MemberInfo` order
//! (static members by `group.instance.id`, then dynamic members by member id, KIP-345) and the
//! partitions, in numeric order, are cut into consecutive ranges: each member gets
//! `partitions / members` of them and the first `partitions % members` members one more. Members
//! subscribed to the same topics therefore get the same partition numbers of every topic, which
//! is what makes `range` the choice for joining co-partitioned topics.
//!
//! A member's list holds its ranges topic after topic, in the iteration order of the leader's
//! `partitionsPerTopic` `HashMap` (replayed exactly, see `java_hash`), as the Java client does.
//!
//! Not modelled: the rack-aware pass of KIP-881, which needs the racks of every partition's
//! replicas; without them Kafka runs exactly the algorithm above.

use super::group_subscription::GroupSubscription;
use super::member_info::{sort_members, MemberInfo};
use super::Assignment;
use crate::protocol::types::TopicPartition;
use std::collections::BTreeMap;

pub(crate) fn assign(group: &GroupSubscription<'_>) -> Assignment {
    let mut consumers_per_topic: BTreeMap<&str, Vec<MemberInfo<'_>>> = BTreeMap::new();
    for (member_id, subscription) in &group.members {
        let member = MemberInfo { member_id, group_instance_id: subscription.group_instance_id.as_deref() };
        for topic in &subscription.topics {
            consumers_per_topic.entry(topic).or_default().push(member);
        }
    }

    let mut assignment: Assignment =
        group.members.iter().map(|(member_id, _)| (member_id.to_string(), Vec::new())).collect();

    for (topic, partition_count) in &group.partitions_per_topic {
        let mut members = consumers_per_topic.get(&**topic).cloned().unwrap_or_default();
        sort_members(&mut members);
        // Kafka collects them into a LinkedHashMap keyed by member id: a member that listed the
        // topic twice still counts once, at its first place.
        let mut consumers: Vec<&str> = Vec::with_capacity(members.len());
        for member in &members {
            if !consumers.contains(&member.member_id) {
                consumers.push(member.member_id);
            }
        }
        for (consumer, range) in ranges(*partition_count, consumers.len()).into_iter().enumerate() {
            let partitions = assignment.get_mut(consumers[consumer]).expect("every member has a list");
            partitions.extend(range.map(|partition| TopicPartition::new(topic.clone(), partition)));
        }
    }
    assignment
}

/// The consecutive partition range of each of `consumer_count` consumers, in consumer order:
/// `TopicAssignmentState` with `maxAssignable` = quota plus one while members with an extra
/// partition remain.
fn ranges(partition_count: i32, consumer_count: usize) -> Vec<std::ops::Range<i32>> {
    if consumer_count == 0 {
        return Vec::new();
    }
    let consumer_count = consumer_count as i32;
    let partitions_per_consumer = partition_count / consumer_count;
    let consumers_with_extra_partition = partition_count % consumer_count;
    let mut next_partition = 0;
    let mut result = Vec::with_capacity(consumer_count as usize);
    for consumer in 0..consumer_count {
        let size = partitions_per_consumer + i32::from(consumer < consumers_with_extra_partition);
        result.push(next_partition..next_partition + size);
        next_partition += size;
    }
    assert_eq!(next_partition, partition_count, "the ranges cover every partition exactly once");
    result
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn first_consumers_take_the_remainder() {
        assert_eq!(ranges(7, 3), vec![0..3, 3..5, 5..7]);
        assert_eq!(ranges(2, 3), vec![0..1, 1..2, 2..2]);
        assert_eq!(ranges(3, 0), vec![]);
    }
}
