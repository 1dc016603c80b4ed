//! Kafka's four consumer partition assignors, as the Java client's group leader runs them:
//! `range`, `roundrobin`, `sticky` and `cooperative-sticky` (`partition.assignment.strategy`).
//!
//! In the classic consumer group protocol the group coordinator (a broker) does not assign
//! partitions. It picks one member as leader and hands it every member's [`Subscription`]; the
//! leader runs the assignor named by the group's protocol, an implementation of Kafka's
//! `ConsumerPartitionAssignor`, and sends the result back through the coordinator. Each module
//! here follows one Java class and says what it does not model:
//!
//! | name                 | Kafka class                                         | module                |
//! |----------------------|-----------------------------------------------------|-----------------------|
//! | `range`              | `org.apache.kafka.clients.consumer.RangeAssignor`   | `range`               |
//! | `roundrobin`         | `...consumer.RoundRobinAssignor`                    | `round_robin`         |
//! | `sticky`             | `...consumer.StickyAssignor` (KIP-54)               | `sticky_assignor`     |
//! | `cooperative-sticky` | `...consumer.CooperativeStickyAssignor` (KIP-429)   | `cooperative_sticky`  |
//!
//! The two sticky assignors share `...consumer.internals.AbstractStickyAssignor` (modules
//! `sticky`, `sticky_constrained`, `sticky_general`, `partition_movements`), and every assignor
//! first goes through `AbstractPartitionAssignor` (module `group_subscription`).
//!
//! The result is the Java client's, partition for partition and in the same order inside each
//! member's list: where Java iterates a `HashMap`, the iteration order is replayed (`java_hash`),
//! and names are compared as Java compares `String`s. Everything is pure and deterministic: the
//! same input always gives the same output.
//!
//! Not modelled anywhere: rack-aware assignment (KIP-881), because the input carries partition
//! counts, not replica placement; Kafka itself assigns without racks when partitions carry none.

mod cooperative_sticky;
mod group_subscription;
mod java_hash;
mod member_info;
mod partition_movements;
mod range;
mod round_robin;
mod sticky;
mod sticky_assignor;
mod sticky_constrained;
mod sticky_general;
mod subscription;

#[cfg(test)]
mod cooperative_sticky_tests;
#[cfg(test)]
mod kafka_golden_tests;
#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod range_tests;
#[cfg(test)]
mod round_robin_tests;
#[cfg(test)]
mod sticky_tests;
#[cfg(test)]
mod test_support;

pub use subscription::{Subscription, DEFAULT_GENERATION};

use crate::protocol::types::{TopicName, TopicPartition};
use group_subscription::GroupSubscription;
use std::collections::BTreeMap;
use std::fmt;

/// Member id to its assigned partitions, in the assignor's order. Every member is present,
/// with an empty list if it gets nothing.
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// Kafka's `ConsumerPartitionAssignor.RebalanceProtocol`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RebalanceProtocol {
    /// Every member revokes all its partitions before rejoining (stop-the-world).
    Eager,
    /// Members keep their partitions and revoke only those that move (KIP-429).
    Cooperative,
}

/// Where Kafka's Java assignor throws instead of returning an assignment. These are Kafka's own
/// failure paths, reproduced on purpose (a leader hitting one fails its rebalance).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Kafka's assignor throws {exception}: {message}")]
pub struct AssignmentError {
    /// The simple name of the Java exception class.
    pub exception: &'static str,
    pub message: String,
}

/// One of Kafka's built-in consumer assignors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Assignor {
    Range,
    RoundRobin,
    Sticky,
    CooperativeSticky,
}

impl Assignor {
    pub const ALL: [Assignor; 4] =
        [Assignor::Range, Assignor::RoundRobin, Assignor::Sticky, Assignor::CooperativeSticky];

