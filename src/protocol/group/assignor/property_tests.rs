//! Property tests: the invariants Kafka's assignors promise, over random groups.
//!
//! Exact agreement with Kafka is pinned by the ported and golden tests; these check that the
//! promises hold everywhere else: validity (each partition once, to a subscriber), balance,
//! stickiness when members come and go, co-partitioning for `range`, the cooperative two-step
//! converging, and determinism.

use super::{Assignment, Assignor, Subscription};
use crate::protocol::types::{TopicName, TopicPartition};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
struct Group {
    partitions_per_topic: BTreeMap<TopicName, i32>,
    members: BTreeMap<String, Subscription>,
}

impl Group {
    /// Every partition of a topic with partitions that some member subscribes to.
    fn subscribed_partitions(&self) -> BTreeSet<TopicPartition> {
        let subscribed: BTreeSet<&TopicName> = self.members.values().flat_map(|s| &s.topics).collect();
        self.partitions_per_topic
            .iter()
            .filter(|(topic, _)| subscribed.contains(topic))
            .flat_map(|(topic, count)| (0..*count).map(move |p| TopicPartition::new(topic.clone(), p)))
            .collect()
    }

    fn all_subscriptions_equal(&self) -> bool {
        let mut topic_sets = self.members.values().map(|s| s.topics.iter().collect::<BTreeSet<_>>());
        let first = topic_sets.next();
        topic_sets.all(|set| Some(&set) == first.as_ref())
    }

    /// The group after a rebalance: each member owns what it was given, in `generation`.
    fn after(&self, assignment: &Assignment, generation: i32) -> Group {
        let mut next = self.clone();
        for (member, subscription) in next.members.iter_mut() {
            subscription.owned_partitions = assignment[member].clone();
            subscription.generation = Some(generation);
        }
        next
    }
}

const TOPICS: [&str; 4] = ["orders", "payments", "clicks", "audit"];

/// 1 to 4 topics with 0 to 12 partitions, and 1 to 7 members each subscribed to a non-empty
/// subset of them (or all of them, if `uniform`), owning random partitions of their topics in
/// random generations, with conflicting claims allowed.
fn group(uniform: bool) -> impl Strategy<Value = Group> {
    (prop::collection::vec(0i32..12, 1..=TOPICS.len()), 1usize..8).prop_flat_map(move |(counts, member_count)| {
        let topic_count = counts.len();
        let total: usize = counts.iter().map(|c| *c as usize).sum();
        let member = (
            prop::collection::vec(any::<bool>(), topic_count),
            prop::collection::vec(prop::bool::weighted(0.25), total),
            prop::option::of(0i32..4),
            prop::option::weighted(0.2, 0usize..3),
        );
        (Just(counts), prop::collection::vec(member, member_count))
            .prop_map(move |(counts, members)| build_group(&counts, &members, uniform))
    })
}

type MemberSeed = (Vec<bool>, Vec<bool>, Option<i32>, Option<usize>);

fn build_group(counts: &[i32], seeds: &[MemberSeed], uniform: bool) -> Group {
    let partitions_per_topic: BTreeMap<TopicName, i32> =
        counts.iter().enumerate().map(|(i, count)| (TopicName::from(TOPICS[i]), *count)).collect();
    let all_partitions: Vec<TopicPartition> = counts
        .iter()
        .enumerate()
        .flat_map(|(i, count)| (0..*count).map(move |p| TopicPartition::new(TOPICS[i], p)))
        .collect();
    let mut members = BTreeMap::new();
    for (index, (topic_mask, owned_mask, generation, instance)) in seeds.iter().enumerate() {
        let mut topics: Vec<TopicName> =
            (0..counts.len()).filter(|i| uniform || topic_mask[*i]).map(|i| TopicName::from(TOPICS[i])).collect();
        if topics.is_empty() {
            topics.push(TopicName::from(TOPICS[index % counts.len()]));
        }
        let owned = all_partitions
            .iter()
            .zip(owned_mask)
            .filter(|(tp, owned)| **owned && topics.contains(&tp.topic))
            .map(|(tp, _)| tp.clone())
            .collect();
        let subscription = Subscription {
            topics,
            owned_partitions: owned,
            generation: *generation,
            group_instance_id: instance.map(|i| format!("instance-{i}")),
            rack_id: None,
        };
        members.insert(format!("consumer-{index}"), subscription);
    }
    Group { partitions_per_topic, members }
}

