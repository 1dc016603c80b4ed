//! Ported from Apache Kafka's `AbstractStickyAssignorTest` and `CooperativeStickyAssignorTest`
//! (clients), for `CooperativeStickyAssignor`: each Kafka test's members, subscriptions, owned
//! partitions and generations, re-expressed in the case format of `test_support`, with the
//! assignment Kafka returns for them. Like Kafka's cooperative test harness, whenever a round
//! revokes partitions the case goes on with the follow-up rebalance that the revocation triggers
//! (every member rejoins owning what it was just given, generation 1), until nothing is revoked;
//! later rounds start from there. Kafka's exact assertions apply to that final state.

use super::test_support::{check, group, partitions, topics};
use super::{Assignor, Subscription};

/// KIP-429 in one picture: a partition changes owner over two rebalances. In the first, the old
/// owner keeps its share and the partitions it must give up are assigned to nobody (the eager
/// `sticky` assignor would hand them over at once); the old owner revokes them and rejoins, and
/// the follow-up rebalance gives them to the new member.
#[test]
fn partitions_move_in_two_rebalances() {
    let orders = topics(&[("orders", 6)]);
    let all = partitions("orders-0, orders-1, orders-2, orders-3, orders-4, orders-5");
    let mut members = group(vec![
        ("c1", Subscription::new(["orders"]).with_owned_partitions(all).with_generation(1)),
        ("c2", Subscription::new(["orders"]).with_generation(1)),
    ]);

    let eager = Assignor::Sticky.assign(&orders, &members);
    assert_eq!(eager["c2"], partitions("orders-3, orders-4, orders-5"));

    let first = Assignor::CooperativeSticky.assign(&orders, &members);
    assert_eq!(first["c1"], partitions("orders-0, orders-1, orders-2"));
    assert!(first["c2"].is_empty(), "orders-3..5 are still owned by c1: revoke first");

    for (member, subscription) in members.iter_mut() {
        subscription.owned_partitions = first[member].clone();
        subscription.generation = Some(2);
    }
    let second = Assignor::CooperativeSticky.assign(&orders, &members);
    assert_eq!(second["c1"], partitions("orders-0, orders-1, orders-2"));
    assert_eq!(second["c2"], partitions("orders-3, orders-4, orders-5"));
}

/// Kafka's `CooperativeStickyAssignor.supportedProtocols()` prefers COOPERATIVE; the others only
/// speak EAGER.
#[test]
fn supported_protocols_match_kafka() {
    use super::RebalanceProtocol::{Cooperative, Eager};
    assert_eq!(Assignor::CooperativeSticky.supported_protocols(), &[Cooperative, Eager]);
    for assignor in [Assignor::Range, Assignor::RoundRobin, Assignor::Sticky] {
        assert_eq!(assignor.supported_protocols(), &[Eager]);
    }
}

