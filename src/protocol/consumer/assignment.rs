//! The group leader's assignment step (`ConsumerCoordinator.onLeaderElected` /
//! `performAssignment`): run the assignor the group chose over every member's subscription,
//! with Kafka's exact assignors (`protocol::group::assignor`).
//!
//! Kafka's assignors give each partition to one member; the coordinator forwards whatever the
//! leader sends without checking that (`GroupCoordinator.handleSyncGroup`), so it is asserted
//! here, where the assignment is made. The planted bug `assignor-overlaps` breaks it on purpose.

use crate::protocol::config::planted_bug::PlantedBug;
use crate::protocol::group::assignor::{self, Assignor, Subscription};
use crate::protocol::message::JoinGroupMember;
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub use crate::protocol::group::assignor::RebalanceProtocol;

/// The rebalance protocol a consumer uses: the one every configured assignor supports,
/// preferring cooperative (`ConsumerCoordinator`'s protocol selection, KIP-429). Kafka's default
/// list [range, cooperative-sticky] is therefore eager.
pub fn rebalance_protocol(strategies: &[String]) -> RebalanceProtocol {
    let assignors: Vec<Assignor> = strategies.iter().filter_map(|s| Assignor::from_kafka_name(s)).collect();
    let all_cooperative = !assignors.is_empty()
        && assignors.iter().all(|a| a.supported_protocols().contains(&RebalanceProtocol::Cooperative));
    if all_cooperative {
        RebalanceProtocol::Cooperative
    } else {
        RebalanceProtocol::Eager
    }
}

/// The assignment `strategy` produces for `members` (in the order the coordinator listed them),
/// given each topic's partition count. A strategy Kafka would fail on gives everyone nothing.
/// Under the planted bug [`PlantedBug::AssignorOverlaps`] the result is then passed through
/// [`overlap_first_partitions`].
pub fn assign(
    strategy: &str,
    members: &[JoinGroupMember],
    partition_counts: &BTreeMap<TopicName, i32>,
    planted_bug: PlantedBug,
) -> Vec<(String, Vec<TopicPartition>)> {
    let Some(assignor) = Assignor::from_kafka_name(strategy) else {
        return members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect();
    };
    let subscriptions: Vec<(String, Subscription)> = members
        .iter()
        .map(|m| {
            let mut subscription = Subscription::new(m.subscription.topics.clone())
                .with_owned_partitions(m.subscription.owned_partitions.clone());
            if m.subscription.generation_id >= 0 {
                subscription = subscription.with_generation(m.subscription.generation_id);
            }
            if let Some(instance) = &m.group_instance_id {
                subscription = subscription.with_group_instance_id(instance.clone());
            }
            (m.member_id.clone(), subscription)
        })
        .collect();
    let assigned: assignor::Assignment = assignor
        .try_assign_in_join_order(partition_counts, &subscriptions)
        .unwrap_or_else(|_| members.iter().map(|m| (m.member_id.clone(), Vec::new())).collect());
    let mut assignments: Vec<(String, Vec<TopicPartition>)> = assigned.into_iter().collect();
    if planted_bug == PlantedBug::AssignorOverlaps {
        overlap_first_partitions(members, &mut assignments);
    } else {
        // Checked here rather than in the coordinator, which (as Kafka's) does not validate
        // what the leader sends, and cannot know that a planted bug sent it.
        let mut given: Vec<&TopicPartition> = assignments.iter().flat_map(|(_, a)| a).collect();
        let count = given.len();
        given.sort();
        given.dedup();
        assert_eq!(count, given.len(), "the {strategy} assignor gave a partition to two members: {assignments:?}");
    }
    assignments
}

/// The planted bug `assignor-overlaps`: each member's first assigned partition also goes to the
/// next member in `members` order (the last member's to the first), so two members of one
/// generation own it. Kafka's assignors never do this; a buggy custom assignor could, and the
/// coordinator would hand it out as it is.
pub fn overlap_first_partitions(members: &[JoinGroupMember], assignments: &mut [(String, Vec<TopicPartition>)]) {
    let first_of = |assignments: &[(String, Vec<TopicPartition>)], member: &str| {
        assignments.iter().find(|(m, _)| m == member).and_then(|(_, a)| a.first().cloned())
    };
    let firsts: Vec<Option<TopicPartition>> = members.iter().map(|m| first_of(assignments, &m.member_id)).collect();
    for (i, first) in firsts.into_iter().enumerate() {
        let Some(tp) = first else { continue };
        let next = &members[(i + 1) % members.len()].member_id;
        if let Some((_, partitions)) = assignments.iter_mut().find(|(m, _)| m == next) {
            if !partitions.contains(&tp) {
                partitions.push(tp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::message::ConsumerSubscription;

    fn members(ids: &[&str]) -> Vec<JoinGroupMember> {
        ids.iter()
            .map(|id| JoinGroupMember {
                member_id: id.to_string(),
                group_instance_id: None,
                subscription: ConsumerSubscription {
                    topics: vec![TopicName::from("t")],
                    owned_partitions: Vec::new(),
                    generation_id: -1,
                },
            })
            .collect()
    }

    fn tp(partition: i32) -> TopicPartition {
        TopicPartition::new(TopicName::from("t"), partition)
    }

    #[test]
    fn the_planted_assignor_overlaps_gives_each_first_partition_to_the_next_member_too() {
        let members = members(&["a", "b", "c"]);
        let counts = BTreeMap::from([(TopicName::from("t"), 6)]);
        // Kafka's range assignor: two partitions each, nothing shared.
        let kafka =
            vec![("a".into(), vec![tp(0), tp(1)]), ("b".into(), vec![tp(2), tp(3)]), ("c".into(), vec![tp(4), tp(5)])];
        assert_eq!(assign("range", &members, &counts, PlantedBug::None), kafka);
        // The planted bug: a's first (0) also to b, b's (2) to c, and c's (4) wraps around to a.
        let overlapping = vec![
            ("a".into(), vec![tp(0), tp(1), tp(4)]),
            ("b".into(), vec![tp(2), tp(3), tp(0)]),
            ("c".into(), vec![tp(4), tp(5), tp(2)]),
        ];
        assert_eq!(assign("range", &members, &counts, PlantedBug::AssignorOverlaps), overlapping);
    }

    #[test]
    fn the_planted_overlap_skips_members_with_nothing_and_a_lone_member() {
        // One partition, two members: only a has a first partition, and b gets it too.
        let two = members(&["a", "b"]);
        let counts = BTreeMap::from([(TopicName::from("t"), 1)]);
        let shared = vec![("a".into(), vec![tp(0)]), ("b".into(), vec![tp(0)])];
        assert_eq!(assign("range", &two, &counts, PlantedBug::AssignorOverlaps), shared);
        // A lone member is its own next member: nothing changes.
        let one = members(&["a"]);
        assert_eq!(assign("range", &one, &counts, PlantedBug::AssignorOverlaps), vec![("a".into(), vec![tp(0)])]);
    }
}
