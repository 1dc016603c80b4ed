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

/// Kafka's `AbstractStickyAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics`: owned partitions of an unknown topic are dropped.
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

/// Kafka's `AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions`: the general algorithm.
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

/// Kafka's `AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers`: topic2-0 changes owner.
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

/// Kafka's `AbstractStickyAssignorTest.testAddRemoveConsumerOneTopic`: a member joins, then the first leaves.
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

/// Kafka's `AbstractStickyAssignorTest.testTopicBalanceAfterReassignment`: each member gets the same share of each topic as members come and go.
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

/// Kafka's `AbstractStickyAssignorTest.testPoorRoundRobinAssignmentScenario`: where roundrobin leaves consumer3 empty.
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

/// Kafka's `AbstractStickyAssignorTest.testAddRemoveTopicTwoConsumers`: a topic is added, then the first one deleted.
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

/// Kafka's `AbstractStickyAssignorTest.testReassignmentAfterOneConsumerAdded`: Kafka's test passes no owned partitions in the second round.
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

/// Kafka's `AbstractStickyAssignorTest.testNewSubscription`: c0 subscribes to t1 in the second round.
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

/// Kafka's `AbstractStickyAssignorTest.testStickiness`: the potential leader leaves; the others keep their partition.
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

/// Kafka's `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration`.
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

/// Kafka's `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration`.
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

/// Kafka's `AbstractStickyAssignorTest.testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`, and the Sticky/CooperativeStickyAssignorTest variants testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer (topic-0 is claimed by two members of generation 1.
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

/// Kafka's `Sticky/CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer`.
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

/// Kafka's `AbstractStickyAssignorTest.testNoReassignmentOnCurrentMembers`: the new member gets what no current member owns.
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

/// Kafka's `AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration`.
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

/// Kafka's `AbstractStickyAssignorTest.testSubscriptionNotEqualAndAssignSamePartitionWith3Generation`: all six orders of three generations.
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

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithUniformSubscription`, the assignments without racks.
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

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithNonEqualSubscription`, the first assignment without racks.
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

/// Kafka's `Sticky/CooperativeStickyAssignorTest.testAssignorWithOldVersionSubscriptions`: protocol v0/v1 subscriptions carry the generation in userData.
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

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithNonEqualSubscription`, the CooperativeStickyAssignor rounds without rack-aware logic (owned, then the intermediate assignment, then the final one.
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

/// Kafka's `AbstractStickyAssignorTest.testRackAwareAssignmentWithUniformSubscription`, the CooperativeStickyAssignor round that owns the expected assignment already.
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