/// Each assigned partition is assigned once, to a member subscribed to its topic.
fn assert_valid(group: &Group, assignment: &Assignment) -> Result<BTreeSet<TopicPartition>, TestCaseError> {
    let mut assigned = BTreeSet::new();
    for (member, partitions) in assignment {
        for partition in partitions {
            prop_assert!(group.members[member].subscribes_to(&partition.topic), "{partition} given to {member}");
            prop_assert!(assigned.insert(partition.clone()), "{partition} assigned twice");
        }
    }
    Ok(assigned)
}

fn counts(assignment: &Assignment) -> (usize, usize) {
    let sizes = assignment.values().map(Vec::len);
    (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0))
}

/// Whether some member loses a partition it owns (which triggers a follow-up rebalance).
fn revokes(group: &Group, assignment: &Assignment) -> bool {
    group.members.iter().any(|(member, subscription)| {
        subscription.owned_partitions.iter().any(|partition| !assignment[member].contains(partition))
    })
}

/// Kafka's `verifyValidityAndBalance`: two members whose counts differ by two or more have no
/// topic in common among their assigned partitions (else one could move).
fn assert_no_partition_could_move(assignment: &Assignment) -> Result<(), TestCaseError> {
    for (a, a_partitions) in assignment {
        for (b, b_partitions) in assignment {
            if a_partitions.len() >= b_partitions.len() + 2 {
                let b_topics: BTreeSet<&TopicName> = b_partitions.iter().map(|p| &p.topic).collect();
                for partition in a_partitions {
                    prop_assert!(!b_topics.contains(&partition.topic), "{partition} could move from {a} to {b}");
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_subscribed_partition_goes_to_exactly_one_subscriber(group in group(false)) {
        for assignor in [Assignor::Range, Assignor::RoundRobin, Assignor::Sticky] {
            // Kafka's sticky general algorithm throws on a few inputs; those are its own bug.
            let Ok(assignment) = assignor.try_assign(&group.partitions_per_topic, &group.members) else {
                prop_assert_ne!(assignor, Assignor::Range);
                prop_assert_ne!(assignor, Assignor::RoundRobin);
                continue;
            };
            prop_assert!(assignment.keys().eq(group.members.keys()));
            let assigned = assert_valid(&group, &assignment)?;
            prop_assert_eq!(assigned, group.subscribed_partitions(), "{}", assignor);
        }
    }

    #[test]
    fn uniform_subscriptions_balance_to_within_one(group in group(true)) {
        for assignor in [Assignor::RoundRobin, Assignor::Sticky] {
            let assignment = assignor.assign(&group.partitions_per_topic, &group.members);
            let (min, max) = counts(&assignment);
            prop_assert!(max <= min + 1, "{}: {} to {} partitions", assignor, min, max);
        }
    }

    #[test]
    fn sticky_leaves_no_partition_that_could_move(group in group(false)) {
        if let Ok(assignment) = Assignor::Sticky.try_assign(&group.partitions_per_topic, &group.members) {
            assert_no_partition_could_move(&assignment)?;
        }
    }

    #[test]
    fn cooperative_holds_back_only_owned_partitions_and_converges(group in group(false)) {
        let Ok(mut assignment) = Assignor::CooperativeSticky.try_assign(&group.partitions_per_topic, &group.members)
        else {
            return Ok(());
        };
        let owned: BTreeSet<&TopicPartition> = group.members.values().flat_map(|s| &s.owned_partitions).collect();
        let assigned = assert_valid(&group, &assignment)?;
        for partition in group.subscribed_partitions().difference(&assigned) {
            prop_assert!(owned.contains(partition), "{partition} held back but owned by nobody");
        }

        // Follow-up rebalances, as the revocations trigger them, reach the full assignment
        // (Kafka's cooperative test harness allows four).
        let mut current = group.clone();
        for follow_up in 0..=4 {
            if !revokes(&current, &assignment) {
                break;
            }
            prop_assert!(follow_up < 4, "no convergence within four follow-up rebalances");
            current = current.after(&assignment, 10 + follow_up);
            assignment = Assignor::CooperativeSticky.assign(&current.partitions_per_topic, &current.members);
        }
        prop_assert_eq!(assert_valid(&current, &assignment)?, current.subscribed_partitions());
        if current.all_subscriptions_equal() {
            let (min, max) = counts(&assignment);
            prop_assert!(max <= min + 1);
        }
    }

    #[test]
    fn sticky_survivors_keep_their_partitions_when_a_member_leaves(group in group(true), leaver in any::<prop::sample::Index>()) {
        for assignor in [Assignor::Sticky, Assignor::CooperativeSticky] {
            let fresh: BTreeMap<String, Subscription> = group
                .members
                .iter()
                .map(|(m, s)| (m.clone(), Subscription { owned_partitions: Vec::new(), generation: None, ..s.clone() }))
                .collect();
            let fresh = Group { partitions_per_topic: group.partitions_per_topic.clone(), members: fresh };
            let before = assignor.assign(&fresh.partitions_per_topic, &fresh.members);
            let mut next = fresh.after(&before, 1);
            if next.members.len() < 2 {
                continue;
            }
            let gone = next.members.keys().nth(leaver.index(next.members.len())).cloned().unwrap();
            next.members.remove(&gone);
            let after = assignor.assign(&next.partitions_per_topic, &next.members);
            for (member, partitions) in &after {
                for kept in &before[member] {
                    prop_assert!(partitions.contains(kept), "{}: {} lost {} when {} left", assignor, member, kept, gone);
                }
            }
        }
    }

    #[test]
    fn sticky_moves_partitions_only_to_a_joining_member(group in group(true)) {
        let before = Assignor::Sticky.assign(&group.partitions_per_topic, &group.members);
        let mut next = group.after(&before, 1);
        let topics = next.members.values().next().unwrap().topics.clone();
        next.members.insert("joiner".to_string(), Subscription { topics, ..Subscription::default() });
        let after = Assignor::Sticky.assign(&next.partitions_per_topic, &next.members);
        for (member, partitions) in &after {
            if member == "joiner" {
                continue;
            }
            for partition in partitions {
                prop_assert!(before[member].contains(partition), "{} moved to {}, not to the joiner", partition, member);
            }
        }
    }

    #[test]
    fn range_gives_co_partitioned_topics_the_same_partition_numbers(group in group(true)) {
        let assignment = Assignor::Range.assign(&group.partitions_per_topic, &group.members);
        for partitions in assignment.values() {
            let mut numbers_by_count: BTreeMap<i32, BTreeSet<BTreeSet<i32>>> = BTreeMap::new();
            for (topic, count) in &group.partitions_per_topic {
                let numbers = partitions.iter().filter(|p| &p.topic == topic).map(|p| p.partition).collect();
                numbers_by_count.entry(*count).or_default().insert(numbers);
            }
            for sets in numbers_by_count.values() {
                prop_assert_eq!(sets.len(), 1, "topics of equal size get the same partition numbers");
            }
        }
    }

    #[test]
    fn same_input_same_output(group in group(false)) {
        for assignor in Assignor::ALL {
            let first = assignor.try_assign(&group.partitions_per_topic, &group.members);
            let second = assignor.try_assign(&group.partitions_per_topic, &group.members);
            prop_assert_eq!(&first, &second);
            let in_order: Vec<(String, Subscription)> =
                group.members.iter().map(|(m, s)| (m.clone(), s.clone())).collect();
            let third = assignor.try_assign_in_join_order(&group.partitions_per_topic, &in_order);
            prop_assert_eq!(&first, &third);
        }
    }
}