/// Kafka's `AbstractStickyAssignorTest.testOneConsumerNoTopic`.
#[test]
fn one_consumer_no_topic() {
    check(
        r"
strategy cooperative-sticky
member consumer topics=
run
consumer
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testOneConsumerNonexistentTopic`.
#[test]
fn one_consumer_nonexistent_topic() {
    check(
        r"
strategy cooperative-sticky
topic topic 0
member consumer topics=topic
run
consumer
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testOneConsumerOneTopic`.
#[test]
fn one_consumer_one_topic() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
member consumer topics=topic
run
consumer topic:0 topic:1 topic:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics`: owned
/// partitions of an unknown topic are dropped.
#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    check(
        r"
strategy cooperative-sticky
topic topic 2
member consumer gen=1 topics=topic owned=topic:0,topic:1,other:0,other:1
run
consumer topic:0 topic:1
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 2
member consumer gen=1 topics=topic owned=topic:0,topic:1
run
consumer topic:0 topic:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testOneConsumerMultipleTopics`.
#[test]
fn one_consumer_multiple_topics() {
    check(
        r"
strategy cooperative-sticky
topic topic1 1
topic topic2 2
member consumer topics=topic1,topic2
run
consumer topic1:0 topic2:0 topic2:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testTwoConsumersOneTopicOnePartition`.
#[test]
fn two_consumers_one_topic_one_partition() {
    check(
        r"
strategy cooperative-sticky
topic topic 1
member consumer1 topics=topic
member consumer2 topics=topic
run
consumer1 topic:0
consumer2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testTwoConsumersOneTopicTwoPartitions`.
#[test]
fn two_consumers_one_topic_two_partitions() {
    check(
        r"
strategy cooperative-sticky
topic topic 2
member consumer1 topics=topic
member consumer2 topics=topic
run
consumer1 topic:0
consumer2 topic:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions`: the general
/// algorithm.
#[test]
fn multiple_consumers_mixed_topic_subscriptions() {
    check(
        r"
strategy cooperative-sticky
topic topic1 3
topic topic2 2
member consumer1 topics=topic1
member consumer2 topics=topic1,topic2
member consumer3 topics=topic1
run
consumer1 topic1:0 topic1:2
consumer2 topic2:0 topic2:1
consumer3 topic1:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testTwoConsumersTwoTopicsSixPartitions`.
#[test]
fn two_consumers_two_topics_six_partitions() {
    check(
        r"
strategy cooperative-sticky
topic topic1 3
topic topic2 3
member consumer1 topics=topic1,topic2
member consumer2 topics=topic1,topic2
run
consumer1 topic1:0 topic1:2 topic2:1
consumer2 topic1:1 topic2:0 topic2:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testConsumerOwningMinQuotaExpectedMaxQuota`.
#[test]
fn consumer_owning_min_quota_expected_max_quota() {
    check(
        r"
strategy cooperative-sticky
topic topic1 2
topic topic2 3
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:1
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:1,topic2:2
run
consumer1 topic1:0 topic2:1 topic2:0
consumer2 topic1:1 topic2:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers`:
/// topic2-0 changes owner.
#[test]
fn max_quota_consumer_more_than_num_expected_max_capacity_members() {
    check(
        r"
strategy cooperative-sticky
topic topic1 2
topic topic2 2
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:0
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:1,topic2:1
member consumer3 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0
consumer2 topic1:1 topic2:1
consumer3
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic1 2
topic topic2 2
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:1,topic2:1
member consumer3 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0
consumer2 topic1:1 topic2:1
consumer3 topic2:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAllConsumersAreUnderMinQuota`.
#[test]
fn all_consumers_are_under_min_quota() {
    check(
        r"
strategy cooperative-sticky
topic topic1 2
topic topic2 3
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:1
member consumer3 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:1
consumer2 topic1:1 topic2:2
consumer3 topic2:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic`: a member joins, then the
/// first leaves.
#[test]
fn add_remove_consumer_one_topic() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
member consumer1 topics=topic
run
consumer1 topic:0 topic:1 topic:2
.
strategy cooperative-sticky
topic topic 3
member consumer1 gen=1 topics=topic owned=topic:0,topic:1,topic:2
member consumer2 gen=1 topics=topic owned=
run
consumer1 topic:0 topic:1
consumer2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
member consumer1 gen=1 topics=topic owned=topic:0,topic:1
member consumer2 gen=1 topics=topic owned=
run
consumer1 topic:0 topic:1
consumer2 topic:2
.
strategy cooperative-sticky
topic topic 3
member consumer2 gen=1 topics=topic owned=topic:2
run
consumer2 topic:2 topic:0 topic:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testTopicBalanceAfterReassignment`: each member gets the
/// same share of each topic as members come and go.
#[test]
fn topic_balance_after_reassignment() {
    check(
        r"
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer1 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic1:2 topic1:3 topic1:4 topic1:5 topic1:6 topic1:7 topic1:8 topic1:9 topic1:10 topic1:11 topic2:0 topic2:1 topic2:2 topic2:3 topic2:4 topic2:5 topic2:6 topic2:7 topic2:8 topic2:9 topic2:10 topic2:11
.
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic1:1,topic1:2,topic1:3,topic1:4,topic1:5,topic1:6,topic1:7,topic1:8,topic1:9,topic1:10,topic1:11,topic2:0,topic2:1,topic2:2,topic2:3,topic2:4,topic2:5,topic2:6,topic2:7,topic2:8,topic2:9,topic2:10,topic2:11
member consumer2 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:0 topic1:1 topic2:1 topic1:2 topic2:2 topic1:3 topic2:3 topic1:4 topic2:4 topic1:5 topic2:5
consumer2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:0,topic1:1,topic2:1,topic1:2,topic2:2,topic1:3,topic2:3,topic1:4,topic2:4,topic1:5,topic2:5
member consumer2 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:0 topic1:1 topic2:1 topic1:2 topic2:2 topic1:3 topic2:3 topic1:4 topic2:4 topic1:5 topic2:5
consumer2 topic1:6 topic1:7 topic1:8 topic1:9 topic1:10 topic1:11 topic2:6 topic2:7 topic2:8 topic2:9 topic2:10 topic2:11
.
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:0,topic1:1,topic2:1,topic1:2,topic2:2,topic1:3,topic2:3,topic1:4,topic2:4,topic1:5,topic2:5
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:6,topic1:7,topic1:8,topic1:9,topic1:10,topic1:11,topic2:6,topic2:7,topic2:8,topic2:9,topic2:10,topic2:11
member consumer3 gen=1 topics=topic1,topic2 owned=
member consumer4 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:0 topic1:1 topic2:1 topic1:2 topic2:2
consumer2 topic1:6 topic2:6 topic1:7 topic2:7 topic1:8 topic2:8
consumer3
consumer4
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:0,topic1:1,topic2:1,topic1:2,topic2:2
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:6,topic2:6,topic1:7,topic2:7,topic1:8,topic2:8
member consumer3 gen=1 topics=topic1,topic2 owned=
member consumer4 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:0 topic1:1 topic2:1 topic1:2 topic2:2
consumer2 topic1:6 topic2:6 topic1:7 topic2:7 topic1:8 topic2:8
consumer3 topic1:3 topic1:5 topic1:10 topic2:3 topic2:5 topic2:10
consumer4 topic1:4 topic1:9 topic1:11 topic2:4 topic2:9 topic2:11
.
strategy cooperative-sticky
topic topic1 12
topic topic2 12
member consumer3 gen=1 topics=topic1,topic2 owned=topic1:3,topic1:5,topic1:10,topic2:3,topic2:5,topic2:10
member consumer4 gen=1 topics=topic1,topic2 owned=topic1:4,topic1:9,topic1:11,topic2:4,topic2:9,topic2:11
run
consumer3 topic1:3 topic2:3 topic1:5 topic2:5 topic1:10 topic2:10 topic1:0 topic1:2 topic1:7 topic2:0 topic2:2 topic2:7
consumer4 topic1:4 topic2:4 topic1:9 topic2:9 topic1:11 topic2:11 topic1:1 topic1:6 topic1:8 topic2:1 topic2:6 topic2:8
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAddRemoveTwoConsumersTwoTopics`.
#[test]
fn add_remove_two_consumers_two_topics() {
    check(
        r"
strategy cooperative-sticky
topic topic1 3
topic topic2 4
member consumer1 topics=topic1,topic2
member consumer2 topics=topic1,topic2
run
consumer1 topic1:0 topic1:2 topic2:1 topic2:3
consumer2 topic1:1 topic2:0 topic2:2
.
strategy cooperative-sticky
topic topic1 3
topic topic2 4
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic1:2,topic2:1,topic2:3
member consumer2 gen=1 topics=topic1,topic2 owned=topic1:1,topic2:0,topic2:2
member consumer3 gen=1 topics=topic1,topic2 owned=
member consumer4 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:1
consumer2 topic2:0 topic1:1
consumer3
consumer4
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic1 3
topic topic2 4
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0,topic2:1
member consumer2 gen=1 topics=topic1,topic2 owned=topic2:0,topic1:1
member consumer3 gen=1 topics=topic1,topic2 owned=
member consumer4 gen=1 topics=topic1,topic2 owned=
run
consumer1 topic1:0 topic2:1
consumer2 topic2:0 topic1:1
consumer3 topic1:2 topic2:3
consumer4 topic2:2
.
strategy cooperative-sticky
topic topic1 3
topic topic2 4
member consumer3 gen=1 topics=topic1,topic2 owned=topic1:2,topic2:3
member consumer4 gen=1 topics=topic1,topic2 owned=topic2:2
run
consumer3 topic1:2 topic2:3 topic1:0 topic2:1
consumer4 topic2:2 topic1:1 topic2:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testPoorRoundRobinAssignmentScenario`: where roundrobin
/// leaves consumer3 empty.
#[test]
fn poor_round_robin_assignment_scenario() {
    check(
        r"
strategy cooperative-sticky
topic topic1 2
topic topic2 1
topic topic3 2
topic topic4 1
topic topic5 2
member consumer1 topics=topic1,topic2,topic3,topic4,topic5
member consumer2 topics=topic1,topic3,topic5
member consumer3 topics=topic1,topic3,topic5
member consumer4 topics=topic1,topic2,topic3,topic4,topic5
run
consumer1 topic2:0 topic3:0
consumer2 topic1:0 topic3:1
consumer3 topic1:1 topic5:0
consumer4 topic4:0 topic5:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAddRemoveTopicTwoConsumers`: a topic is added, then the
/// first one deleted.
#[test]
fn add_remove_topic_two_consumers() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
member consumer1 topics=topic
member consumer2 topics=topic
run
consumer1 topic:0 topic:2
consumer2 topic:1
.
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=1 topics=topic,topic2 owned=topic:0,topic:2
member consumer2 gen=1 topics=topic,topic2 owned=topic:1
run
consumer1 topic:0 topic:2 topic2:0
consumer2 topic:1 topic2:1 topic2:2
.
strategy cooperative-sticky
topic topic2 3
member consumer1 gen=1 topics=topic2 owned=topic:0,topic:2,topic2:0
member consumer2 gen=1 topics=topic2 owned=topic:1,topic2:1,topic2:2
run
consumer1 topic2:0
consumer2 topic2:1 topic2:2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic2 3
member consumer1 gen=1 topics=topic2 owned=topic2:0
member consumer2 gen=1 topics=topic2 owned=topic2:1,topic2:2
run
consumer1 topic2:0
consumer2 topic2:1 topic2:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testReassignmentAfterOneConsumerAdded`: Kafka's test passes
/// no owned partitions in the second round.
#[test]
fn reassignment_after_one_consumer_added() {
    check(
        r"
strategy cooperative-sticky
topic topic 20
member c01 topics=topic
member c02 topics=topic
member c03 topics=topic
member c04 topics=topic
member c05 topics=topic
member c06 topics=topic
member c07 topics=topic
member c08 topics=topic
member c09 topics=topic
run
c01 topic:0 topic:9 topic:18
c02 topic:1 topic:10 topic:19
c03 topic:2 topic:11
c04 topic:3 topic:12
c05 topic:4 topic:13
c06 topic:5 topic:14
c07 topic:6 topic:15
c08 topic:7 topic:16
c09 topic:8 topic:17
.
strategy cooperative-sticky
topic topic 20
member c01 topics=topic
member c02 topics=topic
member c03 topics=topic
member c04 topics=topic
member c05 topics=topic
member c06 topics=topic
member c07 topics=topic
member c08 topics=topic
member c09 topics=topic
member c10 topics=topic
run
c01 topic:0 topic:10
c02 topic:1 topic:11
c03 topic:2 topic:12
c04 topic:3 topic:13
c05 topic:4 topic:14
c06 topic:5 topic:15
c07 topic:6 topic:16
c08 topic:7 topic:17
c09 topic:8 topic:18
c10 topic:9 topic:19
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testNewSubscription`: c0 subscribes to t1 in the second
/// round.
#[test]
fn new_subscription() {
    check(
        r"
strategy cooperative-sticky
topic t1 1
topic t2 1
topic t3 1
topic t4 1
member c0 topics=
member c1 topics=t1
member c2 topics=t2,t3,t4
run
c0
c1 t1:0
c2 t2:0 t3:0 t4:0
.
strategy cooperative-sticky
topic t1 1
topic t2 1
topic t3 1
topic t4 1
member c0 topics=t1
member c1 topics=t1
member c2 topics=t2,t3,t4
run
c0 t1:0
c1
c2 t2:0 t3:0 t4:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testMoveExistingAssignments`.
#[test]
fn move_existing_assignments() {
    check(
        r"
strategy cooperative-sticky
topic topic1 1
topic topic2 1
topic topic3 1
topic topic4 1
topic topic5 1
topic topic6 1
member consumer1 gen=1 topics=topic1,topic2 owned=topic1:0
member consumer2 gen=1 topics=topic1,topic2,topic3,topic4 owned=topic2:0,topic3:0
member consumer3 gen=1 topics=topic2,topic3,topic4,topic5,topic6 owned=topic4:0,topic5:0,topic6:0
run
consumer1 topic1:0
consumer2 topic2:0 topic3:0
consumer3 topic4:0 topic5:0 topic6:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testStickiness`: the potential leader leaves; the others
/// keep their partition.
#[test]
fn stickiness() {
    check(
        r"
strategy cooperative-sticky
topic topic1 3
member consumer1 topics=topic1
member consumer2 topics=topic1
member consumer3 topics=topic1
member consumer4 topics=topic1
run
consumer1 topic1:0
consumer2 topic1:1
consumer3 topic1:2
consumer4
.
strategy cooperative-sticky
topic topic1 3
member consumer2 gen=1 topics=topic1 owned=topic1:1
member consumer3 gen=1 topics=topic1 owned=topic1:2
member consumer4 gen=1 topics=topic1 owned=
run
consumer2 topic1:1
consumer3 topic1:2
consumer4 topic1:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testNoExceptionThrownWhenOnlySubscribedTopicDeleted`.
#[test]
fn no_exception_thrown_when_only_subscribed_topic_deleted() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
member consumer topics=topic
run
consumer topic:0 topic:1 topic:2
.
strategy cooperative-sticky
member consumer gen=1 topics=topic owned=topic:0,topic:1,topic:2
run
consumer
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAllConsumersReachExpectedQuotaAndAreConsideredFilled`.
#[test]
fn all_consumers_reach_expected_quota_and_are_considered_filled() {
    check(
        r"
strategy cooperative-sticky
topic topic 4
member consumer1 gen=1 topics=topic owned=topic:0,topic:1
member consumer2 gen=1 topics=topic owned=topic:2
member consumer3 gen=1 topics=topic owned=
run
consumer1 topic:0 topic:1
consumer2 topic:2
consumer3 topic:3
.
",
    );
}

/// Kafka's
/// `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration`.
#[test]
fn owned_partitions_are_invalidated_for_consumer_with_stale_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=10 topics=topic,topic2 owned=topic:0,topic:2,topic2:1
member consumer2 gen=9 topics=topic,topic2 owned=topic:0,topic:2,topic2:1
run
consumer1 topic:0 topic2:1 topic:2
consumer2 topic:1 topic2:0 topic2:2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=1 topics=topic,topic2 owned=topic:0,topic2:1,topic:2
member consumer2 gen=1 topics=topic,topic2 owned=topic:1,topic2:0,topic2:2
run
consumer1 topic:0 topic2:1 topic:2
consumer2 topic2:0 topic:1 topic2:2
.
",
    );
}

/// Kafka's
/// `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration`.
#[test]
fn owned_partitions_are_invalidated_for_consumer_with_no_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=10 topics=topic,topic2 owned=topic:0,topic:2,topic2:1
member consumer2 gen=-1 topics=topic,topic2 owned=topic:0,topic:2,topic2:1
run
consumer1 topic:0 topic2:1 topic:2
consumer2 topic:1 topic2:0 topic2:2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=1 topics=topic,topic2 owned=topic:0,topic2:1,topic:2
member consumer2 gen=1 topics=topic,topic2 owned=topic:1,topic2:0,topic2:2
run
consumer1 topic:0 topic2:1 topic:2
consumer2 topic2:0 topic:1 topic2:2
.
",
    );
}

/// Kafka's
/// `AbstractStickyAssignorTest.testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`
/// and
/// `CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer`:
/// topic-0 is claimed by two members of generation 1.
#[test]
fn partitions_claimed_by_multiple_consumers_in_same_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
member consumer1 gen=1 topics=topic owned=topic:0,topic:1
member consumer2 gen=1 topics=topic owned=topic:0,topic:2
member consumer3 gen=1 topics=topic owned=
run
consumer1 topic:1
consumer2 topic:2
consumer3
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
member consumer1 gen=1 topics=topic owned=topic:1
member consumer2 gen=1 topics=topic owned=topic:2
member consumer3 gen=1 topics=topic owned=
run
consumer1 topic:1
consumer2 topic:2
consumer3 topic:0
.
",
    );
}

/// Kafka's
/// `CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer`.
#[test]
fn partitions_claimed_by_multiple_consumers_with_unequal_partitions_per_consumer() {
    check(
        r"
strategy cooperative-sticky
topic topic 4
member consumer1 gen=1 topics=topic owned=topic:0,topic:1
member consumer2 gen=1 topics=topic owned=topic:0,topic:2
member consumer3 gen=1 topics=topic owned=
run
consumer1 topic:1 topic:3
consumer2 topic:2
consumer3
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 4
member consumer1 gen=1 topics=topic owned=topic:1,topic:3
member consumer2 gen=1 topics=topic owned=topic:2
member consumer3 gen=1 topics=topic owned=
run
consumer1 topic:1 topic:3
consumer2 topic:2
consumer3 topic:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testEnsurePartitionsAssignedToHighestGeneration`.
#[test]
fn ensure_partitions_assigned_to_highest_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
topic topic2 3
topic topic3 3
member consumer1 gen=10 topics=topic,topic2,topic3 owned=topic:0,topic2:0,topic3:0
member consumer2 gen=9 topics=topic,topic2,topic3 owned=topic:1,topic2:1,topic3:1
member consumer3 gen=8 topics=topic,topic2,topic3 owned=topic2:1,topic3:0,topic3:2
run
consumer1 topic:0 topic2:0 topic3:0
consumer2 topic:1 topic2:1 topic3:1
consumer3 topic3:2 topic:2 topic2:2
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
topic topic2 3
topic topic3 3
member consumer1 gen=1 topics=topic,topic2,topic3 owned=topic:0,topic2:0,topic3:0
member consumer2 gen=1 topics=topic,topic2,topic3 owned=topic:1,topic2:1,topic3:1
member consumer3 gen=1 topics=topic,topic2,topic3 owned=topic3:2,topic:2,topic2:2
run
consumer1 topic:0 topic2:0 topic3:0
consumer2 topic:1 topic2:1 topic3:1
consumer3 topic:2 topic2:2 topic3:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testNoReassignmentOnCurrentMembers`: the new member gets
/// what no current member owns.
#[test]
fn no_reassignment_on_current_members() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
topic topic1 3
topic topic2 3
topic topic3 3
member consumer1 gen=-1 topics=topic,topic2,topic3,topic1 owned=
member consumer2 gen=9 topics=topic,topic2,topic3,topic1 owned=topic:0,topic2:0,topic1:0
member consumer3 gen=8 topics=topic,topic2,topic3,topic1 owned=topic3:2,topic2:2,topic1:1
member consumer4 gen=7 topics=topic,topic2,topic3,topic1 owned=topic3:1,topic:1,topic:2
run
consumer1 topic1:2 topic2:1 topic3:0
consumer2 topic:0 topic1:0 topic2:0
consumer3 topic1:1 topic2:2 topic3:2
consumer4 topic:1 topic3:1 topic:2
.
",
    );
}

/// Kafka's
/// `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration`.
#[test]
fn owned_partitions_are_invalidated_for_consumer_with_multiple_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=10 topics=topic,topic2 owned=topic:0,topic2:1,topic:1
member consumer2 gen=8 topics=topic,topic2 owned=topic:0,topic2:1,topic2:2
run
consumer1 topic:0 topic:1 topic2:1
consumer2 topic2:2 topic:2 topic2:0
.
# follow-up rebalance: every member now owns what it was given
strategy cooperative-sticky
topic topic 3
topic topic2 3
member consumer1 gen=1 topics=topic,topic2 owned=topic:0,topic:1,topic2:1
member consumer2 gen=1 topics=topic,topic2 owned=topic2:2,topic:2,topic2:0
run
consumer1 topic:0 topic:1 topic2:1
consumer2 topic2:0 topic:2 topic2:2
.
",
    );
}

/// Kafka's
/// `AbstractStickyAssignorTest.testSubscriptionNotEqualAndAssignSamePartitionWith3Generation`: all
/// six orders of three generations.
#[test]
fn subscription_not_equal_and_assign_same_partition_with_3_generation() {
    check(
        r"
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=1 topics=topic owned=topic:0,topic:2
member consumer2 gen=2 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=3 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0 topic:2
consumer2 topic:1 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=1 topics=topic owned=topic:0,topic:2
member consumer2 gen=3 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=2 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0
consumer2 topic:2 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=2 topics=topic owned=topic:0,topic:2
member consumer2 gen=1 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=3 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0 topic:2
consumer2 topic:1 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=2 topics=topic owned=topic:0,topic:2
member consumer2 gen=3 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=1 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0
consumer2 topic:2 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=3 topics=topic owned=topic:0,topic:2
member consumer2 gen=1 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=2 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0 topic:2
consumer2 topic:1 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
strategy cooperative-sticky
topic topic 6
topic topic1 1
member consumer1 gen=3 topics=topic owned=topic:0,topic:2
member consumer2 gen=2 topics=topic owned=topic:1,topic:2,topic:3
member consumer3 gen=1 topics=topic owned=topic:2,topic:4,topic:5
member consumer4 gen=2 topics=topic1 owned=topic1:0
run
consumer1 topic:0 topic:2
consumer2 topic:1 topic:3
consumer3 topic:4 topic:5
consumer4 topic1:0
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithUniformSubscription`, the
/// assignments without racks.
#[test]
fn uniform_subscription_without_racks() {
    check(
        r"
strategy cooperative-sticky
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t2,t3
run
consumer0 t1:0 t1:3 t2:0 t2:3 t2:6
consumer1 t1:1 t1:4 t2:1 t2:4 t3:0
consumer2 t1:2 t1:5 t2:2 t2:5 t3:1
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithNonEqualSubscription`, the first
/// assignment without racks.
#[test]
fn non_equal_subscription_without_racks() {
    check(
        r"
strategy cooperative-sticky
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t3
run
consumer0 t2:0 t2:2 t2:4 t2:6 t1:5
consumer1 t2:1 t2:3 t2:5 t1:3 t3:0
consumer2 t1:0 t1:1 t1:2 t1:4 t3:1
.
",
    );
}

/// Kafka's `CooperativeStickyAssignorTest.testAssignorWithOldVersionSubscriptions`: protocol
/// v0/v1 subscriptions carry the generation in userData.
#[test]
fn assignor_with_old_version_subscriptions() {
    check(
        r"
strategy cooperative-sticky
topic topic1 3
member consumer1 gen=1 topics=topic1 owned=topic1:0
member consumer2 gen=1 topics=topic1 owned=topic1:1
member consumer3 gen=1 topics=topic1 owned=
run
consumer1 topic1:0
consumer2 topic1:1
consumer3 topic1:2
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithNonEqualSubscription`, the
/// CooperativeStickyAssignor rounds without rack-aware logic (owned, then the intermediate
/// assignment, then the final one.
#[test]
fn cooperative_non_equal_subscription_revokes_before_reassigning() {
    check(
        r"
strategy cooperative-sticky
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3 owned=t1:0,t1:1,t1:2,t1:3,t1:4
member consumer1 topics=t1,t2,t3 owned=t1:5,t2:0,t2:1,t2:2,t2:3
member consumer2 topics=t1,t3 owned=t2:4,t2:5,t2:6,t3:0,t3:1
run
consumer0 t1:2 t1:3 t1:4
consumer1 t2:0 t2:1 t2:2 t2:3
consumer2 t3:0 t3:1
.
strategy cooperative-sticky
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3 owned=t1:2,t1:3,t1:4
member consumer1 topics=t1,t2,t3 owned=t2:0,t2:1,t2:2,t2:3
member consumer2 topics=t1,t3 owned=t3:0,t3:1
run
consumer0 t1:2 t1:3 t1:4 t2:4 t2:5
consumer1 t2:0 t2:1 t2:2 t2:3 t2:6
consumer2 t3:0 t3:1 t1:0 t1:1 t1:5
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithUniformSubscription`, the
/// CooperativeStickyAssignor round that owns the expected assignment already.
#[test]
fn cooperative_uniform_subscription_keeps_owned_partitions() {
    check(
        r"
strategy cooperative-sticky
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3 owned=t1:0,t1:3,t2:0,t2:3,t2:6
member consumer1 topics=t1,t2,t3 owned=t1:1,t1:4,t2:1,t2:4,t3:0
member consumer2 topics=t1,t2,t3 owned=t1:2,t1:5,t2:2,t2:5,t3:1
run
consumer0 t1:0 t2:0 t1:3 t2:3 t2:6
consumer1 t3:0 t1:1 t2:1 t1:4 t2:4
consumer2 t3:1 t1:2 t2:2 t1:5 t2:5
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testReassignmentAfterOneConsumerLeaves`: Kafka's test
/// removes "consumer10", a member id that does not exist, so the second round keeps every member.
#[test]
fn reassignment_after_one_consumer_leaves() {
    check(
        r"
strategy cooperative-sticky
topic t01 1
topic t02 2
topic t03 3
topic t04 4
topic t05 5
topic t06 6
topic t07 7
topic t08 8
topic t09 9
topic t10 10
topic t11 11
topic t12 12
topic t13 13
topic t14 14
topic t15 15
topic t16 16
topic t17 17
topic t18 18
topic t19 19
member c01 topics=t01
member c02 topics=t01,t02
member c03 topics=t01,t02,t03
member c04 topics=t01,t02,t03,t04
member c05 topics=t01,t02,t03,t04,t05
member c06 topics=t01,t02,t03,t04,t05,t06
member c07 topics=t01,t02,t03,t04,t05,t06,t07
member c08 topics=t01,t02,t03,t04,t05,t06,t07,t08
member c09 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09
member c10 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10
member c11 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11
member c12 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12
member c13 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13
member c14 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c15 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15
member c16 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16
member c17 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17
member c18 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17,t18
member c19 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17,t18,t19
run
c01 t01:0
c02 t02:0 t02:1
c03 t03:0 t03:1 t03:2
c04 t04:0 t04:1 t04:2 t04:3
c05 t05:0 t05:1 t05:2 t05:3 t05:4
c06 t06:0 t06:1 t06:2 t06:3 t06:4 t06:5
c07 t07:0 t07:1 t07:2 t07:3 t07:4 t07:5 t07:6
c08 t08:0 t08:1 t08:2 t08:3 t08:4 t08:5 t08:6 t08:7
c09 t09:0 t09:1 t09:2 t09:3 t09:4 t09:5 t09:6 t09:7 t09:8
c10 t10:0 t10:1 t10:2 t10:3 t10:4 t10:5 t10:6 t10:7 t10:8 t10:9
c11 t11:0 t11:1 t11:2 t11:3 t11:4 t11:5 t11:6 t11:7 t11:8 t11:9 t11:10
c12 t12:0 t12:1 t12:2 t12:3 t12:4 t12:5 t12:6 t12:7 t12:8 t12:9 t12:10 t12:11
c13 t13:0 t13:1 t13:2 t13:3 t13:4 t13:5 t13:6 t13:7 t13:8 t13:9 t13:10 t13:11 t13:12
c14 t14:0 t14:1 t14:2 t14:3 t14:4 t14:5 t14:6 t14:7 t14:8 t14:9 t14:10 t14:11 t14:12 t14:13
c15 t15:0 t15:1 t15:2 t15:3 t15:4 t15:5 t15:6 t15:7 t15:8 t15:9 t15:10 t15:11 t15:12 t15:13 t15:14
c16 t16:0 t16:1 t16:2 t16:3 t16:4 t16:5 t16:6 t16:7 t16:8 t16:9 t16:10 t16:11 t16:12 t16:13 t16:14 t16:15
c17 t17:0 t17:1 t17:2 t17:3 t17:4 t17:5 t17:6 t17:7 t17:8 t17:9 t17:10 t17:11 t17:12 t17:13 t17:14 t17:15 t17:16
c18 t18:0 t18:1 t18:2 t18:3 t18:4 t18:5 t18:6 t18:7 t18:8 t18:9 t18:10 t18:11 t18:12 t18:13 t18:14 t18:15 t18:16 t18:17
c19 t19:0 t19:1 t19:2 t19:3 t19:4 t19:5 t19:6 t19:7 t19:8 t19:9 t19:10 t19:11 t19:12 t19:13 t19:14 t19:15 t19:16 t19:17 t19:18
.
strategy cooperative-sticky
topic t01 1
topic t02 2
topic t03 3
topic t04 4
topic t05 5
topic t06 6
topic t07 7
topic t08 8
topic t09 9
topic t10 10
topic t11 11
topic t12 12
topic t13 13
topic t14 14
topic t15 15
topic t16 16
topic t17 17
topic t18 18
topic t19 19
member c01 gen=1 topics=t01 owned=t01:0
member c02 gen=1 topics=t01,t02 owned=t02:0,t02:1
member c03 gen=1 topics=t01,t02,t03 owned=t03:0,t03:1,t03:2
member c04 gen=1 topics=t01,t02,t03,t04 owned=t04:0,t04:1,t04:2,t04:3
member c05 gen=1 topics=t01,t02,t03,t04,t05 owned=t05:0,t05:1,t05:2,t05:3,t05:4
member c06 gen=1 topics=t01,t02,t03,t04,t05,t06 owned=t06:0,t06:1,t06:2,t06:3,t06:4,t06:5
member c07 gen=1 topics=t01,t02,t03,t04,t05,t06,t07 owned=t07:0,t07:1,t07:2,t07:3,t07:4,t07:5,t07:6
member c08 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08 owned=t08:0,t08:1,t08:2,t08:3,t08:4,t08:5,t08:6,t08:7
member c09 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09 owned=t09:0,t09:1,t09:2,t09:3,t09:4,t09:5,t09:6,t09:7,t09:8
member c10 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10 owned=t10:0,t10:1,t10:2,t10:3,t10:4,t10:5,t10:6,t10:7,t10:8,t10:9
member c11 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11 owned=t11:0,t11:1,t11:2,t11:3,t11:4,t11:5,t11:6,t11:7,t11:8,t11:9,t11:10
member c12 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12 owned=t12:0,t12:1,t12:2,t12:3,t12:4,t12:5,t12:6,t12:7,t12:8,t12:9,t12:10,t12:11
member c13 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13 owned=t13:0,t13:1,t13:2,t13:3,t13:4,t13:5,t13:6,t13:7,t13:8,t13:9,t13:10,t13:11,t13:12
member c14 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t14:0,t14:1,t14:2,t14:3,t14:4,t14:5,t14:6,t14:7,t14:8,t14:9,t14:10,t14:11,t14:12,t14:13
member c15 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15 owned=t15:0,t15:1,t15:2,t15:3,t15:4,t15:5,t15:6,t15:7,t15:8,t15:9,t15:10,t15:11,t15:12,t15:13,t15:14
member c16 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16 owned=t16:0,t16:1,t16:2,t16:3,t16:4,t16:5,t16:6,t16:7,t16:8,t16:9,t16:10,t16:11,t16:12,t16:13,t16:14,t16:15
member c17 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17 owned=t17:0,t17:1,t17:2,t17:3,t17:4,t17:5,t17:6,t17:7,t17:8,t17:9,t17:10,t17:11,t17:12,t17:13,t17:14,t17:15,t17:16
member c18 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17,t18 owned=t18:0,t18:1,t18:2,t18:3,t18:4,t18:5,t18:6,t18:7,t18:8,t18:9,t18:10,t18:11,t18:12,t18:13,t18:14,t18:15,t18:16,t18:17
member c19 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14,t15,t16,t17,t18,t19 owned=t19:0,t19:1,t19:2,t19:3,t19:4,t19:5,t19:6,t19:7,t19:8,t19:9,t19:10,t19:11,t19:12,t19:13,t19:14,t19:15,t19:16,t19:17,t19:18
run
c01 t01:0
c02 t02:0 t02:1
c03 t03:0 t03:1 t03:2
c04 t04:0 t04:1 t04:2 t04:3
c05 t05:0 t05:1 t05:2 t05:3 t05:4
c06 t06:0 t06:1 t06:2 t06:3 t06:4 t06:5
c07 t07:0 t07:1 t07:2 t07:3 t07:4 t07:5 t07:6
c08 t08:0 t08:1 t08:2 t08:3 t08:4 t08:5 t08:6 t08:7
c09 t09:0 t09:1 t09:2 t09:3 t09:4 t09:5 t09:6 t09:7 t09:8
c10 t10:0 t10:1 t10:2 t10:3 t10:4 t10:5 t10:6 t10:7 t10:8 t10:9
c11 t11:0 t11:1 t11:2 t11:3 t11:4 t11:5 t11:6 t11:7 t11:8 t11:9 t11:10
c12 t12:0 t12:1 t12:2 t12:3 t12:4 t12:5 t12:6 t12:7 t12:8 t12:9 t12:10 t12:11
c13 t13:0 t13:1 t13:2 t13:3 t13:4 t13:5 t13:6 t13:7 t13:8 t13:9 t13:10 t13:11 t13:12
c14 t14:0 t14:1 t14:2 t14:3 t14:4 t14:5 t14:6 t14:7 t14:8 t14:9 t14:10 t14:11 t14:12 t14:13
c15 t15:0 t15:1 t15:2 t15:3 t15:4 t15:5 t15:6 t15:7 t15:8 t15:9 t15:10 t15:11 t15:12 t15:13 t15:14
c16 t16:0 t16:1 t16:2 t16:3 t16:4 t16:5 t16:6 t16:7 t16:8 t16:9 t16:10 t16:11 t16:12 t16:13 t16:14 t16:15
c17 t17:0 t17:1 t17:2 t17:3 t17:4 t17:5 t17:6 t17:7 t17:8 t17:9 t17:10 t17:11 t17:12 t17:13 t17:14 t17:15 t17:16
c18 t18:0 t18:1 t18:2 t18:3 t18:4 t18:5 t18:6 t18:7 t18:8 t18:9 t18:10 t18:11 t18:12 t18:13 t18:14 t18:15 t18:16 t18:17
c19 t19:0 t19:1 t19:2 t19:3 t19:4 t19:5 t19:6 t19:7 t19:8 t19:9 t19:10 t19:11 t19:12 t19:13 t19:14 t19:15 t19:16 t19:17 t19:18
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testSameSubscriptions`: c5 leaves.
#[test]
fn same_subscriptions() {
    check(
        r"
strategy cooperative-sticky
topic t01 1
topic t02 2
topic t03 3
topic t04 4
topic t05 5
topic t06 6
topic t07 7
topic t08 8
topic t09 9
topic t10 10
topic t11 11
topic t12 12
topic t13 13
topic t14 14
member c1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c2 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c3 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c4 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c5 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c6 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c7 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
member c8 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14
run
c1 t01:0 t04:2 t06:1 t07:3 t08:4 t09:4 t10:3 t11:1 t11:9 t12:6 t13:2 t13:10 t14:5 t14:13
c2 t02:0 t04:3 t06:2 t07:4 t08:5 t09:5 t10:4 t11:2 t11:10 t12:7 t13:3 t13:11 t14:6
c3 t02:1 t05:0 t06:3 t07:5 t08:6 t09:6 t10:5 t11:3 t12:0 t12:8 t13:4 t13:12 t14:7
c4 t03:0 t05:1 t06:4 t07:6 t08:7 t09:7 t10:6 t11:4 t12:1 t12:9 t13:5 t14:0 t14:8
c5 t03:1 t05:2 t06:5 t08:0 t09:0 t09:8 t10:7 t11:5 t12:2 t12:10 t13:6 t14:1 t14:9
c6 t03:2 t05:3 t07:0 t08:1 t09:1 t10:0 t10:8 t11:6 t12:3 t12:11 t13:7 t14:2 t14:10
c7 t04:0 t05:4 t07:1 t08:2 t09:2 t10:1 t10:9 t11:7 t12:4 t13:0 t13:8 t14:3 t14:11
c8 t04:1 t06:0 t07:2 t08:3 t09:3 t10:2 t11:0 t11:8 t12:5 t13:1 t13:9 t14:4 t14:12
.
strategy cooperative-sticky
topic t01 1
topic t02 2
topic t03 3
topic t04 4
topic t05 5
topic t06 6
topic t07 7
topic t08 8
topic t09 9
topic t10 10
topic t11 11
topic t12 12
topic t13 13
topic t14 14
member c1 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t01:0,t04:2,t06:1,t07:3,t08:4,t09:4,t10:3,t11:1,t11:9,t12:6,t13:2,t13:10,t14:5,t14:13
member c2 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t02:0,t04:3,t06:2,t07:4,t08:5,t09:5,t10:4,t11:2,t11:10,t12:7,t13:3,t13:11,t14:6
member c3 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t02:1,t05:0,t06:3,t07:5,t08:6,t09:6,t10:5,t11:3,t12:0,t12:8,t13:4,t13:12,t14:7
member c4 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t03:0,t05:1,t06:4,t07:6,t08:7,t09:7,t10:6,t11:4,t12:1,t12:9,t13:5,t14:0,t14:8
member c6 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t03:2,t05:3,t07:0,t08:1,t09:1,t10:0,t10:8,t11:6,t12:3,t12:11,t13:7,t14:2,t14:10
member c7 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t04:0,t05:4,t07:1,t08:2,t09:2,t10:1,t10:9,t11:7,t12:4,t13:0,t13:8,t14:3,t14:11
member c8 gen=1 topics=t01,t02,t03,t04,t05,t06,t07,t08,t09,t10,t11,t12,t13,t14 owned=t04:1,t06:0,t07:2,t08:3,t09:3,t10:2,t11:0,t11:8,t12:5,t13:1,t13:9,t14:4,t14:12
run
c1 t01:0 t06:1 t11:1 t04:2 t13:2 t07:3 t10:3 t08:4 t09:4 t14:5 t12:6 t11:9 t13:10 t14:13 t03:1
c2 t02:0 t06:2 t11:2 t04:3 t13:3 t07:4 t10:4 t08:5 t09:5 t14:6 t12:7 t11:10 t13:11 t05:2 t11:5
c3 t05:0 t12:0 t02:1 t06:3 t11:3 t13:4 t07:5 t10:5 t08:6 t09:6 t14:7 t12:8 t13:12 t06:5 t12:2
c4 t03:0 t14:0 t05:1 t12:1 t06:4 t11:4 t13:5 t07:6 t10:6 t08:7 t09:7 t14:8 t12:9 t08:0 t12:10
c6 t07:0 t10:0 t08:1 t09:1 t03:2 t14:2 t05:3 t12:3 t11:6 t13:7 t10:8 t14:10 t12:11 t09:0 t13:6
c7 t04:0 t13:0 t07:1 t10:1 t08:2 t09:2 t14:3 t05:4 t12:4 t11:7 t13:8 t10:9 t14:11 t09:8 t14:1
c8 t06:0 t11:0 t04:1 t13:1 t07:2 t10:2 t08:3 t09:3 t14:4 t12:5 t11:8 t13:9 t14:12 t10:7 t14:9
.
",
    );
}

/// Kafka's `AbstractStickyAssignorTest.testAssignmentUpdatedForDeletedTopic`: topic2 does not
/// exist.
#[test]
fn assignment_updated_for_deleted_topic() {
    check(
        r"
strategy cooperative-sticky
topic topic1 1
topic topic3 100
member consumer topics=topic1,topic2,topic3
run
consumer topic1:0 topic3:0 topic3:1 topic3:2 topic3:3 topic3:4 topic3:5 topic3:6 topic3:7 topic3:8 topic3:9 topic3:10 topic3:11 topic3:12 topic3:13 topic3:14 topic3:15 topic3:16 topic3:17 topic3:18 topic3:19 topic3:20 topic3:21 topic3:22 topic3:23 topic3:24 topic3:25 topic3:26 topic3:27 topic3:28 topic3:29 topic3:30 topic3:31 topic3:32 topic3:33 topic3:34 topic3:35 topic3:36 topic3:37 topic3:38 topic3:39 topic3:40 topic3:41 topic3:42 topic3:43 topic3:44 topic3:45 topic3:46 topic3:47 topic3:48 topic3:49 topic3:50 topic3:51 topic3:52 topic3:53 topic3:54 topic3:55 topic3:56 topic3:57 topic3:58 topic3:59 topic3:60 topic3:61 topic3:62 topic3:63 topic3:64 topic3:65 topic3:66 topic3:67 topic3:68 topic3:69 topic3:70 topic3:71 topic3:72 topic3:73 topic3:74 topic3:75 topic3:76 topic3:77 topic3:78 topic3:79 topic3:80 topic3:81 topic3:82 topic3:83 topic3:84 topic3:85 topic3:86 topic3:87 topic3:88 topic3:89 topic3:90 topic3:91 topic3:92 topic3:93 topic3:94 topic3:95 topic3:96 topic3:97 topic3:98 topic3:99
.
",
    );
}
