//! Ported from Apache Kafka's `RangeAssignorTest` (clients): each Kafka test's members,
//! subscriptions and partition counts, re-expressed in the case format of `test_support`, with the
//! assignment Kafka's `RangeAssignor` returns for them. Kafka's own tests compare the partitions
//! of each member as a set; these pin the list order too, which is the iteration order of the
//! leader's `partitionsPerTopic` `HashMap` (so `t4` can come before `t1`). Kafka's rack-aware
//! tests contribute their assignments without racks.

use super::test_support::check;

/// Kafka's `RangeAssignorTest.testOneConsumerNoTopic`.
#[test]
fn one_consumer_no_topic() {
    check(
        r"
strategy range
member consumer1 topics=
run
consumer1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testOneConsumerNonexistentTopic`.
#[test]
fn one_consumer_nonexistent_topic() {
    check(
        r"
strategy range
member consumer1 topics=topic1
run
consumer1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testOneConsumerOneTopic`.
#[test]
fn one_consumer_one_topic() {
    check(
        r"
strategy range
topic topic1 3
member consumer1 topics=topic1
run
consumer1 topic1:0 topic1:1 topic1:2
.
",
    );
}

/// Kafka's `RangeAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics`.
#[test]
fn only_assigns_partitions_from_subscribed_topics() {
    check(
        r"
strategy range
topic topic1 3
topic other 3
member consumer1 topics=topic1
run
consumer1 topic1:0 topic1:1 topic1:2
.
",
    );
}

/// Kafka's `RangeAssignorTest.testOneConsumerMultipleTopics`.
#[test]
fn one_consumer_multiple_topics() {
    check(
        r"
strategy range
topic topic1 1
topic topic2 2
member consumer1 topics=topic1,topic2
run
consumer1 topic1:0 topic2:0 topic2:1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testTwoConsumersOneTopicOnePartition`.
#[test]
fn two_consumers_one_topic_one_partition() {
    check(
        r"
strategy range
topic topic1 1
member consumer1 topics=topic1
member consumer2 topics=topic1
run
consumer1 topic1:0
consumer2
.
",
    );
}

/// Kafka's `RangeAssignorTest.testTwoConsumersOneTopicTwoPartitions`.
#[test]
fn two_consumers_one_topic_two_partitions() {
    check(
        r"
strategy range
topic topic1 2
member consumer1 topics=topic1
member consumer2 topics=topic1
run
consumer1 topic1:0
consumer2 topic1:1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testMultipleConsumersMixedTopics`.
#[test]
fn multiple_consumers_mixed_topics() {
    check(
        r"
strategy range
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

/// Kafka's `RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions`.
#[test]
fn two_consumers_two_topics_six_partitions() {
    check(
        r"
strategy range
topic topic1 3
topic topic2 3
member consumer1 topics=topic1,topic2
member consumer2 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic2:0 topic2:1
consumer2 topic1:2 topic2:2
.
",
    );
}

/// Kafka's `RangeAssignorTest.testTwoStaticConsumersTwoTopicsSixPartitions`: instance ids order the
/// members, not member ids.
#[test]
fn two_static_consumers_two_topics_six_partitions() {
    check(
        r"
strategy range
topic topic1 3
topic topic2 3
member consumer-b inst=instance1 topics=topic1,topic2
member consumer-a inst=instance2 topics=topic1,topic2
run
consumer-a topic1:2 topic2:2
consumer-b topic1:0 topic1:1 topic2:0 topic2:1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions`:
/// static members come before dynamic ones.
#[test]
fn one_static_consumer_and_one_dynamic_consumer_two_topics_six_partitions() {
    check(
        r"
strategy range
topic topic1 3
topic topic2 3
member consumer-b inst=instance1 topics=topic1,topic2
member consumer-a topics=topic1,topic2
run
consumer-a topic1:2 topic2:2
consumer-b topic1:0 topic1:1 topic2:0 topic2:1
.
",
    );
}

/// Kafka's `RangeAssignorTest.testStaticMemberRangeAssignmentPersistent`: replacing the dynamic
/// member leaves the static members' ranges alone.
#[test]
fn static_member_range_assignment_persistent() {
    check(
        r"
strategy range
topic topic1 5
topic topic2 4
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
member consumer4 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic2:0
consumer2 topic1:2 topic2:1
consumer3 topic1:3 topic2:2
consumer4 topic1:4 topic2:3
.
strategy range
topic topic1 5
topic topic2 4
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
member consumer5 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic2:0
consumer2 topic1:2 topic2:1
consumer3 topic1:3 topic2:2
consumer5 topic1:4 topic2:3
.
",
    );
}

/// Kafka's `RangeAssignorTest.testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges`: new
/// member ids, same instance ids, same ranges.
#[test]
fn static_member_range_assignment_persistent_after_member_id_changes() {
    check(
        r"
strategy range
topic topic1 5
topic topic2 5
member consumer1 inst=instance1 topics=topic1,topic2
member consumer2 inst=instance2 topics=topic1,topic2
member consumer3 inst=instance3 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic2:0 topic2:1
consumer2 topic1:2 topic1:3 topic2:2 topic2:3
consumer3 topic1:4 topic2:4
.
strategy range
topic topic1 5
topic topic2 5
member consumer1 inst=instance1 topics=topic1,topic2
member consumer5 inst=instance2 topics=topic1,topic2
member consumer4 inst=instance3 topics=topic1,topic2
run
consumer1 topic1:0 topic1:1 topic2:0 topic2:1
consumer4 topic1:4 topic2:4
consumer5 topic1:2 topic1:3 topic2:2 topic2:3
.
",
    );
}

/// Kafka's `RangeAssignorTest.testRackAwareAssignmentWithUniformSubscription`, the assignment
/// without racks.
#[test]
fn uniform_subscription() {
    check(
        r"
strategy range
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t2,t3
run
consumer0 t1:0 t1:1 t2:0 t2:1 t2:2 t3:0
consumer1 t1:2 t1:3 t2:3 t2:4 t3:1
consumer2 t1:4 t1:5 t2:5 t2:6
.
",
    );
}

/// Kafka's `RangeAssignorTest.testRackAwareAssignmentWithNonEqualSubscription`, the assignment
/// without racks.
#[test]
fn non_equal_subscription() {
    check(
        r"
strategy range
topic t1 6
topic t2 7
topic t3 2
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t3
run
consumer0 t1:0 t1:1 t2:0 t2:1 t2:2 t2:3 t3:0
consumer1 t1:2 t1:3 t2:4 t2:5 t2:6 t3:1
consumer2 t1:4 t1:5
.
",
    );
}

/// Kafka's `RangeAssignorTest.testRackAwareAssignmentWithUniformPartitions`, the assignment without
/// racks.
#[test]
fn uniform_partitions() {
    check(
        r"
strategy range
topic t1 5
topic t2 5
topic t3 5
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t2,t3
run
consumer0 t1:0 t1:1 t2:0 t2:1 t3:0 t3:1
consumer1 t1:2 t1:3 t2:2 t2:3 t3:2 t3:3
consumer2 t1:4 t2:4 t3:4
.
",
    );
}

/// Kafka's `RangeAssignorTest.testRackAwareAssignmentWithUniformPartitionsNonEqualSubscription`,
/// the assignment without racks.
#[test]
fn uniform_partitions_non_equal_subscription() {
    check(
        r"
strategy range
topic t1 5
topic t2 5
topic t3 5
member consumer0 topics=t1,t2,t3
member consumer1 topics=t1,t2,t3
member consumer2 topics=t1,t3
run
consumer0 t1:0 t1:1 t2:0 t2:1 t2:2 t3:0 t3:1
consumer1 t1:2 t1:3 t2:3 t2:4 t3:2 t3:3
consumer2 t1:4 t3:4
.
",
    );
}

/// Kafka's `RangeAssignorTest.testRackAwareAssignmentWithCoPartitioning`, the assignments without
/// racks.
#[test]
fn co_partitioning() {
    check(
        r"
strategy range
topic t1 6
topic t2 6
topic t3 2
topic t4 2
member consumer0 topics=t1,t2
member consumer1 topics=t1,t2
member consumer2 topics=t3,t4
member consumer3 topics=t3,t4
run
consumer0 t1:0 t1:1 t1:2 t2:0 t2:1 t2:2
consumer1 t1:3 t1:4 t1:5 t2:3 t2:4 t2:5
consumer2 t4:0 t3:0
consumer3 t4:1 t3:1
.
strategy range
topic t1 6
topic t2 6
topic t3 2
topic t4 2
member consumer0 topics=t1,t2,t3,t4
member consumer1 topics=t1,t2,t3,t4
member consumer2 topics=t1,t2,t3,t4
member consumer3 topics=t1,t2,t3,t4
run
consumer0 t4:0 t1:0 t1:1 t2:0 t2:1 t3:0
consumer1 t4:1 t1:2 t1:3 t2:2 t2:3 t3:1
consumer2 t1:4 t2:4
consumer3 t1:5 t2:5
.
",
    );
}

/// Kafka's `RangeAssignorTest.testCoPartitionedAssignmentWithSameSubscription`, the assignment
/// without racks (t7, t8, t9 do not exist.
#[test]
fn co_partitioned_assignment_with_same_subscription() {
    check(
        r"
strategy range
topic t1 6
topic t2 6
topic t3 2
topic t4 2
topic t5 4
topic t6 4
member consumer0 topics=t1,t2,t3,t4,t5,t6,t7,t8,t9
member consumer1 topics=t1,t2,t3,t4,t5,t6,t7,t8,t9
member consumer2 topics=t1,t2,t3,t4,t5,t6,t7,t8,t9
run
consumer0 t4:0 t5:0 t5:1 t6:0 t6:1 t1:0 t1:1 t2:0 t2:1 t3:0
consumer1 t4:1 t5:2 t6:2 t1:2 t1:3 t2:2 t2:3 t3:1
consumer2 t5:3 t6:3 t1:4 t1:5 t2:4 t2:5
.
",
    );
}