    /// The protocol name Kafka puts in JoinGroup (`ConsumerPartitionAssignor.name()`).
    pub fn name(self) -> &'static str {
        match self {
            Assignor::Range => "range",
            Assignor::RoundRobin => "roundrobin",
            Assignor::Sticky => "sticky",
            Assignor::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// The class name `partition.assignment.strategy` takes.
    pub fn class_name(self) -> &'static str {
        match self {
            Assignor::Range => "org.apache.kafka.clients.consumer.RangeAssignor",
            Assignor::RoundRobin => "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            Assignor::Sticky => "org.apache.kafka.clients.consumer.StickyAssignor",
            Assignor::CooperativeSticky => "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        }
    }

    /// Accepts the protocol name (`range`) or the class name
    /// (`org.apache.kafka.clients.consumer.RangeAssignor`), exactly as Kafka spells them.
    pub fn from_kafka_name(name: &str) -> Option<Assignor> {
        Assignor::ALL.into_iter().find(|a| a.name() == name || a.class_name() == name)
    }

    /// `supportedProtocols()`, in Kafka's order of preference.
    pub fn supported_protocols(self) -> &'static [RebalanceProtocol] {
        match self {
            Assignor::CooperativeSticky => &[RebalanceProtocol::Cooperative, RebalanceProtocol::Eager],
            _ => &[RebalanceProtocol::Eager],
        }
    }

    /// Assigns the partitions of the subscribed topics to the members.
    ///
    /// `partitions_per_topic` plays the cluster metadata: topics nobody subscribes to, and
    /// topics with no partitions, are ignored, as Kafka's `AbstractPartitionAssignor` ignores
    /// them. Owned partitions are expected to exist (or to belong to deleted topics).
    ///
    /// # Panics
    /// Where Kafka's Java assignor throws (see [`Assignor::try_assign`]).
    pub fn assign(
        self,
        partitions_per_topic: &BTreeMap<TopicName, i32>,
        subscriptions: &BTreeMap<String, Subscription>,
    ) -> Assignment {
        match self.try_assign(partitions_per_topic, subscriptions) {
            Ok(assignment) => assignment,
            Err(error) => panic!("{} assignment failed: {error}", self.name()),
        }
    }

    /// Like [`Assignor::assign`], but reports the inputs on which Kafka's Java assignor throws:
    /// an empty group for `roundrobin` (`IllegalArgumentException`) and for the sticky
    /// assignors (`ArithmeticException`; the coordinator never asks to assign an empty group),
    /// and the sticky assignors' `NullPointerException` when a member that cannot take part in
    /// rebalancing is the older-generation owner of a partition that has to move.
    pub fn try_assign(
        self,
        partitions_per_topic: &BTreeMap<TopicName, i32>,
        subscriptions: &BTreeMap<String, Subscription>,
    ) -> Result<Assignment, AssignmentError> {
        let join_order = subscriptions.keys().map(String::as_str);
        self.assign_group(&GroupSubscription::new(partitions_per_topic, join_order, subscriptions))
    }

    /// [`Assignor::try_assign`] for members listed in the order the leader received them (the
    /// JoinGroup response order), which is the order Kafka's leader puts them into its
    /// subscription `HashMap`. The order only matters for member ids whose Java hash codes share
    /// a bucket; [`Assignor::try_assign`] uses member-id order. A member id listed twice keeps
    /// its first place and its last subscription, as `HashMap.put` does.
    pub fn try_assign_in_join_order(
        self,
        partitions_per_topic: &BTreeMap<TopicName, i32>,
        members: &[(String, Subscription)],
    ) -> Result<Assignment, AssignmentError> {
        let subscriptions: BTreeMap<String, Subscription> = members.iter().cloned().collect();
        let join_order = members.iter().map(|(member_id, _)| member_id.as_str());
        self.assign_group(&GroupSubscription::new(partitions_per_topic, join_order, &subscriptions))
    }

