//! The group as Kafka's leader hands it to an assignor: `AbstractPartitionAssignor.assign(
//! Cluster, GroupSubscription)` before it calls the assignor's own algorithm.
//!
//! The leader keeps the subscriptions in a `HashMap` keyed by member id, collects every
//! subscribed topic into a `HashSet`, and builds `partitionsPerTopic`, a `HashMap` of those
//! topics that the cluster metadata knows with at least one partition. Topics nobody subscribes
//! to are never seen by the assignor, nor are subscribed topics that do not exist (yet).
//!
//! Both maps are Java `HashMap`s, and the assignors iterate them, so their iteration order is
//! replayed here with [`JavaHashMap`]. The order in which the leader put the members into its
//! map (the JoinGroup response order) only matters for member ids that land in the same hash
//! bucket.

use super::java_hash::{JavaHashMap, JavaHashSet};
use super::subscription::Subscription;
use crate::protocol::types::TopicName;
use std::collections::BTreeMap;

pub(crate) struct GroupSubscription<'a> {
    /// Members in the iteration order of Kafka's `Map<String, Subscription>`.
    pub members: Vec<(&'a str, &'a Subscription)>,
    /// Subscribed topics with metadata, in the iteration order of Kafka's `partitionsPerTopic`.
    pub partitions_per_topic: Vec<(TopicName, i32)>,
    /// The same counts, for lookups.
    pub partition_counts: BTreeMap<TopicName, i32>,
    pub subscriptions: &'a BTreeMap<String, Subscription>,
}

impl<'a> GroupSubscription<'a> {
    /// `cluster_partition_counts` plays Kafka's `Cluster`: every topic the metadata knows.
    /// `join_order` lists the member ids in the order the leader received them; the
    /// subscription of each is looked up in `subscriptions`.
    pub(crate) fn new<'m>(
        cluster_partition_counts: &BTreeMap<TopicName, i32>,
        join_order: impl IntoIterator<Item = &'m str>,
        subscriptions: &'a BTreeMap<String, Subscription>,
    ) -> GroupSubscription<'a> {
        // `HashMap.put` of a member id seen before keeps its first place.
        let mut member_map = JavaHashMap::new();
        for member_id in join_order {
            let (member_id, subscription) =
                subscriptions.get_key_value(member_id).expect("every member has a subscription");
            member_map.insert(member_id.as_str(), subscription);
        }
        let members: Vec<(&str, &Subscription)> =
            member_map.iter().map(|(member_id, subscription)| (*member_id, *subscription)).collect();
        assert_eq!(members.len(), subscriptions.len(), "every subscription belongs to a member");

        let mut all_subscribed_topics = JavaHashSet::new();
        for (_, subscription) in &members {
            for topic in &subscription.topics {
                all_subscribed_topics.insert(topic.clone());
            }
        }
        let mut topic_map = JavaHashMap::new();
        for topic in all_subscribed_topics.iter() {
            match cluster_partition_counts.get(topic) {
                Some(&count) if count > 0 => {
                    topic_map.insert(topic.clone(), count);
                }
                _ => {} // "Skipping assignment for topic since no metadata is available"
            }
        }
        let partitions_per_topic: Vec<(TopicName, i32)> =
            topic_map.iter().map(|(topic, count)| (topic.clone(), *count)).collect();
        let partition_counts = partitions_per_topic.iter().cloned().collect();
        GroupSubscription { members, partitions_per_topic, partition_counts, subscriptions }
    }

    pub(crate) fn partition_count(&self, topic: &str) -> Option<i32> {
        self.partition_counts.get(topic).copied()
    }

    /// Kafka's `totalPartitionsCount`: every partition of every topic in `partitionsPerTopic`.
    pub(crate) fn total_partitions(&self) -> usize {
        self.partitions_per_topic.iter().map(|(_, count)| *count as usize).sum()
    }
}
