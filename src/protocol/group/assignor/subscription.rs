//! What one group member tells the leader's assignor when it joins: Kafka's
//! `ConsumerPartitionAssignor.Subscription`.
//!
//! A member sends its subscribed topics, the partitions it owns (KIP-429 `ownedPartitions`,
//! protocol v1+), the generation of its last assignment (KIP-792 `generationId`, protocol v2+),
//! its `group.instance.id` (KIP-345 static membership) and its `client.rack` (KIP-881).
//!
//! Kafka carries ownership two ways, and this one struct stands for both:
//! - `StickyAssignor` (eager) revokes everything before rejoining, so the `ownedPartitions` field
//!   is empty on the wire; the previous assignment and its generation travel in the assignor's
//!   `userData` instead. Here `owned_partitions` and `generation` are that `userData`.
//! - `CooperativeStickyAssignor` reads the `ownedPartitions` and `generationId` fields.
//!
//! Not modelled: a member whose `userData` generation differs from its `generationId` field
//! (Kafka's `StickyAssignor` reads its own generation from `userData` but another member's from
//! `generationId`; both hold the same value unless the member lost its generation in between).

use crate::protocol::types::{TopicName, TopicPartition};

/// Kafka's `AbstractStickyAssignor.DEFAULT_GENERATION`: "no generation known".
pub const DEFAULT_GENERATION: i32 = -1;

/// One member's subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subscription {
    /// Subscribed topics, in the order the member listed them (Kafka keeps a `List`).
    pub topics: Vec<TopicName>,
    /// Partitions the member owned before this rebalance, in the member's order.
    pub owned_partitions: Vec<TopicPartition>,
    /// The generation of the assignment that `owned_partitions` came from; `None` (or a negative
    /// value, which Kafka's `Subscription` turns into "absent") for none.
    pub generation: Option<i32>,
    /// `group.instance.id` of a static member.
    pub group_instance_id: Option<String>,
    /// `client.rack`. Kept for completeness: rack-aware assignment (KIP-881) also needs the racks
    /// of each partition's replicas, which the assignor input here does not carry, and Kafka
    /// itself assigns without racks when partitions have none. So it never changes the result.
    pub rack_id: Option<String>,
}

impl Subscription {
    pub fn new<T: Into<TopicName>>(topics: impl IntoIterator<Item = T>) -> Subscription {
        Subscription { topics: topics.into_iter().map(Into::into).collect(), ..Default::default() }
    }

    pub fn with_owned_partitions(mut self, owned_partitions: impl IntoIterator<Item = TopicPartition>) -> Subscription {
        self.owned_partitions = owned_partitions.into_iter().collect();
        self
    }

    pub fn with_generation(mut self, generation: i32) -> Subscription {
        self.generation = Some(generation);
        self
    }

    pub fn with_group_instance_id(mut self, group_instance_id: impl Into<String>) -> Subscription {
        self.group_instance_id = Some(group_instance_id.into());
        self
    }

    /// The generation as Kafka's `Subscription.generationId()` reports it: absent when negative.
    pub fn generation_id(&self) -> Option<i32> {
        self.generation.filter(|generation| *generation >= 0)
    }

    /// `topics().contains(topic)`.
    pub(crate) fn subscribes_to(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| &**t == topic)
    }
}