    fn assign_group(self, group: &GroupSubscription<'_>) -> Result<Assignment, AssignmentError> {
        let assignment = match self {
            Assignor::Range => range::assign(group),
            Assignor::RoundRobin => round_robin::assign(group)?,
            Assignor::Sticky => sticky_assignor::assign(group)?,
            Assignor::CooperativeSticky => cooperative_sticky::assign(group)?,
        };
        assert!(
            assignment.keys().eq(group.subscriptions.keys()),
            "{} returns a list for every member and no one else",
            self.name()
        );
        Ok(assignment)
    }
}

impl fmt::Display for Assignor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{group, partitions, topics};
    use super::*;

    #[test]
    fn kafka_names_and_class_names_both_resolve() {
        for assignor in Assignor::ALL {
            assert_eq!(Assignor::from_kafka_name(assignor.name()), Some(assignor));
            assert_eq!(Assignor::from_kafka_name(assignor.class_name()), Some(assignor));
            assert_eq!(assignor.to_string(), assignor.name());
        }
        assert_eq!(
            Assignor::from_kafka_name("org.apache.kafka.clients.consumer.CooperativeStickyAssignor"),
            Some(Assignor::CooperativeSticky)
        );
        assert_eq!(Assignor::from_kafka_name("roundrobin"), Some(Assignor::RoundRobin));
        // Kafka's names are case-sensitive; so are these.
        assert_eq!(Assignor::from_kafka_name("Range"), None);
        assert_eq!(Assignor::from_kafka_name("round-robin"), None);
        assert_eq!(Assignor::from_kafka_name("RangeAssignor"), None);
    }

    /// "Aa" and "BB" have the same Java hash code, so Kafka's leader visits them in the order it
    /// put them into its `HashMap`, and the first of them keeps its third partition. (Both
    /// results checked against Kafka's Java classes.)
    #[test]
    fn join_order_decides_between_member_ids_in_one_hash_bucket() {
        let t = topics(&[("t", 7)]);
        let member = |owned: &str| Subscription::new(["t"]).with_owned_partitions(partitions(owned)).with_generation(1);
        let aa = ("Aa".to_string(), member("t-0, t-1, t-2"));
        let bb = ("BB".to_string(), member("t-3, t-4, t-5"));
        let c = ("C".to_string(), member("t-6"));

        let aa_first = Assignor::Sticky.try_assign_in_join_order(&t, &[aa.clone(), bb.clone(), c.clone()]).unwrap();
        assert_eq!(aa_first["Aa"], partitions("t-0, t-1, t-2"));
        assert_eq!(aa_first["BB"], partitions("t-3, t-4"));
        assert_eq!(aa_first["C"], partitions("t-6, t-5"));

        let bb_first = Assignor::Sticky.try_assign_in_join_order(&t, &[bb, aa, c]).unwrap();
        assert_eq!(bb_first["Aa"], partitions("t-0, t-1"));
        assert_eq!(bb_first["BB"], partitions("t-3, t-4, t-5"));
        assert_eq!(bb_first["C"], partitions("t-6, t-2"));

        // `try_assign` puts members in member-id order: "Aa" < "BB".
        let by_member_id =
            group(vec![("Aa", member("t-0, t-1, t-2")), ("BB", member("t-3, t-4, t-5")), ("C", member("t-6"))]);
        assert_eq!(Assignor::Sticky.assign(&t, &by_member_id), aa_first);
    }

    #[test]
    fn topics_nobody_subscribes_to_or_without_partitions_are_ignored() {
        let t = topics(&[("orders", 2), ("empty", 0), ("unwanted", 5)]);
        let members = group(vec![("m", Subscription::new(["orders", "empty", "missing"]))]);
        for assignor in Assignor::ALL {
            assert_eq!(assignor.assign(&t, &members)["m"], partitions("orders-0, orders-1"), "{assignor}");
        }
    }

    #[test]
    #[should_panic(expected = "IllegalArgumentException")]
    fn assign_panics_where_kafka_throws() {
        Assignor::RoundRobin.assign(&topics(&[("t", 1)]), &BTreeMap::new());
    }
}
