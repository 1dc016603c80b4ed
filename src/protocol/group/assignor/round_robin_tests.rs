//! Ported from Apache Kafka's `RoundRobinAssignorTest` (clients): each Kafka test's members,
//! subscriptions and partition counts, re-expressed in the case format of `test_support`, with the
//! assignment Kafka's `RoundRobinAssignor` returns for them.

use super::test_support::check;

/// Kafka's `RoundRobinAssignorTest.testOneConsumerNoTopic`.
#[test]
fn one_consumer_no_topic() {
    check(
        r"
strategy roundrobin
member consumer topics=
run
consumer
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testOneConsumerNonexistentTopic`.
#[test]
fn one_consumer_nonexistent_topic() {
    check(
        r"
strategy roundrobin
member consumer topics=topic
run
consumer
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testOneConsumerOneTopic`.
#[test]
fn one_consumer_one_topic() {
    check(
        r"
strategy roundrobin
topic topic 3
member consumer topics=topic
run
consumer topic:0 topic:1 topic:2
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics`.
#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    check(
        r"
strategy roundrobin
topic topic 3
topic other 3
member consumer topics=topic
run
consumer topic:0 topic:1 topic:2
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testOneConsumerMultipleTopics`.
#[test]
fn one_consumer_multiple_topics() {
    check(
        r"
strategy roundrobin
topic topic1 1
topic topic2 2
member consumer topics=topic1,topic2
run
consumer topic1:0 topic2:0 topic2:1
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testTwoConsumersOneTopicOnePartition`.
#[test]
fn two_consumers_one_topic_one_partition() {
    check(
        r"
strategy roundrobin
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

/// Kafka's `RoundRobinAssignorTest.testTwoConsumersOneTopicTwoPartitions`.
#[test]
fn two_consumers_one_topic_two_partitions() {
    check(
        r"
strategy roundrobin
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

/// Kafka's `RoundRobinAssignorTest.testMultipleConsumersMixedTopics`.
#[test]
fn multiple_consumers_mixed_topics() {
    check(
        r"
strategy roundrobin
topic topic1 3
topic topic2 2
member consumer1 topics=topic1
member consumer2 topics=topic1,topic2
member consumer3 topics=topic1
run
consumer1 topic1:0
consumer2 topic1:1 topic2:0 topic2:1
consumer3 topic1:2
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testTwoDynamicConsumersTwoTopicsSixPartitions`.
#[test]
fn two_dynamic_consumers_two_topics_six_partitions() {
    check(
        r"
strategy roundrobin
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

/// Kafka's `RoundRobinAssignorTest.testTwoStaticConsumersTwoTopicsSixPartitions`: instance ids
/// order the members, not member ids.
#[test]
fn two_static_consumers_two_topics_six_partitions() {
    check(
        r"
strategy roundrobin
topic topic1 3
topic topic2 3
member consumer-b inst=instance1 topics=topic1,topic2
member consumer-a inst=instance2 topics=topic1,topic2
run
consumer-a topic1:1 topic2:0 topic2:2
consumer-b topic1:0 topic1:2 topic2:1
.
",
    );
}

/// Kafka's
/// `RoundRobinAssignorTest.testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions`:
/// static members come first.
#[test]
fn one_static_consumer_and_one_dynamic_consumer_two_topics_six_partitions() {
    check(
        r"
strategy roundrobin
topic topic1 3
topic topic2 3
member consumer-b inst=instance1 topics=topic1,topic2
member consumer-a topics=topic1,topic2
run
consumer-a topic1:1 topic2:0 topic2:2
consumer-b topic1:0 topic1:2 topic2:1
.
",
    );
}

/// Kafka's `RoundRobinAssignorTest.testStaticMemberRoundRobinAssignmentPersistent`: replacing the
/// dynamic member leaves the static members alone.
#[test]
fn static_member_round_robin_assignment_persistent() {
    check(
        r"
strategy roundrobin
topic topic1 3
topic topic2 3
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
member consumer4 topics=topic1,topic2
run
consumer1 topic1:0 topic2:1
consumer2 topic1:1 topic2:2
consumer3 topic1:2
consumer4 topic2:0
.
strategy roundrobin
topic topic1 3
topic topic2 3
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
member consumer5 topics=topic1,topic2
run
consumer1 topic1:0 topic2:1
consumer2 topic1:1 topic2:2
consumer3 topic1:2
consumer5 topic2:0
.
",
    );
}

/// Kafka's
/// `RoundRobinAssignorTest.testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges`.
#[test]
fn static_member_round_robin_assignment_persistent_after_member_id_changes() {
    check(
        r"
strategy roundrobin
topic topic1 5
topic topic2 5
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
run
consumer1 topic1:0 topic1:3 topic2:1 topic2:4
consumer2 topic1:1 topic1:4 topic2:2
consumer3 topic1:2 topic2:0 topic2:3
.
strategy roundrobin
topic topic1 5
topic topic2 5
member consumer1 inst=instance1 topics=topic1,topic2
member consumer5 inst=instance2 topics=topic1,topic2
member consumer4 inst=instance3 topics=topic1,topic2
run
consumer1 topic1:0 topic1:3 topic2:1 topic2:4
consumer4 topic1:2 topic2:0 topic2:3
consumer5 topic1:1 topic1:4 topic2:2
.
",
    );
}
