//! Golden cases: inputs and the assignment Apache Kafka's Java assignors returned for them.
//!
//! The expected outputs were produced by running Kafka's own `RangeAssignor`,
//! `RoundRobinAssignor`, `CooperativeStickyAssignor` and `AbstractStickyAssignor` (clients
//! module, 4.0.0-SNAPSHOT of October 2024) through `AbstractPartitionAssignor.assign(Cluster,
//! GroupSubscription)`, with the subscriptions map filled in member-id order. They pin this
//! port to the Java client partition for partition, including the order inside each list.
//! The case format is described in `test_support`.

use super::test_support::check_cases;

/// Random groups and rebalance sequences (members joining and leaving, stale and missing
/// generations, partitions claimed twice, topics created and deleted, member ids whose Java
/// hash codes collide or that are not ASCII), with Kafka's answer for each.
#[test]
fn cases_checked_against_kafka() {
    check_cases(CASES, true);
}

const CASES: &str = r"
# An empty group (the coordinator never asks for one; this is what Kafka's classes do).
strategy range
run
.
strategy roundrobin
run
EXCEPTION IllegalArgumentException
.
strategy cooperative-sticky
run
EXCEPTION ArithmeticException
.
strategy cooperative-sticky
topic orders.0 2
member 😀0 gen=1 topics=orders.0 owned=orders.0:1,orders.0:0
member c1 gen=0 topics=orders.0 owned=
member AaBB_2 gen=2 topics=orders.0 owned=orders.0:0,orders.0:1 inst=i2
member BBBBBB_0 gen=2 topics=orders.0 owned=orders.0:1
member m004 gen=2 topics=orders.0 owned= inst=i7
member c5 gen=2 topics=orders.0 owned=
member c7 gen=-1 topics=orders.0 owned= inst=i3
member m120 gen=-1 topics=orders.0 owned=
member 😀121 gen=-1 topics=orders.0 owned=
run
AaBB_2 orders.0:0
BBBBBB_0
c1
c5
c7
m004
m120
😀0
😀121
.
strategy cooperative-sticky
topic topic-0 0
topic topic-1 1
topic BB2 5
topic topic-3 2
topic topic-4 12
member c0 gen=2 topics=topic-1,topic-3,BB2 owned=BB2:3,topic-3:1
member consumer-1-de2091d9 gen=2 topics=topic-1,topic-3,BB2,topic-1 owned=BB2:4,topic-1:0 inst=i1
member ü2 gen=2 topics=BB2,topic-1,topic-3 owned=BB2:2,topic-3:0
member c110 gen=2 topics=topic-1,topic-3,BB2 owned=
member c111 gen=2 topics=topic-4,BB2,topic-1,topic-0,topic-3 owned=topic-4:0,topic-4:1,topic-4:2,topic-4:3,topic-4:4,topic-4:5,topic-4:6,topic-4:7,topic-4:8,topic-4:9,topic-4:10,topic-4:11
member ｡120 gen=-1 topics=topic-1,topic-3,BB2 owned=
run
c0 BB2:3 topic-3:1
c110 BB2:0
c111 topic-4:0 topic-4:1 topic-4:2 topic-4:3 topic-4:4 topic-4:5 topic-4:6 topic-4:7 topic-4:8 topic-4:9 topic-4:10 topic-4:11
consumer-1-de2091d9 BB2:4 topic-1:0
ü2 BB2:2 topic-3:0
｡120 BB2:1
.
strategy cooperative-sticky
topic BB0 1
topic topic-1 2
topic Aa2 3
member BBBB_1 gen=1 topics=Aa2,topic-1,BB0 owned=Aa2:1
member BBBB_2 gen=1 topics=BB0,Aa2,topic-1 owned=Aa2:2 inst=i3
member c3 gen=1 topics=topic-1,Aa2,BB0 owned=BB0:0
member AaAa_1 gen=1 topics=topic-1,BB0,Aa2 owned=Aa2:0,topic-1:1
run
AaAa_1 Aa2:0 topic-1:1
BBBB_1 Aa2:1 topic-1:0
BBBB_2 Aa2:2
c3 BB0:0
.
strategy cooperative-sticky
topic BB0 10
member BBAa_1 gen=2 topics=BB0 owned=BB0:0,BB0:3,BB0:6 inst=i1
member m002 gen=2 topics=BB0 owned=BB0:2,BB0:5,BB0:8
member BBAaBB_0 gen=-1 topics=BB0 owned=
run
BBAaBB_0 BB0:1 BB0:4 BB0:7
BBAa_1 BB0:0 BB0:3 BB0:6 BB0:9
m002 BB0:2 BB0:5 BB0:8
.
strategy cooperative-sticky
topic BB0 8
topic BB1 1
topic BB2 5
topic t3 3
topic t4 12
member c1 gen=2 topics=BB2 owned=BB2:3
member m002 gen=2 topics=BB2 owned=
member consumer-4-92703cb3 gen=-1 topics=BB2 owned= inst=i4
member c5 gen=2 topics=BB2 owned=
member BB_0 gen=2 topics=BB2 owned=BB0:3,BB0:1,BB2:2,t4:11
member Aa_2 gen=2 topics=BB2 owned=BB2:1 inst=i9
member consumer-110-0af524e1 gen=2 topics=BB2 owned=
member c111 gen=2 topics=BB1,BB2,t4,t3,BB0 owned=BB0:0,BB0:1,BB0:2,BB0:3,BB0:4,BB0:5,BB0:6,BB1:0,t3:1,t3:2,t4:0,t4:1,t4:2,t4:3,t4:4,t4:5,t4:6,t4:7,t4:8,t4:9,t4:10,t4:11
run
Aa_2 BB2:1
BB_0 BB2:2
c1 BB2:3
c111 BB0:0 BB0:2 BB0:4 BB0:5 BB0:6 BB1:0 t3:1 t3:2 t4:0 t4:1 t4:2 t4:3 t4:4 t4:5 t4:6 t4:7 t4:8 t4:9 t4:10 BB0:1 BB0:3 BB0:7 t3:0 t4:11
c5 BB2:0
consumer-110-0af524e1 BB2:4
consumer-4-92703cb3
m002
.
strategy cooperative-sticky
topic orders.0 5
topic BB2 12
member BB_0 gen=2 topics=orders.0 owned=orders.0:2,orders.0:4
member consumer-1-7d99e266 gen=-1 topics=orders.0,BB1 owned= inst=i7
member ü2 gen=1 topics=BB2,BB1,orders.0 owned=BB2:3,BB2:7,BB2:11,BB2:8
member c3 gen=2 topics=orders.0 owned=orders.0:3
member c6 gen=2 topics= owned=
member consumer-7-bab3bf8c gen=2 topics= owned=
member m008 gen=2 topics=BB2,BB1,orders.0 owned=BB2:10,BB2:2,BB2:4,BB2:6
member consumer-9-541e0a34 gen=2 topics=BB1 owned=
member m110 gen=0 topics=BB1,orders.0 owned=
run
BB_0 orders.0:2 orders.0:4
c3 orders.0:3
c6
consumer-1-7d99e266 orders.0:0
consumer-7-bab3bf8c
consumer-9-541e0a34
m008 BB2:10 BB2:2 BB2:4 BB2:6 BB2:0 BB2:5
m110 orders.0:1
ü2 BB2:3 BB2:7 BB2:11 BB2:8 BB2:1 BB2:9
.
strategy cooperative-sticky
topic BB0 8
topic BB1 5
topic BB2 1
topic Aa4 3
topic BB5 1
topic BB6 2
topic BB7 5
member consumer-0-8b634c85 gen=2 topics=BB5,Aa3,BB1 owned=BB1:0,BB5:0,BB1:1
member c110 gen=2 topics=BB5,Aa3,BB1 owned=
member m120 gen=-1 topics= owned=
member BBBB_1 gen=-1 topics=BB5,Aa3,BB1 owned=
run
BBBB_1 BB1:2 BB1:4
c110 BB1:3
consumer-0-8b634c85 BB5:0 BB1:1
m120
.
strategy cooperative-sticky
topic Aa0 2
topic topic-1 5
topic BB2 0
topic topic-3 5
topic t4 1
topic BB5 5
topic BB6 0
topic topic-7 20
member c0 gen=-1 topics=topic-3,BB6,topic-1,ghost,topic-3 owned=
member AaBB_1 gen=-1 topics=topic-1,topic-3,ghost,BB6 owned=
member ｡2 gen=-1 topics=topic-1,topic-3,BB6,ghost owned=
member m003 gen=-1 topics=topic-3,ghost,BB6,topic-1 owned=
member c4 gen=-1 topics=topic-3,topic-1,ghost,BB6 owned=
member consumer-5-78bd001b gen=-1 topics=BB6,topic-3,topic-1,ghost owned=
member m006 gen=-1 topics=topic-1,ghost,BB6,topic-3 owned=
run
AaBB_1 topic-1:0 topic-3:2
c0 topic-1:1 topic-3:3
c4 topic-1:2 topic-3:4
consumer-5-78bd001b topic-1:3
m003 topic-1:4
m006 topic-3:0
｡2 topic-3:1
.
strategy cooperative-sticky
topic Aa0 2
topic topic-1 2
topic orders.2 8
topic topic-3 3
topic BB4 1
topic BB5 0
topic t6 20
topic topic-7 3
member consumer-0-b5539223 gen=3 topics=orders.2 owned=t6:2,topic-7:1,topic-3:2,t6:10,t6:4,topic-1:0,t6:8,t6:18,t6:12,t6:6,t6:16,t6:14,topic-3:0
member BBBB_0 gen=3 topics=t6,Aa0,topic-3,topic-7,BB4 owned=Aa0:0,Aa0:1,BB4:0,t6:1,t6:3,t6:5,t6:9,t6:13,t6:17,topic-3:1,topic-7:2,t6:7
member m121 gen=3 topics=t6,topic-3,Aa0,BB4,topic-1,topic-7,BB5,orders.2 owned=orders.2:1,orders.2:3,orders.2:5,orders.2:7,topic-1:1,t6:11,t6:15,t6:19,topic-7:0
member m130 gen=-1 topics=BB4,topic-7,topic-3,topic-1,BB5,orders.2,t6 owned=
member ü131 gen=-1 topics=topic-7,BB5,topic-1,orders.2 owned=
run
BBBB_0 t6:1 t6:3 t6:5 t6:9 t6:13 t6:17 topic-3:1 t6:7 BB4:0
consumer-0-b5539223 orders.2:0 orders.2:2 orders.2:6
m121 t6:11 t6:15 t6:19 t6:0
m130
ü131 orders.2:4
.
strategy cooperative-sticky
member m001 gen=3 topics= owned=
member BBAa_1 gen=3 topics= owned=
member c120 gen=1 topics= owned=
run
BBAa_1
c120
m001
.
strategy cooperative-sticky
member AaBBAa_1 gen=4 topics=t0 owned=
member c2 gen=3 topics= owned=
member ü3 gen=4 topics=t0 owned= inst=i3
member m004 gen=-1 topics=t0 owned=
member c5 gen=4 topics=t0 owned= inst=i7
member c7 gen=-1 topics=t0 owned= inst=i1
member c8 gen=4 topics=t0 owned= inst=i20
member m012 gen=4 topics=t0 owned= inst=i5
member ü16 gen=4 topics= owned= inst=i6
member ü17 gen=4 topics= owned=
member consumer-21-7c756084 gen=4 topics=t0,t0 owned=
member AaAaAa_0 gen=4 topics=t0 owned=
member AaBBAa_2 gen=4 topics= owned=
member 😀111 gen=4 topics=t0 owned=
member c121 gen=4 topics= owned=
run
AaAaAa_0
AaBBAa_1
AaBBAa_2
c121
c2
c5
c7
c8
consumer-21-7c756084
m004
m012
ü16
ü17
ü3
😀111
.
strategy cooperative-sticky
topic topic-0 8
topic BB1 0
topic BB2 5
topic Aa3 8
member m000 gen=-1 topics=topic-0 owned=topic-0:4 inst=i7
member consumer-1-95f22e70 gen=3 topics=topic-0 owned=topic-0:2
member c2 gen=3 topics=topic-0 owned=topic-0:0,topic-0:7 inst=i1
member ü3 gen=3 topics=topic-0 owned=topic-0:5,BB2:0,BB2:1
member c5 gen=1 topics=topic-0 owned=topic-0:6,topic-0:1 inst=i1
member ü110 gen=3 topics=topic-0,t4,Aa3 owned=Aa3:0,Aa3:6,t4:2,t4:1,Aa3:5,Aa3:7,Aa3:2,Aa3:3,Aa3:4,t4:0,Aa3:1
member ｡120 gen=3 topics= owned=
run
c2 topic-0:0 topic-0:7
c5 topic-0:6 topic-0:1
consumer-1-95f22e70 topic-0:2 topic-0:3
m000 topic-0:4
ü110 Aa3:0 Aa3:6 Aa3:5 Aa3:7 Aa3:2 Aa3:3 Aa3:4 Aa3:1
ü3 topic-0:5
｡120
.
strategy cooperative-sticky
topic Aa0 3
topic Aa1 9
topic t2 20
topic t3 24
member Aa_0 gen=4 topics=Aa1,t3,t2 owned=t3:0,t2:18,t3:6,t3:8,t3:18,t3:12,t3:4,t3:2,t3:14,t3:21,t3:10,t2:14,t2:16,t3:16
member ü1 gen=4 topics=t2,t3,Aa1 owned=t3:1,t3:3,t3:5,t3:7,t3:9,t3:13,t2:15,t2:17,t3:17,t2:19,t3:19,t3:20,t3:22,t3:23
member c120 gen=4 topics=Aa1,t3,t2 owned=Aa1:6,t3:11,t3:15,Aa1:0,Aa1:2,Aa1:4,Aa1:7,t2:1,t2:3,t2:5,t2:7,t2:9,t2:11,t2:13
member m121 gen=4 topics=t3,t2,Aa0,Aa1 owned=t2:6,Aa0:2,t2:0,t2:12,Aa1:1,t2:4,t2:10,Aa0:0,t2:8,t2:2,Aa0:1,Aa1:3,Aa1:5
member m140 gen=-1 topics=Aa1,t3,t2 owned=
member consumer-141-3546429b gen=-1 topics=Aa1,t3,t2 owned=
run
Aa_0 t3:6 t3:8 t3:18 t3:12 t3:4 t3:2 t3:14 t3:21 t3:10 t3:16
c120 t3:11 t3:15 t2:5 t2:7 t2:9 t2:11 t2:13
consumer-141-3546429b Aa1:8
m121 t2:6 Aa0:2 t2:12 t2:10 Aa0:0 t2:8 Aa0:1
m140
ü1 t3:3 t3:5 t3:7 t3:9 t3:13 t3:17 t3:19 t3:20 t3:22 t3:23
.
strategy cooperative-sticky
topic orders.0 20
member c3 gen=-1 topics=orders.0 owned=orders.0:13
member c4 gen=3 topics= owned=orders.0:4,orders.0:14
member c7 gen=-1 topics=orders.0 owned=orders.0:15,orders.0:17
member c8 gen=3 topics= owned=
member consumer-9-9b169dca gen=3 topics= owned=orders.0:8,orders.0:18 inst=i13
member c11 gen=3 topics=orders.0 owned=orders.0:2,orders.0:12,orders.0:2
member 😀12 gen=3 topics=orders.0 owned=orders.0:9,orders.0:19
member consumer-13-86c760f7 gen=3 topics= owned=
member c14 gen=3 topics= owned= inst=i5
member AaAaAa_2 gen=1 topics=orders.0 owned=orders.0:10,orders.0:0
member ｡111 gen=2 topics=ghost,orders.0 owned=orders.0:7
member ü120 gen=3 topics= owned=
run
AaAaAa_2 orders.0:10 orders.0:0 orders.0:16
c11 orders.0:12 orders.0:1 orders.0:5
c14
c3 orders.0:13 orders.0:6
c4
c7 orders.0:15 orders.0:17
c8
consumer-13-86c760f7
consumer-9-9b169dca
ü120
😀12 orders.0:9 orders.0:19 orders.0:11
｡111 orders.0:7 orders.0:3
.
strategy cooperative-sticky
topic topic-0 0
topic t1 3
topic topic-2 1
topic t3 2
topic orders.4 2
topic t5 3
topic orders.6 5
topic BB7 1
topic BB8 12
member c1 gen=4 topics=topic-2,t1,t5,t3,orders.6,topic-0,orders.4 owned=orders.6:0,orders.6:1,orders.6:3,orders.6:4,orders.6:2
member c4 gen=1 topics=t1,topic-0 owned=t1:2,t1:1
member BBBB_0 gen=4 topics=t3,topic-0,topic-2,t1 owned=t1:0,t3:1
member BBBBBB_0 gen=-1 topics=t3,topic-0,t1,topic-2 owned=topic-2:0,t3:0
member 😀111 gen=2 topics=t5,t3,topic-2,orders.4,t1,topic-0 owned=orders.4:0,orders.4:1,t5:1,t5:2
run
BBBBBB_0 topic-2:0 t3:0
BBBB_0 t1:0 t3:1
c1 orders.6:0 orders.6:1 orders.6:3 orders.6:4 orders.6:2
c4 t1:2 t1:1
😀111 orders.4:0 orders.4:1 t5:1 t5:2 t5:0
.
strategy cooperative-sticky
member AaBBAa_0 gen=-1 topics= owned= inst=i19
member c1 gen=-1 topics= owned=
member m002 gen=2 topics= owned=
member consumer-3-6cc2d4a4 gen=-1 topics= owned=
member m005 gen=2 topics= owned= inst=i23
member ü6 gen=-1 topics= owned=
member c7 gen=-1 topics= owned=
member consumer-8-872da3fd gen=2 topics= owned= inst=i0
member 😀10 gen=2 topics= owned= inst=i25
member ü12 gen=2 topics= owned= inst=i12
member c13 gen=2 topics= owned= inst=i9
member m014 gen=2 topics= owned= inst=i15
member BB_0 gen=2 topics= owned= inst=i18
member 😀16 gen=2 topics= owned=
member c17 gen=2 topics= owned=
member consumer-19-6609c7b8 gen=1 topics= owned= inst=i6
member c21 gen=2 topics= owned=
member consumer-24-da7edab1 gen=2 topics= owned=
member m110 gen=2 topics= owned=
run
AaBBAa_0
BB_0
c1
c13
c17
c21
c7
consumer-19-6609c7b8
consumer-24-da7edab1
consumer-3-6cc2d4a4
consumer-8-872da3fd
m002
m005
m014
m110
ü12
ü6
😀10
😀16
.
strategy cooperative-sticky
topic Aa0 1
topic BB1 3
topic BB2 6
topic topic-3 2
topic orders.4 1
topic topic-5 12
member consumer-0-e470dd5d gen=-1 topics=topic-5,Aa0 owned=topic-5:1,topic-5:3,topic-5:5,topic-5:7,topic-5:9,topic-5:11
member ｡1 gen=-1 topics=BB1,Aa0,topic-3,BB2,orders.4,topic-5 owned=BB1:0,BB1:1,BB1:2,BB2:0,BB2:1,BB2:2,orders.4:0,topic-3:0,topic-3:1
member AaAa_2 gen=1 topics=Aa0,topic-5 owned=topic-5:0,topic-5:2,topic-5:4,topic-5:6,topic-5:8,topic-5:10 inst=i0
member consumer-3-fc2431cf gen=-1 topics= owned=topic-5:5,BB1:2,topic-5:7
member 😀4 gen=1 topics=Aa0 owned=Aa0:0 inst=i3
member ｡110 gen=-1 topics=topic-5,Aa0 owned=
run
EXCEPTION NullPointerException
.
strategy cooperative-sticky
topic topic-0 1
topic BB1 8
topic t2 20
topic Aa3 20
topic BB4 12
topic Aa5 5
member ü1 gen=2 topics=Aa3,t2,topic-0 owned=BB4:0,t2:2,Aa3:4,BB4:7,t2:9,Aa3:11,t2:16,Aa3:18,Aa3:14,t2:19
member ｡2 gen=2 topics=t2 owned=Aa3:6,Aa5:1,BB4:9,t2:11,Aa3:13,BB4:2,t2:4,t2:18,BB4:3 inst=i2
member consumer-3-a4f24cd3 gen=2 topics=Aa3,t2,Aa5,topic-0,BB4 owned=t2:0,Aa3:2,Aa5:3,BB4:5,t2:7,Aa3:9,t2:14,Aa3:16,Aa3:0,t2:5
member ü4 gen=2 topics=Aa3,BB4,t2,topic-0,Aa5 owned=BB4:1,t2:3,Aa3:5,BB4:8,t2:10,Aa3:12,t2:17,Aa3:19 inst=i0
member m005 gen=-1 topics= owned=t2:1,Aa3:3,Aa5:4,BB4:6,t2:8,Aa3:10,t2:15,Aa3:17,Aa3:7,t2:12
member c6 gen=2 topics=BB4,Aa3,Aa5,t2 owned=topic-0:0,Aa3:1,Aa5:2,BB4:4,t2:6,Aa3:8,BB4:11,t2:13,Aa3:15,BB4:10
run
EXCEPTION NullPointerException
.
strategy range
topic t0 8
topic t1 2
topic topic-2 1
topic BB3 1
topic topic-4 1
topic topic-5 0
topic t6 3
topic topic-7 0
member c0 gen=-1 topics=t1,BB3,t6,topic-4,topic-7,topic-5 owned= inst=i5
member ü1 gen=-1 topics=topic-4,BB3,t0,topic-2,t6,t1,topic-7 owned=
member c2 gen=-1 topics=t0,topic-7,topic-4,t1,BB3,topic-2,topic-5,t6 owned=
member consumer-3-60f8f74e gen=-1 topics=topic-7,topic-2,topic-4 owned= inst=i10
member c4 gen=-1 topics=topic-7,t1,topic-5,topic-2,BB3,topic-4 owned= inst=i2
member Aa_2 gen=-1 topics=topic-7 owned= inst=i4
member consumer-6-676dcbd3 gen=-1 topics=topic-2,topic-7,t1,BB3,t6 owned=
member c7 gen=-1 topics=t0,topic-4 owned=
member m008 gen=-1 topics= owned=
member c9 gen=-1 topics=t0,BB3,topic-5,t6,t1,topic-4 owned= inst=i10
run
Aa_2
c0 t6:1
c2 t6:2 t0:2 t0:3
c4 t1:1
c7 t0:4 t0:5
c9 t6:0 BB3:0 t0:0 t0:1 t1:0 topic-4:0
consumer-3-60f8f74e topic-2:0
consumer-6-676dcbd3
m008
ü1 t0:6 t0:7
.
strategy range
topic BB0 20
topic BB1 12
topic Aa2 3
topic topic-3 0
topic topic-4 2
topic Aa5 1
topic t6 3
topic orders.7 12
topic Aa8 8
topic t9 8
member m000 gen=-1 topics=topic-3,BB1,BB0,Aa5,Aa2,topic-4 owned=
member c1 gen=-1 topics=topic-3,Aa2,Aa5,BB0,t6,BB1,topic-4 owned=
member c2 gen=-1 topics=topic-3,Aa5,Aa2,BB1,topic-4,BB0 owned= inst=i0
run
c1 BB0:7 BB0:8 BB0:9 BB0:10 BB0:11 BB0:12 BB0:13 BB1:4 BB1:5 BB1:6 BB1:7 Aa2:1 t6:0 t6:1 t6:2 topic-4:1
c2 BB0:0 BB0:1 BB0:2 BB0:3 BB0:4 BB0:5 BB0:6 BB1:0 BB1:1 BB1:2 BB1:3 Aa2:0 Aa5:0 topic-4:0
m000 BB0:14 BB0:15 BB0:16 BB0:17 BB0:18 BB0:19 BB1:8 BB1:9 BB1:10 BB1:11 Aa2:2
.
strategy range
topic BB0 0
topic topic-1 1
topic Aa2 8
topic BB3 0
topic orders.4 14
topic BB5 0
topic orders.7 2
member m002 gen=4 topics=Aa2,t6,BB5,BB0,orders.7,topic-1 owned=Aa2:0,Aa2:1,Aa2:2,topic-1:0,orders.7:0 inst=i1
member c3 gen=4 topics=BB5,Aa2 owned=Aa2:3,Aa2:4,Aa2:5
member c4 gen=4 topics=BB5,Aa2 owned=Aa2:7,Aa2:6
member consumer-130-718e1a08 gen=4 topics=BB0,orders.7 owned=
run
c3 Aa2:3 Aa2:4 Aa2:5
c4 Aa2:6 Aa2:7
consumer-130-718e1a08 orders.7:1
m002 Aa2:0 Aa2:1 Aa2:2 topic-1:0 orders.7:0
.
strategy range
topic t0 3
topic topic-1 12
topic t2 0
member consumer-0-b66373cc gen=3 topics= owned=t0:2
member BB_1 gen=3 topics=topic-1,t2 owned=t0:0,t0:1 inst=i0
member BBBBBB_2 gen=0 topics=topic-1,t0 owned=
member consumer-3-989640db gen=3 topics= owned=
run
BBBBBB_2 topic-1:6 topic-1:7 topic-1:8 topic-1:9 topic-1:10 topic-1:11 t0:0 t0:1 t0:2
BB_1 topic-1:0 topic-1:1 topic-1:2 topic-1:3 topic-1:4 topic-1:5
consumer-0-b66373cc
consumer-3-989640db
.
strategy range
member consumer-0-e781b7b1 gen=3 topics= owned= inst=i15
member ｡2 gen=3 topics= owned= inst=i11
member ü5 gen=3 topics= owned=
member c6 gen=1 topics= owned=
member ｡7 gen=3 topics= owned=
member consumer-8-9c68c03f gen=3 topics= owned=
member 😀9 gen=3 topics= owned=
member ü11 gen=-1 topics= owned=
member c12 gen=2 topics= owned=
member ü13 gen=3 topics= owned= inst=i1
member 😀15 gen=3 topics= owned= inst=i20
member consumer-16-6bb99f4e gen=3 topics= owned=
member consumer-18-c3177d10 gen=3 topics= owned=
member c20 gen=0 topics= owned= inst=i24
member consumer-23-ddf717a7 gen=3 topics= owned=
member AaBBAa_1 gen=-1 topics= owned=
member c131 gen=-1 topics= owned=
run
AaBBAa_1
c12
c131
c20
c6
consumer-0-e781b7b1
consumer-16-6bb99f4e
consumer-18-c3177d10
consumer-23-ddf717a7
consumer-8-9c68c03f
ü11
ü13
ü5
😀15
😀9
｡2
｡7
.
strategy range
topic BB0 12
topic orders.1 8
topic BB2 0
member consumer-0-d29d7957 gen=3 topics=BB0 owned=BB0:5,BB0:7,BB0:6,BB0:4
member ｡1 gen=-1 topics= owned=BB0:8,BB0:1,orders.1:0
member m002 gen=3 topics=BB0,BB2,orders.1 owned=orders.1:4,BB0:11,BB0:9,BB0:10,BB0:8,orders.1:3,orders.1:5
member ü3 gen=3 topics= owned= inst=i0
member c4 gen=-1 topics=BB2 owned=
member c6 gen=-1 topics=BB0,BB2,orders.1 owned=BB0:0,BB0:1,BB0:2,BB0:3,orders.1:0,orders.1:1,orders.1:2
member 😀130 gen=-1 topics=BB0,orders.1 owned=
member ü131 gen=-1 topics=BB0 owned=
run
c4
c6 BB0:0 BB0:1 BB0:2 orders.1:0 orders.1:1 orders.1:2
consumer-0-d29d7957 BB0:3 BB0:4 BB0:5
m002 BB0:6 BB0:7 orders.1:3 orders.1:4 orders.1:5
ü131 BB0:8 BB0:9
ü3
😀130 BB0:10 BB0:11 orders.1:6 orders.1:7
｡1
.
strategy range
topic t0 5
topic t1 5
topic Aa2 2
member consumer-0-376b6aa8 gen=2 topics=Aa2 owned=Aa2:0,Aa2:1
member BBAaBB_1 gen=2 topics= owned=
member c120 gen=-1 topics=Aa2 owned=
run
BBAaBB_1
c120 Aa2:0
consumer-0-376b6aa8 Aa2:1
.
strategy range
topic Aa0 2
topic Aa1 0
topic Aa2 4
topic Aa3 8
topic Aa4 5
topic orders.5 2
topic topic-6 0
topic BB7 2
member consumer-0-4c60a92b gen=2 topics=ghost owned= inst=i5
member consumer-1-9cbca92d gen=3 topics=orders.5,Aa0,ghost owned=Aa0:0,Aa0:1,orders.5:0 inst=i1
member c2 gen=3 topics=ghost owned=
member ｡3 gen=3 topics=ghost,orders.5,Aa4,Aa2,topic-6 owned=Aa2:0,Aa2:1,Aa2:2,Aa2:3,Aa4:0,Aa4:1,Aa4:2,Aa4:3,Aa4:4,orders.5:1,Aa0:1,orders.5:1,Aa3:1
member consumer-4-095c3877 gen=3 topics=ghost owned=
member 😀6 gen=3 topics=ghost owned=
run
c2
consumer-0-4c60a92b
consumer-1-9cbca92d Aa0:0 Aa0:1 orders.5:0
consumer-4-095c3877
😀6
｡3 Aa2:0 Aa2:1 Aa2:2 Aa2:3 Aa4:0 Aa4:1 Aa4:2 Aa4:3 Aa4:4 orders.5:1
.
strategy range
member ü0 gen=1 topics=ghost,ghost owned=
member c1 gen=-1 topics=ghost owned=
member AaAaAa_2 gen=1 topics=ghost owned=
member AaBB_0 gen=-1 topics=ghost owned= inst=i2
member m004 gen=1 topics=ghost owned= inst=i15
member 😀5 gen=1 topics=ghost owned= inst=i1
member consumer-6-5fbc41bb gen=-1 topics=ghost,ghost owned= inst=i10
member BB_2 gen=1 topics=ghost owned=
member m009 gen=1 topics=ghost owned=
member m010 gen=1 topics=ghost owned=
member c11 gen=1 topics=ghost owned=
member BBAa_0 gen=0 topics=ghost owned=
member m013 gen=0 topics=ghost owned= inst=i10
member m014 gen=1 topics=ghost owned=
run
AaAaAa_2
AaBB_0
BBAa_0
BB_2
c1
c11
consumer-6-5fbc41bb
m004
m009
m010
m013
m014
ü0
😀5
.
strategy range
topic topic-0 15
topic BB1 1
topic BB2 20
topic t3 1
member Aa_0 gen=1 topics=BB2,t3 owned=BB2:6,BB2:7
member c4 gen=1 topics=t3,BB2 owned=BB2:8,BB2:9
member consumer-5-d6ab43a5 gen=1 topics=t3,BB2 owned=BB2:0,BB2:1,t3:0 inst=i0
member 😀6 gen=1 topics=t3,BB2 owned=BB2:16,BB2:17
member ｡8 gen=1 topics=BB2,t3 owned=BB2:5,BB2:4 inst=i9
run
Aa_0 BB2:8 BB2:9 BB2:10 BB2:11
c4 BB2:12 BB2:13 BB2:14 BB2:15
consumer-5-d6ab43a5 BB2:0 BB2:1 BB2:2 BB2:3 t3:0
😀6 BB2:16 BB2:17 BB2:18 BB2:19
｡8 BB2:4 BB2:5 BB2:6 BB2:7
.
strategy range
topic t0 6
member c0 gen=4 topics=t0 owned=t0:1,t0:0,t0:2
member ｡1 gen=-1 topics= owned=t0:4,t0:4
member consumer-110-bd244364 gen=4 topics= owned=t0:2
member BBAa_0 gen=2 topics=t0 owned=t0:0
member consumer-140-5aca586f gen=-1 topics= owned=
member c141 gen=-1 topics= owned=
run
BBAa_0 t0:0 t0:1 t0:2
c0 t0:3 t0:4 t0:5
c141
consumer-110-bd244364
consumer-140-5aca586f
｡1
.
strategy range
topic t0 2
topic t1 13
member ｡0 gen=-1 topics= owned=
member Aa_0 gen=4 topics= owned=
member 😀121 gen=4 topics=t1 owned=t1:0,t1:1,t1:2,t1:3,t1:4,t1:5,t1:6
member 😀130 gen=-1 topics=t1 owned=t1:7,t1:12,t1:11,t1:8,t1:9,t1:10
run
Aa_0
😀121 t1:0 t1:1 t1:2 t1:3 t1:4 t1:5 t1:6
😀130 t1:7 t1:8 t1:9 t1:10 t1:11 t1:12
｡0
.
strategy range
topic t0 12
topic topic-1 3
topic topic-2 5
topic t3 2
topic t4 2
member c0 gen=-1 topics=t3,topic-2,ghost,topic-1,t0,t3 owned=
member c1 gen=-1 topics=t0,t3,topic-1,topic-2,t4 owned= inst=i3
member c2 gen=-1 topics=topic-2,topic-1,ghost,t0,t3 owned=
member BBBB_0 gen=-1 topics=topic-1,ghost,t0,topic-2,t3 owned= inst=i3
member ü4 gen=-1 topics=topic-2,topic-1,ghost,t0,t3 owned=
member consumer-5-16ae0617 gen=-1 topics=ghost,t4,topic-2,t3,t0 owned=
member AaAaAa_0 gen=-1 topics=topic-2,topic-1,ghost,t0,t3 owned=
run
AaAaAa_0 topic-1:2 t0:4 t0:5 topic-2:2
BBBB_0 topic-1:0 t0:0 t0:1 topic-2:0 t3:0
c0 t0:6 t0:7 topic-2:3
c1 t4:0 topic-1:1 t0:2 t0:3 topic-2:1 t3:1
c2 t0:8 t0:9 topic-2:4
consumer-5-16ae0617 t4:1 t0:10
ü4 t0:11
.
strategy range
topic t0 4
member c0 gen=2 topics=t0 owned=t0:0
member ｡1 gen=2 topics=t0 owned=
member consumer-110-bd244364 gen=-1 topics=t0 owned=t0:1,t0:2
member consumer-111-81373cdc gen=1 topics=t0 owned=t0:2
member BBAa_0 gen=-1 topics=t0 owned=
member consumer-121-11222884 gen=-1 topics=t0 owned=
run
BBAa_0 t0:0
c0 t0:1
consumer-110-bd244364 t0:2
consumer-111-81373cdc t0:3
consumer-121-11222884
｡1
.
strategy range
topic t0 1
topic t1 0
topic orders.2 12
topic orders.3 2
member m000 gen=2 topics=orders.2,t0,t1 owned=orders.2:10,orders.2:11
member consumer-2-82c89154 gen=1 topics=orders.2,t1,t0 owned=orders.2:8,orders.2:9,orders.2:7,orders.2:8,orders.2:9
member c4 gen=4 topics=t0 owned=
member BBBB_0 gen=-1 topics=orders.2,orders.3,t0,t1,ghost owned=orders.3:1,orders.2:3,orders.2:4,orders.2:5,orders.2:2,orders.2:7,orders.2:9
member c8 gen=4 topics=orders.2,orders.3,t1,t0,ghost owned=orders.2:6,orders.2:7
member consumer-9-46bd254a gen=4 topics=ghost,t1,orders.3,orders.2,t0 owned=orders.3:0,orders.2:0,orders.2:1,orders.2:2 inst=i6
member AaAaAa_2 gen=-1 topics=t0,t1,orders.3,orders.2 owned=
run
AaAaAa_2 orders.3:1 orders.2:2 orders.2:3
BBBB_0 orders.2:4 orders.2:5
c4
c8 orders.2:6 orders.2:7
consumer-2-82c89154 orders.2:8 orders.2:9
consumer-9-46bd254a orders.3:0 orders.2:0 orders.2:1 t0:0
m000 orders.2:10 orders.2:11
.
strategy range
topic t0 5
topic topic-1 0
topic t2 5
topic topic-3 3
topic BB4 1
topic BB5 12
topic Aa6 5
topic t7 5
member consumer-0-2b3de76b gen=2 topics=topic-3,BB4,t2,t0,t7,topic-1,Aa6 owned=t7:3,t2:3,t0:3,Aa6:3
member c1 gen=2 topics=topic-1,t2,topic-3,BB4,Aa6,t0,t7 owned=t7:1,Aa6:1,t0:1,topic-3:1,t2:1
member AaBB_2 gen=-1 topics=topic-3,topic-1,t2,BB4,t0,Aa6,t7 owned=topic-3:0,t2:0,t7:0,BB4:0,Aa6:0,t0:0
member c3 gen=1 topics=t0,topic-3,t7,topic-1,BB4,t2,Aa6 owned=t7:2,Aa6:2,t0:2,topic-3:2,t2:2,t7:2
member consumer-4-843c5bd1 gen=2 topics=BB4,t2,t7,Aa6,topic-1,topic-3,t0 owned=t7:4,Aa6:4,t0:4,t2:4
member c120 gen=-1 topics=topic-3,BB4,t2,t0,t7,topic-1,Aa6 owned=
run
AaBB_2 t7:0 BB4:0 Aa6:0 t0:0 topic-3:0 t2:0
c1 t7:1 Aa6:1 t0:1 topic-3:1 t2:1
c120 t7:2 Aa6:2 t0:2 topic-3:2 t2:2
c3 t7:3 Aa6:3 t0:3 t2:3
consumer-0-2b3de76b t7:4 Aa6:4 t0:4 t2:4
consumer-4-843c5bd1
.
strategy roundrobin
topic topic-1 3
topic t3 15
topic Aa4 0
member c0 gen=-1 topics=topic-1,BB2,t0 owned=BB2:13,BB2:19,BB2:1,BB2:7
member consumer-2-81ce24ea gen=3 topics=BB2,topic-1 owned=BB2:2,BB2:8,BB2:14
member Aa_1 gen=3 topics=topic-1,t3,t0,Aa4,BB2 owned=BB2:0,BB2:6,BB2:12,BB2:18,t3:1,t3:3,t3:5,t3:7,t3:9,t3:11,t3:13
member ü5 gen=3 topics=t0,t0 owned=
member m006 gen=3 topics=t0,Aa4,t3,topic-1,BB2 owned=BB2:3,BB2:9,BB2:15,t3:0,t3:2,t3:4,t3:6,t3:8,t3:10,t3:12,t3:14
member ｡110 gen=-1 topics=topic-1,BB2,Aa4,t3 owned=BB2:5,BB2:11,BB2:17
member m120 gen=3 topics=topic-1,BB2,t0 owned=BB2:4,BB2:10,BB2:16,topic-1:0
member consumer-130-773d10e1 gen=-1 topics=BB2,topic-1,Aa4,t3 owned=
run
Aa_1 t3:0 t3:4 t3:8 t3:12 topic-1:2
c0
consumer-130-773d10e1 t3:1 t3:5 t3:9 t3:13
consumer-2-81ce24ea
m006 t3:2 t3:6 t3:10 t3:14
m120 topic-1:0
ü5
｡110 t3:3 t3:7 t3:11 topic-1:1
.
strategy roundrobin
topic Aa1 3
topic Aa2 3
topic BB3 20
member BBAa_0 gen=3 topics=BB3 owned=BB3:0,BB3:2,BB3:4,BB3:6,BB3:8,BB3:10,BB3:12,BB3:14,BB3:16,BB3:18 inst=i2
member consumer-1-16ef0203 gen=3 topics=t0,Aa1 owned=Aa1:0,Aa1:2
member m120 gen=3 topics=BB3,Aa1,t0,Aa2 owned=Aa1:1,Aa2:0,Aa2:1,Aa2:2,BB3:1,BB3:3,BB3:5,BB3:7,BB3:9,BB3:11,BB3:13,BB3:15,BB3:17,BB3:19
member ü130 gen=-1 topics=BB3 owned=
member c131 gen=-1 topics=BB3,Aa2 owned=
run
BBAa_0 BB3:1 BB3:5 BB3:9 BB3:13 BB3:17
c131 Aa2:1 BB3:2 BB3:6 BB3:10 BB3:14 BB3:18
consumer-1-16ef0203 Aa1:0 Aa1:2
m120 Aa1:1 Aa2:0 Aa2:2 BB3:3 BB3:7 BB3:11 BB3:15 BB3:19
ü130 BB3:0 BB3:4 BB3:8 BB3:12 BB3:16
.
strategy roundrobin
topic t0 1
topic orders.1 5
topic t2 3
topic Aa3 24
topic topic-4 5
topic BB5 12
topic Aa6 12
topic t7 2
member c0 gen=4 topics=topic-4,Aa6,t7 owned=Aa6:2,Aa6:7,topic-4:4,topic-4:0
member ü1 gen=-1 topics=topic-4,Aa6,t7 owned=Aa6:4,Aa6:9,t7:0,topic-4:2
member AaAaAa_0 gen=-1 topics=Aa6 owned=Aa6:0,Aa6:5,Aa6:10,t7:1,orders.1:3,Aa3:10
member c130 gen=4 topics=t7,Aa6,topic-4,t0,BB5 owned=Aa6:3,Aa6:8,BB5:0,BB5:1,BB5:2,BB5:3,BB5:4,BB5:5,BB5:6,BB5:7,BB5:8,BB5:9,BB5:10,BB5:11,t0:0,topic-4:1
run
AaAaAa_0 Aa6:0 Aa6:4 Aa6:8
c0 Aa6:1 Aa6:5 Aa6:9 t7:1 topic-4:2
c130 Aa6:2 Aa6:6 Aa6:10 BB5:0 BB5:1 BB5:2 BB5:3 BB5:4 BB5:5 BB5:6 BB5:7 BB5:8 BB5:9 BB5:10 BB5:11 t0:0 topic-4:0 topic-4:3
ü1 Aa6:3 Aa6:7 Aa6:11 t7:0 topic-4:1 topic-4:4
.
strategy roundrobin
topic orders.0 8
topic t1 8
topic orders.2 20
topic BB3 1
topic t4 2
topic Aa5 1
topic t6 2
topic t7 8
topic t8 1
member 😀0 gen=-1 topics=t7,Aa5,t4,orders.2,t1 owned= inst=i5
member m001 gen=-1 topics=t4,t1,t7,orders.2,Aa5 owned=
member ü2 gen=-1 topics=Aa5,orders.2,t1,t7,t4 owned= inst=i4
member m003 gen=-1 topics=Aa5,orders.2,t1,t7,t4 owned=
member 😀4 gen=-1 topics=t1,t7,t4,Aa5,orders.2 owned=
run
m001 orders.2:1 orders.2:6 orders.2:11 orders.2:16 t1:1 t1:6 t7:1 t7:6
m003 orders.2:2 orders.2:7 orders.2:12 orders.2:17 t1:2 t1:7 t7:2 t7:7
ü2 Aa5:0 orders.2:4 orders.2:9 orders.2:14 orders.2:19 t1:4 t4:1 t7:4
😀0 orders.2:0 orders.2:5 orders.2:10 orders.2:15 t1:0 t1:5 t7:0 t7:5
😀4 orders.2:3 orders.2:8 orders.2:13 orders.2:18 t1:3 t4:0 t7:3
.
strategy roundrobin
member BBBB_0 gen=4 topics= owned= inst=i4
member c1 gen=4 topics=BB0 owned=
member ｡2 gen=-1 topics= owned=
member ü5 gen=1 topics=BB0 owned=
member consumer-6-9dee9984 gen=-1 topics=BB0 owned=
member consumer-7-33acd253 gen=4 topics= owned=
member c9 gen=4 topics=BB0 owned=
member c130 gen=4 topics= owned=
member ｡140 gen=-1 topics= owned=
member 😀141 gen=-1 topics= owned=
run
BBBB_0
c1
c130
c9
consumer-6-9dee9984
consumer-7-33acd253
ü5
😀141
｡140
｡2
.
strategy roundrobin
topic topic-0 12
topic BB1 12
topic orders.2 3
topic BB3 0
topic topic-4 12
topic topic-5 3
topic Aa6 2
topic Aa7 1
topic topic-8 2
topic orders.9 8
member c0 gen=-1 topics=BB3,topic-8,Aa6 owned=
member m001 gen=-1 topics=Aa6,topic-8,BB3 owned= inst=i0
member m002 gen=-1 topics=BB3,topic-8,Aa6 owned=
run
c0 Aa6:1
m001 Aa6:0 topic-8:1
m002 topic-8:0
.
strategy roundrobin
topic topic-0 3
member c3 gen=4 topics= owned=topic-0:1,topic-0:2,topic-0:0
member consumer-110-692eb376 gen=4 topics=topic-0 owned=topic-0:1,topic-0:0,topic-0:1,topic-0:0,topic-0:2,topic-0:2
member c140 gen=-1 topics= owned=
run
c140
c3
consumer-110-692eb376 topic-0:0 topic-0:1 topic-0:2
.
strategy roundrobin
topic orders.0 0
topic t1 2
topic topic-2 8
topic Aa3 5
member c0 gen=4 topics=ghost owned= inst=i0
member c1 gen=4 topics=orders.0 owned= inst=i1
member m002 gen=4 topics=t1,Aa3 owned=Aa3:2,t1:1,Aa3:0,Aa3:4,Aa3:3,Aa3:1,t1:0
run
c0
c1
m002 Aa3:0 Aa3:1 Aa3:2 Aa3:3 Aa3:4 t1:0 t1:1
.
strategy roundrobin
topic t0 8
topic topic-1 5
topic BB2 1
member c1 gen=3 topics=t0,BB2,topic-1 owned=BB2:0,t0:5,topic-1:2
member m006 gen=1 topics=topic-1,BB2,t0 owned=t0:6,t0:0,topic-1:3
member ü7 gen=3 topics=topic-1,t0 owned=t0:3,topic-1:1 inst=i10
member c9 gen=3 topics=t0 owned=t0:4 inst=i7
run
c1 BB2:0 t0:3 t0:7 topic-1:2
c9 t0:2 t0:6
m006 t0:0 t0:4 topic-1:0 topic-1:3
ü7 t0:1 t0:5 topic-1:1 topic-1:4
.
strategy roundrobin
member AaAaAa_0 gen=4 topics=ghost owned=
member c1 gen=4 topics=ghost owned=
member c2 gen=-1 topics=ghost owned=
member ｡3 gen=4 topics=ghost owned=
member 😀5 gen=4 topics=ghost owned=
member ｡6 gen=1 topics=ghost owned= inst=i10
member m007 gen=-1 topics=ghost owned= inst=i10
member consumer-9-c2a71be5 gen=4 topics=ghost owned=
member consumer-121-95eb9558 gen=4 topics= owned=
run
AaAaAa_0
c1
c2
consumer-121-95eb9558
consumer-9-c2a71be5
m007
😀5
｡3
｡6
.
strategy roundrobin
topic BB0 12
topic topic-1 12
topic t2 12
member c0 gen=-1 topics=ghost,topic-1,t2 owned=
member m001 gen=-1 topics=topic-1,t2,ghost owned=
member BBBBBB_2 gen=-1 topics=t2,topic-1,ghost owned= inst=i2
member ü3 gen=-1 topics=topic-1,ghost,t2 owned=
run
BBBBBB_2 t2:0 t2:4 t2:8 topic-1:0 topic-1:4 topic-1:8
c0 t2:1 t2:5 t2:9 topic-1:1 topic-1:5 topic-1:9
m001 t2:2 t2:6 t2:10 topic-1:2 topic-1:6 topic-1:10
ü3 t2:3 t2:7 t2:11 topic-1:3 topic-1:7 topic-1:11
.
strategy roundrobin
topic Aa0 1
member consumer-0-9aebc967 gen=2 topics=Aa0 owned=Aa0:0
member ｡1 gen=2 topics= owned=Aa0:0
member 😀2 gen=2 topics= owned=
member m110 gen=2 topics=Aa0 owned=
run
consumer-0-9aebc967 Aa0:0
m110
😀2
｡1
.
strategy roundrobin
member consumer-1-1fb84d0e gen=-1 topics=topic-0,topic-1 owned=
member c121 gen=4 topics=topic-1 owned=
member ü130 gen=4 topics= owned=
run
c121
consumer-1-1fb84d0e
ü130
.
strategy roundrobin
topic t0 0
member m000 gen=2 topics=t0 owned= inst=i5
member ｡1 gen=2 topics=t0 owned=
member m002 gen=-1 topics=t0 owned=
member c3 gen=2 topics= owned=
member BB_2 gen=2 topics= owned=
member m006 gen=-1 topics=t0 owned=
member 😀7 gen=2 topics=t0 owned= inst=i6
member c8 gen=2 topics= owned=
member consumer-9-4a00cafe gen=2 topics= owned= inst=i9
member BBBBBB_1 gen=1 topics= owned= inst=i11
member c11 gen=2 topics= owned=
member c12 gen=2 topics=t0 owned=
member ü13 gen=2 topics= owned=
member c14 gen=-1 topics= owned=
member c110 gen=2 topics=t0 owned=
member c111 gen=-1 topics=t0 owned=
member consumer-120-81b659ff gen=-1 topics=t0 owned=
member consumer-121-1a9e1c34 gen=-1 topics=t0 owned=
run
BBBBBB_1
BB_2
c11
c110
c111
c12
c14
c3
c8
consumer-120-81b659ff
consumer-121-1a9e1c34
consumer-9-4a00cafe
m000
m002
m006
ü13
😀7
｡1
.
strategy roundrobin
member m000 gen=2 topics=orders.0 owned=orders.0:4
member c1 gen=1 topics=orders.0 owned=orders.0:0,orders.0:2,orders.0:1,orders.0:0
member c2 gen=2 topics=orders.0 owned=orders.0:1
member consumer-5-4135ab78 gen=2 topics=orders.0,ghost owned=orders.0:3
member ü6 gen=-1 topics=orders.0 owned=
run
c1
c2
consumer-5-4135ab78
m000
ü6
.
strategy roundrobin
topic orders.0 2
topic BB1 5
topic orders.2 1
topic Aa3 3
topic t4 5
member ｡1 gen=1 topics=BB1,orders.2,orders.0,Aa3 owned=Aa3:0,BB1:3,orders.2:0 inst=i8
member m002 gen=2 topics=Aa3 owned=Aa3:2
member BB_1 gen=-1 topics=t4,orders.2,orders.0,BB1 owned=BB1:4,t4:0,t4:3
member c5 gen=2 topics=BB1,Aa3,orders.2,t4,orders.0 owned=Aa3:1,orders.0:0,t4:1,t4:4
member m007 gen=2 topics=BB1 owned=BB1:0
member m009 gen=-1 topics=BB1 owned=BB1:1
member consumer-120-bb378922 gen=-1 topics=BB1,orders.2,orders.0,Aa3 owned=
member m121 gen=-1 topics=BB1,orders.2,orders.0,Aa3 owned=
run
BB_1 BB1:4 t4:0 t4:2 t4:4
c5 Aa3:1 orders.0:0 t4:1 t4:3
consumer-120-bb378922 Aa3:2 orders.0:1
m002
m007 BB1:0
m009 BB1:1
m121 BB1:2 orders.2:0
｡1 Aa3:0 BB1:3
.
strategy sticky
topic Aa0 0
member consumer-0-df217e9f gen=1 topics=Aa0 owned=
member c1 gen=1 topics=Aa0 owned=
member c3 gen=1 topics=Aa0 owned=
member c110 gen=-1 topics=Aa0 owned=
run
c1
c110
c3
consumer-0-df217e9f
.
strategy sticky
member consumer-0-b0edbc0b gen=3 topics=orders.0 owned=
member BB_1 gen=3 topics=orders.0 owned=
member c2 gen=3 topics=orders.0 owned= inst=i1
member m003 gen=3 topics=orders.0 owned=
member c110 gen=3 topics= owned=
run
BB_1
c110
c2
consumer-0-b0edbc0b
m003
.
strategy sticky
topic t0 20
topic BB1 3
topic Aa2 8
topic Aa3 1
topic Aa4 2
topic orders.5 2
member c0 gen=-1 topics=t0 owned=t0:1,t0:5,t0:9,t0:17,t0:3
member 😀1 gen=2 topics=orders.5,BB1 owned=orders.5:0,BB1:0,BB1:1 inst=i4
member m002 gen=2 topics=t0 owned=t0:10,t0:14,t0:18,t0:6,t0:2 inst=i5
member 😀3 gen=2 topics=BB1,orders.5,Aa3 owned=Aa3:0,BB1:2,orders.5:1
member AaAaAa_1 gen=1 topics=t0 owned=t0:0,t0:4,t0:8,t0:12,t0:16
run
AaAaAa_1 t0:0 t0:4 t0:8 t0:12 t0:16 t0:7 t0:15
c0 t0:1 t0:5 t0:9 t0:17 t0:3 t0:11 t0:19
m002 t0:10 t0:14 t0:18 t0:6 t0:2 t0:13
😀1 orders.5:0 BB1:0 BB1:1
😀3 Aa3:0 BB1:2 orders.5:1
.
strategy sticky
topic orders.0 12
topic Aa1 2
topic topic-2 2
topic topic-3 2
topic BB4 3
topic Aa5 5
topic orders.6 8
member 😀0 gen=1 topics=orders.6 owned=orders.6:7,orders.6:3,orders.6:5,orders.6:1,orders.6:0
member c1 gen=1 topics=BB4 owned=BB4:0,BB4:1,BB4:2
member ü2 gen=1 topics=orders.6,BB4,topic-2,Aa1,orders.0 owned=Aa1:0,orders.0:3,Aa1:0,Aa1:1,orders.0:5,orders.0:7 inst=i2
member c3 gen=1 topics=orders.0,topic-2 owned=orders.0:0,orders.0:1,orders.0:2,orders.0:4,orders.0:6,topic-2:0 inst=i0
member consumer-4-dd2c6a71 gen=1 topics=orders.6,topic-3,Aa1,topic-2 owned=topic-3:0,topic-3:1,orders.6:2,orders.6:4,orders.6:6,topic-2:1
run
c1 BB4:0 BB4:1 BB4:2
c3 orders.0:0 orders.0:1 orders.0:2 orders.0:4 orders.0:6 orders.0:9 orders.0:11
consumer-4-dd2c6a71 topic-3:0 topic-3:1 orders.6:4 orders.6:6 topic-2:1 topic-2:0
ü2 orders.0:3 Aa1:1 orders.0:5 orders.0:7 Aa1:0 orders.0:8 orders.0:10
😀0 orders.6:7 orders.6:3 orders.6:5 orders.6:1 orders.6:0 orders.6:2
.
strategy sticky
topic topic-0 20
topic Aa1 8
topic t2 3
member AaBBAa_0 gen=-1 topics=topic-0,Aa1,t2 owned= inst=i0
member consumer-1-6739e57f gen=-1 topics=t2,topic-0,Aa1 owned=
member consumer-2-1214d823 gen=-1 topics=topic-0,Aa1,t2 owned=
member consumer-3-653f4db9 gen=-1 topics=Aa1,topic-0,t2,Aa1 owned=
member c4 gen=-1 topics=t2,Aa1,topic-0 owned=
run
AaBBAa_0 t2:0 topic-0:2 topic-0:7 topic-0:12 topic-0:17 Aa1:2 Aa1:7
c4 t2:1 topic-0:3 topic-0:8 topic-0:13 topic-0:18 Aa1:3
consumer-1-6739e57f t2:2 topic-0:4 topic-0:9 topic-0:14 topic-0:19 Aa1:4
consumer-2-1214d823 topic-0:0 topic-0:5 topic-0:10 topic-0:15 Aa1:0 Aa1:5
consumer-3-653f4db9 topic-0:1 topic-0:6 topic-0:11 topic-0:16 Aa1:1 Aa1:6
.
strategy sticky
topic Aa0 5
topic orders.1 2
topic topic-2 0
topic topic-3 20
topic BB4 3
topic orders.5 8
member m000 gen=-1 topics=orders.5,topic-3,Aa0,orders.1,orders.5 owned=
member c1 gen=-1 topics=orders.5 owned=
member ü2 gen=-1 topics=topic-3,orders.5,BB4,orders.1 owned=
run
c1 orders.5:0 orders.5:1 orders.5:2 orders.5:3 orders.5:4 orders.5:5 orders.5:6 orders.5:7
m000 Aa0:0 Aa0:1 Aa0:2 Aa0:3 Aa0:4 topic-3:0 topic-3:2 topic-3:4 topic-3:6 topic-3:8 topic-3:10 topic-3:12 topic-3:14 topic-3:16 topic-3:18
ü2 BB4:0 BB4:1 BB4:2 orders.1:0 orders.1:1 topic-3:1 topic-3:3 topic-3:5 topic-3:7 topic-3:9 topic-3:11 topic-3:13 topic-3:15 topic-3:17 topic-3:19
.
strategy sticky
topic orders.0 8
topic BB1 2
member consumer-0-888779af gen=-1 topics=orders.0,BB1 owned=
member consumer-1-3bafe283 gen=-1 topics= owned=
member m002 gen=-1 topics= owned=
member c3 gen=-1 topics=orders.0 owned=
run
c3 orders.0:0 orders.0:1 orders.0:2 orders.0:4 orders.0:6
consumer-0-888779af BB1:0 BB1:1 orders.0:3 orders.0:5 orders.0:7
consumer-1-3bafe283
m002
.
strategy sticky
topic orders.0 0
member AaBBAa_0 gen=-1 topics= owned=
member ｡1 gen=-1 topics= owned= inst=i1
member consumer-2-617001b2 gen=-1 topics= owned=
member 😀3 gen=-1 topics=orders.0 owned=
run
AaBBAa_0
consumer-2-617001b2
😀3
｡1
.
strategy sticky
topic topic-0 2
topic BB1 0
topic topic-2 8
member consumer-0-2ac5a44e gen=3 topics=topic-0 owned=topic-0:1
member ü3 gen=3 topics=topic-0,BB1 owned= inst=i7
member m005 gen=3 topics=topic-0,topic-2,BB1 owned=topic-2:1,topic-2:4,topic-2:6
member 😀8 gen=3 topics= owned= inst=i6
member c110 gen=-1 topics=BB1,topic-2 owned=topic-2:3,topic-2:7,topic-2:0
member c130 gen=-1 topics=topic-2,topic-0,BB1 owned=
run
c110 topic-2:3 topic-2:7 topic-2:0
c130 topic-2:2 topic-2:5
consumer-0-2ac5a44e topic-0:1
m005 topic-2:1 topic-2:4 topic-2:6
ü3 topic-0:0
😀8
.
strategy sticky
member c0 gen=3 topics= owned= inst=i3
member AaBB_1 gen=3 topics=BB0 owned= inst=i12
member c2 gen=3 topics= owned=
member BBAa_0 gen=3 topics=BB0 owned=
member consumer-7-79fd3c55 gen=3 topics=BB0 owned=
member 😀9 gen=-1 topics= owned=
member c10 gen=-1 topics= owned=
member consumer-13-f6dda8f1 gen=3 topics= owned=
member consumer-14-cd0680f6 gen=0 topics= owned=
run
AaBB_1
BBAa_0
c0
c10
c2
consumer-13-f6dda8f1
consumer-14-cd0680f6
consumer-7-79fd3c55
😀9
.
strategy sticky
topic orders.0 21
topic t1 3
topic t2 3
topic orders.3 12
topic Aa4 1
member m000 gen=-1 topics=orders.0,Aa4,t1,t2 owned=t1:0,t1:1,t1:2,orders.0:14,orders.0:15,orders.0:16,orders.0:17,orders.0:18,orders.0:19
member consumer-120-8e03d755 gen=3 topics=Aa4,t2,t1,orders.0 owned=t2:0,t2:1,t2:2,orders.0:2,orders.0:4,orders.0:6,orders.0:8,orders.0:10,orders.0:12
member ü121 gen=3 topics=orders.3,t1,orders.0,Aa4 owned=orders.0:13,orders.0:0,Aa4:0,orders.0:9,orders.0:5,orders.0:7,orders.0:1,orders.0:3,orders.0:11
run
consumer-120-8e03d755 t2:0 t2:1 t2:2 orders.0:2 orders.0:4 orders.0:6 orders.0:8 orders.0:10 orders.0:12 orders.0:20 orders.0:0 orders.0:3 orders.0:7
m000 t1:0 t1:1 t1:2 orders.0:14 orders.0:15 orders.0:16 orders.0:17 orders.0:18 orders.0:19 Aa4:0 orders.0:1 orders.0:5 orders.0:9
ü121 orders.0:13 orders.0:11 orders.3:0 orders.3:1 orders.3:2 orders.3:3 orders.3:4 orders.3:5 orders.3:6 orders.3:7 orders.3:8 orders.3:9 orders.3:10 orders.3:11
.
strategy sticky
topic BB0 2
member ü1 gen=2 topics=BB0,BB0 owned= inst=i4
member c2 gen=2 topics=BB0 owned=BB0:1
member m003 gen=-1 topics=BB0 owned=
member c5 gen=2 topics=BB0 owned= inst=i6
member consumer-6-8a076673 gen=2 topics=BB0 owned=
member consumer-120-e0b3de9d gen=-1 topics= owned=
run
c2 BB0:1
c5 BB0:0
consumer-120-e0b3de9d
consumer-6-8a076673
m003
ü1
.
strategy sticky
topic orders.0 1
topic orders.1 3
topic Aa2 20
topic topic-3 4
member ｡2 gen=2 topics=topic-3,orders.1 owned=Aa2:9,Aa2:5,topic-3:0
member m003 gen=-1 topics=topic-3,orders.1 owned=orders.1:2,topic-3:3,orders.0:0 inst=i3
member m110 gen=2 topics=topic-3,orders.1 owned=topic-3:2,orders.1:1
member ü111 gen=2 topics=orders.1,Aa2,orders.0 owned=Aa2:0,Aa2:1,Aa2:2,Aa2:3,Aa2:4,Aa2:5,Aa2:6,Aa2:7,Aa2:8,Aa2:9,Aa2:10,Aa2:11,Aa2:12,Aa2:13,Aa2:14,Aa2:15,Aa2:16,Aa2:17,Aa2:18,Aa2:19,orders.0:0
run
m003 orders.1:2 topic-3:3 orders.1:0
m110 topic-3:2 orders.1:1
ü111 Aa2:0 Aa2:1 Aa2:2 Aa2:3 Aa2:4 Aa2:6 Aa2:7 Aa2:8 Aa2:10 Aa2:11 Aa2:12 Aa2:13 Aa2:14 Aa2:15 Aa2:16 Aa2:17 Aa2:18 Aa2:19 orders.0:0 Aa2:5 Aa2:9
｡2 topic-3:0 topic-3:1
.
strategy sticky
member AaAaAa_0 gen=2 topics= owned=
member ｡1 gen=1 topics= owned= inst=i20
member c2 gen=2 topics= owned=
member 😀4 gen=2 topics= owned=
member c5 gen=2 topics= owned= inst=i6
member m006 gen=2 topics= owned=
member ü7 gen=2 topics= owned=
member c8 gen=2 topics= owned=
member m009 gen=2 topics= owned=
member m011 gen=2 topics= owned=
member c13 gen=2 topics= owned=
member c14 gen=2 topics= owned=
member ü15 gen=2 topics= owned= inst=i13
member 😀16 gen=-1 topics= owned=
member consumer-17-eb99de54 gen=-1 topics= owned=
member 😀18 gen=2 topics= owned=
member c21 gen=2 topics= owned=
member 😀23 gen=2 topics= owned=
member c24 gen=2 topics= owned=
run
AaAaAa_0
c13
c14
c2
c21
c24
c5
c8
consumer-17-eb99de54
m006
m009
m011
ü15
ü7
😀16
😀18
😀23
😀4
｡1
.
strategy sticky
topic t0 3
member 😀1 gen=2 topics=t0 owned=
member consumer-2-94de475d gen=2 topics=t0 owned=t0:2 inst=i5
member m003 gen=2 topics=t0 owned= inst=i10
member c4 gen=2 topics=t0 owned=t0:2 inst=i2
member c5 gen=-1 topics=t0 owned=
member AaBBAa_0 gen=2 topics=t0 owned=t0:0
member ü7 gen=2 topics=t0 owned= inst=i4
member consumer-8-cd5e4599 gen=2 topics=t0 owned= inst=i7
member m009 gen=1 topics=t0,t0 owned=
member c110 gen=2 topics=t0 owned=t0:1
run
AaBBAa_0 t0:0
c110 t0:1
c4 t0:2
c5
consumer-2-94de475d
consumer-8-cd5e4599
m003
m009
ü7
😀1
.
strategy sticky
topic t0 8
topic BB1 8
topic topic-2 12
member m000 gen=-1 topics=t0,BB1 owned=t0:0,BB1:2,t0:3,t0:6,BB1:6,topic-2:6,topic-2:8
member c1 gen=2 topics=t0,BB1 owned=BB1:0,t0:1,BB1:3,t0:4,t0:7,BB1:7
member consumer-2-a5611aef gen=1 topics=t0,BB1 owned=BB1:1,t0:2,BB1:4,t0:5,BB1:5
run
c1 BB1:0 t0:1 BB1:3 t0:4 BB1:7 t0:7
consumer-2-a5611aef BB1:1 t0:2 BB1:4 BB1:5 t0:5
m000 t0:0 BB1:2 t0:3 BB1:6 t0:6
.
strategy sticky
topic topic-0 20
topic orders.1 1
topic Aa2 2
topic t3 5
member consumer-0-62890e15 gen=-1 topics=orders.1,topic-0,t3,Aa2 owned=t3:1,topic-0:3,topic-0:11,topic-0:19,topic-0:16
member c1 gen=1 topics=orders.1,Aa2,topic-0 owned=topic-0:16,Aa2:0,topic-0:8,Aa2:1
member c2 gen=1 topics= owned=
member m003 gen=1 topics=topic-0,Aa2,t3,orders.1 owned=t3:3,topic-0:5,topic-0:13
member c4 gen=1 topics=topic-0 owned=topic-0:0,topic-0:2,topic-0:9,topic-0:17 inst=i0
member consumer-5-9c4a4aca gen=-1 topics=Aa2,topic-0,t3,orders.1 owned=t3:2,topic-0:4,topic-0:12 inst=i10
member 😀6 gen=1 topics=Aa2,orders.1,t3,topic-0 owned=t3:4,topic-0:7,topic-0:15,Aa2:0,topic-0:3,topic-0:11
member m007 gen=-1 topics= owned=t3:4,topic-0:9
member ü8 gen=1 topics=topic-0 owned=topic-0:1,topic-0:14,topic-0:6
member c9 gen=1 topics=Aa2,topic-0,orders.1,t3 owned=t3:0,orders.1:0,topic-0:10,topic-0:18
run
EXCEPTION NullPointerException
.
strategy sticky
topic t0 20
topic t1 5
topic t2 8
topic t3 3
member AaAaAa_1 gen=1 topics=t0,t3,t1 owned=t0:10,t1:0,t0:1
member consumer-3-3c8a9080 gen=2 topics=t1,t3,t0,t2 owned=t0:6,t1:1,t1:3,t0:4,t2:2
member c4 gen=2 topics=t0,t1,t3,t0 owned=t0:2,t0:17,t0:12
member c7 gen=2 topics=t1,t3 owned=t0:19,t0:4,t0:16
member c8 gen=2 topics=t0,t1,t3 owned=t0:5,t3:0
member consumer-9-98afb887 gen=2 topics=t3 owned=t3:1,t3:2 inst=i1
member c10 gen=2 topics=t3,t0,t1 owned=t0:7,t1:3,t0:13
member c12 gen=-1 topics= owned=t0:14,t1:4,t0:11 inst=i6
member m014 gen=2 topics=t3,t1,t0 owned=t0:8,t1:2
member c110 gen=2 topics=t3,t0,t2 owned=t2:1,t2:2,t2:7,t2:5,t2:6,t2:4,t2:0,t2:3
member consumer-120-2c0cdedf gen=-1 topics=t1,t2,t3,t0 owned=
member consumer-121-6c2c80d7 gen=-1 topics=t0,t3,t1 owned=
run
EXCEPTION NullPointerException
.
strategy cooperative-sticky
topic t0 3
topic Aa1 20
topic orders.2 1
topic orders.3 66
topic orders.4 20
topic t5 3
topic Aa6 20
topic BB7 3
member consumer-0-33aa5d40 gen=3 topics=t5,orders.2,Aa1,t0,orders.3,BB7 owned=Aa1:4,Aa1:17,orders.3:6,orders.3:32,orders.3:45,orders.3:58,Aa1:18,orders.3:19
member BBBB_1 gen=3 topics=Aa1,orders.2,BB7,t0,t5,orders.3 owned=orders.3:41,Aa1:11,Aa1:0,orders.3:2,orders.3:54,t5:0,orders.3:15,orders.3:28
member ü2 gen=3 topics=orders.3,t0,orders.2,BB7,t5,Aa1 owned=BB7:2,orders.3:63,orders.3:24,orders.3:50,orders.3:11,Aa1:9,orders.3:37,orders.3:46 inst=i6
member consumer-3-ab762bef gen=1 topics=BB7,orders.3,t5,Aa1,t0,orders.2 owned=orders.3:47,Aa1:19,orders.3:34,orders.3:21,Aa1:6,orders.3:8,orders.3:60,orders.3:7 inst=i6
member c4 gen=0 topics=orders.2,Aa1,orders.3,t5,t0,BB7 owned=orders.3:16,orders.3:55,orders.3:42,Aa1:14,orders.3:29,orders.3:3,Aa1:1,t5:1
member ü5 gen=0 topics=Aa1,orders.2,orders.3,t5,t0,BB7 owned=orders.3:25,orders.3:38,orders.3:12,Aa1:10,t0:0,orders.3:59,orders.2:0,orders.3:51
member c6 gen=3 topics=orders.3,orders.2,Aa1,t5,t0,BB7 owned=t5:2,orders.3:56,orders.3:43,orders.3:4,Aa1:15,orders.3:17,orders.3:30,Aa1:2
member c7 gen=3 topics=t5,orders.2,t0,Aa1,orders.3,BB7 owned=orders.3:18,Aa1:3,orders.3:31,orders.3:57,orders.3:5,orders.3:44,Aa1:16 inst=i4
member ｡9 gen=2 topics=t0,BB7,orders.2,t5,orders.3,Aa1 owned=orders.3:1,t0:2,orders.3:53,Aa1:15,orders.3:65,Aa6:19,orders.3:27,orders.3:31,Aa1:12,orders.3:14,orders.3:40
member m010 gen=3 topics=orders.3,t0,t5,Aa1,BB7,orders.2 owned=orders.3:22,orders.3:9,Aa1:7,orders.3:61,orders.3:48,orders.3:35,BB7:0,orders.3:20 inst=i0
member m011 gen=3 topics=BB7,t0,orders.3,orders.2,t5,Aa1 owned=BB7:1,orders.3:33,orders.3:49,Aa1:8,orders.3:10,orders.3:36,orders.3:23,orders.3:62
member m110 gen=2 topics=orders.4,t0,orders.2,t5,Aa6,BB7 owned=Aa6:1,Aa6:3,Aa6:5,Aa6:7,Aa6:9,Aa6:11,Aa6:13,Aa6:17,Aa6:19,orders.4:1,orders.4:3,orders.4:5,orders.4:7,orders.4:9,orders.4:11,orders.4:13,orders.4:15,orders.4:17,orders.4:19,orders.4:6
member c111 gen=3 topics=orders.2,orders.3,t0,Aa6,Aa1,BB7,t5,orders.4 owned=Aa6:0,Aa6:2,Aa6:4,Aa6:6,Aa6:8,Aa6:10,Aa6:14,Aa6:16,Aa6:18,orders.4:0,orders.4:2,orders.4:8,orders.4:10,orders.4:12,orders.4:14,orders.4:16,orders.4:18,Aa6:12,Aa6:15,orders.4:4
run
BBBB_1 orders.3:41 Aa1:11 Aa1:0 orders.3:2 orders.3:54 t5:0 orders.3:15 orders.3:28 Aa1:13
c111 Aa6:0 Aa6:2 Aa6:4 Aa6:6 Aa6:8 Aa6:10 Aa6:14 Aa6:16 Aa6:18 orders.4:0 orders.4:2 orders.4:8 orders.4:10 orders.4:12 orders.4:14 orders.4:16 orders.4:18 Aa6:12 Aa6:15 orders.4:4
c4 orders.3:16 orders.3:55 orders.3:42 Aa1:14 orders.3:29 orders.3:3 Aa1:1 t5:1 orders.3:0
c6 t5:2 orders.3:56 orders.3:43 orders.3:4 Aa1:15 orders.3:17 orders.3:30 Aa1:2 orders.3:13
c7 orders.3:18 Aa1:3 orders.3:31 orders.3:57 orders.3:5 orders.3:44 Aa1:16 Aa1:5 orders.3:26
consumer-0-33aa5d40 Aa1:4 Aa1:17 orders.3:6 orders.3:32 orders.3:45 orders.3:58 Aa1:18 orders.3:19 orders.3:39
consumer-3-ab762bef orders.3:47 Aa1:19 orders.3:34 orders.3:21 Aa1:6 orders.3:8 orders.3:60 orders.3:7 orders.3:52
m010 orders.3:22 orders.3:9 Aa1:7 orders.3:61 orders.3:48 orders.3:35 BB7:0 orders.3:20 orders.3:64
m011 BB7:1 orders.3:33 orders.3:49 Aa1:8 orders.3:10 orders.3:36 orders.3:23 orders.3:62 t0:1
m110 Aa6:1 Aa6:3 Aa6:5 Aa6:7 Aa6:9 Aa6:11 Aa6:13 Aa6:17 orders.4:1 orders.4:3 orders.4:5 orders.4:7 orders.4:9 orders.4:11 orders.4:13 orders.4:15 orders.4:17 orders.4:19 orders.4:6 Aa6:19
ü2 BB7:2 orders.3:63 orders.3:24 orders.3:50 orders.3:11 Aa1:9 orders.3:37 orders.3:46
ü5 orders.3:25 orders.3:38 orders.3:12 Aa1:10 t0:0 orders.3:59 orders.2:0 orders.3:51
｡9 orders.3:1 t0:2 orders.3:53 orders.3:65 orders.3:27 Aa1:12 orders.3:14 orders.3:40
.
strategy range
topic t0 40
topic BB1 0
topic t2 20
topic t3 0
topic t4 1
topic orders.5 8
topic orders.6 0
topic t7 64
topic t8 1
topic BB9 8
topic BB10 20
topic Aa11 1
topic Aa12 8
topic Aa13 8
topic topic-14 3
topic topic-15 40
topic t16 0
topic Aa17 20
topic Aa18 20
topic Aa19 1
topic topic-20 1
topic t21 8
topic orders.22 0
member BBBB_0 gen=-1 topics=t7,Aa19,t0,Aa12 owned=
member ｡1 gen=-1 topics=Aa12,Aa19,t7,t0 owned=
member c2 gen=-1 topics=Aa19,t0,Aa12,t7 owned=
member ｡3 gen=-1 topics=t7,Aa12,t0,Aa19 owned= inst=i4
member 😀4 gen=-1 topics=t7,t0,Aa12,Aa19 owned= inst=i39
member c5 gen=-1 topics=Aa19,t0,t7,Aa12 owned= inst=i24
member AaBBAa_0 gen=-1 topics=Aa12,t7,t0,Aa19,Aa12 owned=
member ü7 gen=-1 topics=t0,t7,Aa19,Aa12 owned= inst=i7
member consumer-8-bf244b70 gen=-1 topics=Aa19,t7,Aa12,t0 owned=
member BBAaBB_0 gen=-1 topics=Aa19,t7,Aa12,t0 owned=
member c10 gen=-1 topics=t7,t0,Aa19,Aa12 owned= inst=i36
member c11 gen=-1 topics=t7,t0,Aa19,Aa12 owned=
member c12 gen=-1 topics=Aa19,t0,Aa12,t7 owned=
member m013 gen=-1 topics=Aa12,t7,t0,Aa19 owned= inst=i34
member consumer-14-245330c3 gen=-1 topics=Aa19,Aa12,t0,t7 owned= inst=i34
member c15 gen=-1 topics=t0,Aa19,Aa12,t7,t0 owned=
member consumer-16-2af6c43e gen=-1 topics=Aa12,t0,t7,Aa19 owned=
member m017 gen=-1 topics=Aa19,Aa12,t7,t0 owned=
member consumer-18-cc21871e gen=-1 topics=t7,t0,Aa19,Aa12 owned=
member ü19 gen=-1 topics=Aa19,t0,t7,Aa12,Aa19 owned=
member Aa_2 gen=-1 topics=Aa12,t7,Aa19,t0 owned=
member c21 gen=-1 topics=Aa12,Aa19,t7,t0 owned=
member BBBBBB_1 gen=-1 topics=t0,Aa12,Aa19,t7 owned= inst=i39
member BBBB_2 gen=-1 topics=t7,Aa19,t0,Aa12 owned=
member consumer-24-921124d1 gen=-1 topics=t0,Aa19,Aa12,t7 owned=
member AaBB_1 gen=-1 topics=t0,t7,Aa19,Aa12 owned=
member 😀26 gen=-1 topics=Aa19,Aa12,t0,t7 owned=
member consumer-27-2461ecc4 gen=-1 topics=t0,Aa12,Aa19,t7 owned= inst=i17
member c28 gen=-1 topics=Aa12,Aa19,t7,t0 owned=
member m029 gen=-1 topics=t7,Aa19,t0,Aa12 owned=
member c30 gen=-1 topics=Aa12,t0,t7,Aa19 owned=
member consumer-31-fb09d51d gen=-1 topics=t0,Aa19,Aa12,t7 owned=
member 😀32 gen=-1 topics=t7,Aa12,Aa19,t0,t7 owned=
member consumer-33-243c37fb gen=-1 topics=t7,t0,Aa19,Aa12 owned= inst=i27
member c34 gen=-1 topics=t7,t0,Aa12,Aa19 owned= inst=i6
member c35 gen=-1 topics=Aa12,t7,Aa19,t0 owned=
member m036 gen=-1 topics=t0,Aa19,t7,Aa12 owned=
member c37 gen=-1 topics=Aa19,Aa12,t0,t7 owned=
member c38 gen=-1 topics=t0,Aa19,Aa12,t7 owned=
member c39 gen=-1 topics=Aa19,t0,Aa12,t7 owned=
run
AaBBAa_0 t7:22 t7:23 t0:11
AaBB_1 t7:24 t7:25 t0:12
Aa_2 t7:26 t7:27 t0:13
BBAaBB_0 t7:28 t7:29 t0:14
BBBBBB_1 t7:14 t7:15 t0:7 Aa12:7
BBBB_0 t7:30 t7:31 t0:15
BBBB_2 t7:32 t7:33 t0:16
c10 t7:10 t7:11 t0:5 Aa12:5
c11 t7:34 t7:35 t0:17
c12 t7:36 t7:37 t0:18
c15 t7:38 t7:39 t0:19
c2 t7:40 t7:41 t0:20
c21 t7:42 t7:43 t0:21
c28 t7:44 t7:45 t0:22
c30 t7:46 t7:47 t0:23
c34 t7:18 t7:19 t0:9
c35 t7:48 t0:24
c37 t7:49 t0:25
c38 t7:50 t0:26
c39 t7:51 t0:27
c5 t7:2 t7:3 t0:1 Aa12:1
consumer-14-245330c3 t7:6 t7:7 t0:3 Aa12:3
consumer-16-2af6c43e t7:52 t0:28
consumer-18-cc21871e t7:53 t0:29
consumer-24-921124d1 t7:54 t0:30
consumer-27-2461ecc4 t7:0 t7:1 Aa19:0 t0:0 Aa12:0
consumer-31-fb09d51d t7:55 t0:31
consumer-33-243c37fb t7:4 t7:5 t0:2 Aa12:2
consumer-8-bf244b70 t7:56 t0:32
m013 t7:8 t7:9 t0:4 Aa12:4
m017 t7:57 t0:33
m029 t7:58 t0:34
m036 t7:59 t0:35
ü19 t7:60 t0:36
ü7 t7:20 t7:21 t0:10
😀26 t7:61 t0:37
😀32 t7:62 t0:38
😀4 t7:12 t7:13 t0:6 Aa12:6
｡1 t7:63 t0:39
｡3 t7:16 t7:17 t0:8
.
strategy roundrobin
topic BB0 40
topic orders.1 20
topic t2 20
topic BB3 20
topic Aa4 1
topic Aa5 20
topic BB6 40
topic orders.7 8
member m000 gen=-1 topics=t2,orders.1,BB3,BB0,Aa4,Aa5,BB6 owned= inst=i3
member m001 gen=-1 topics=BB0 owned=
member consumer-2-d2b3f928 gen=-1 topics= owned=
member c3 gen=-1 topics=BB0,t2,BB3,Aa4,orders.1 owned=
member ｡4 gen=-1 topics=BB3,orders.1,t2,Aa4,BB0,Aa5 owned=
member m005 gen=-1 topics= owned= inst=i8
member consumer-6-0470c3ec gen=-1 topics=BB0 owned=
member c7 gen=-1 topics=t2,BB3,orders.1,BB0 owned=
member consumer-8-661d25aa gen=-1 topics=BB3,orders.1,BB0,t2 owned=
member ü9 gen=-1 topics=BB3,BB0,Aa4,orders.1,Aa5,t2 owned=
member m010 gen=-1 topics=Aa5,BB3,BB6,BB0,orders.1,t2,Aa4 owned=
member c11 gen=-1 topics=orders.1,BB3,BB0,t2 owned=
member 😀12 gen=-1 topics=BB3,Aa4,BB0,Aa5,BB6,t2,orders.1 owned= inst=i14
member c13 gen=-1 topics=Aa5,orders.1,t2,Aa4,BB6,BB3,orders.7,BB0 owned= inst=i20
member BBAa_2 gen=-1 topics=BB0,orders.1,Aa4,BB3,t2 owned= inst=i1
member consumer-15-40e30f2d gen=-1 topics= owned=
member consumer-16-3d602729 gen=-1 topics=BB0,orders.1 owned=
member m017 gen=-1 topics=orders.1,t2,BB0 owned=
member BBAaBB_0 gen=-1 topics=BB3,BB6,orders.1,orders.7,Aa5,t2,Aa4,BB0 owned=
member consumer-19-49368399 gen=-1 topics=orders.1,BB0,t2,BB3 owned=
run
BBAaBB_0 Aa5:3 Aa5:10 Aa5:17 BB0:5 BB0:22 BB0:39 BB3:12 BB6:3 BB6:8 BB6:13 BB6:18 BB6:23 BB6:28 BB6:33 BB6:38 orders.1:7 orders.7:1 orders.7:3 orders.7:5 orders.7:7 t2:13
BBAa_2 Aa4:0 BB0:1 BB0:18 BB0:35 BB3:8 orders.1:3 orders.1:18 t2:9
c11 BB0:6 BB0:23 BB3:0 BB3:13 orders.1:8 t2:0 t2:14
c13 Aa5:1 Aa5:8 Aa5:15 BB0:3 BB0:20 BB0:37 BB3:10 BB6:1 BB6:6 BB6:11 BB6:16 BB6:21 BB6:26 BB6:31 BB6:36 orders.1:5 orders.7:0 orders.7:2 orders.7:4 orders.7:6 t2:11
c3 BB0:7 BB0:24 BB3:1 BB3:14 orders.1:9 t2:1 t2:15
c7 BB0:8 BB0:25 BB3:2 BB3:15 orders.1:10 t2:2 t2:16
consumer-15-40e30f2d
consumer-16-3d602729 BB0:9 BB0:26 orders.1:11
consumer-19-49368399 BB0:10 BB0:27 BB3:3 BB3:16 orders.1:12 t2:3 t2:17
consumer-2-d2b3f928
consumer-6-0470c3ec BB0:11 BB0:28
consumer-8-661d25aa BB0:12 BB0:29 BB3:4 BB3:17 orders.1:13 t2:4 t2:18
m000 Aa5:2 Aa5:9 Aa5:16 BB0:4 BB0:21 BB0:38 BB3:11 BB6:2 BB6:7 BB6:12 BB6:17 BB6:22 BB6:27 BB6:32 BB6:37 orders.1:6 t2:12
m001 BB0:13 BB0:30
m005
m010 Aa5:4 Aa5:11 Aa5:18 BB0:14 BB0:31 BB3:5 BB3:18 BB6:4 BB6:9 BB6:14 BB6:19 BB6:24 BB6:29 BB6:34 BB6:39 orders.1:14 t2:5 t2:19
m017 BB0:15 BB0:32 orders.1:0 orders.1:15 t2:6
ü9 Aa5:5 Aa5:12 Aa5:19 BB0:16 BB0:33 BB3:6 BB3:19 orders.1:1 orders.1:16 t2:7
😀12 Aa5:0 Aa5:7 Aa5:14 BB0:2 BB0:19 BB0:36 BB3:9 BB6:0 BB6:5 BB6:10 BB6:15 BB6:20 BB6:25 BB6:30 BB6:35 orders.1:4 orders.1:19 t2:10
｡4 Aa5:6 Aa5:13 BB0:0 BB0:17 BB0:34 BB3:7 orders.1:2 orders.1:17 t2:8
.
strategy sticky
topic Aa0 20
topic orders.1 40
topic topic-2 8
topic BB3 0
topic BB4 40
member ｡0 gen=-1 topics=topic-2,orders.1,BB4,BB3 owned=
member consumer-1-8eeb07b5 gen=-1 topics=BB3,orders.1,BB4,topic-2 owned=
member c2 gen=-1 topics=orders.1,BB4,BB3,topic-2 owned=
member ü3 gen=-1 topics=BB3,orders.1,topic-2,BB4 owned=
member BBBBBB_1 gen=-1 topics=BB4,topic-2,orders.1,BB3,BB4 owned=
member c5 gen=-1 topics=topic-2,BB3,orders.1,BB4 owned=
member Aa_0 gen=-1 topics=orders.1,topic-2,BB3,BB4,orders.1 owned=
member ｡7 gen=-1 topics=BB4,topic-2,BB3,orders.1 owned=
member ｡8 gen=-1 topics=BB3,orders.1,BB4,topic-2 owned=
member consumer-9-507e1004 gen=-1 topics=orders.1,topic-2,BB4,BB3 owned= inst=i18
member 😀10 gen=-1 topics=topic-2,BB3,orders.1,BB4 owned= inst=i1
member consumer-11-5ba72768 gen=-1 topics=BB3,orders.1,topic-2,BB4 owned=
member c12 gen=-1 topics=BB4,orders.1,BB3,topic-2 owned=
member consumer-13-21f89d36 gen=-1 topics=BB3,topic-2,orders.1,BB4 owned= inst=i16
member ｡14 gen=-1 topics=orders.1,BB4,topic-2,BB3 owned= inst=i8
member 😀15 gen=-1 topics=topic-2,BB4,BB3,orders.1 owned=
member ｡16 gen=-1 topics=BB4,BB3,orders.1,topic-2 owned=
member AaAaAa_2 gen=-1 topics=topic-2,BB3,BB4,orders.1 owned= inst=i18
member consumer-18-76f1d5f8 gen=-1 topics=orders.1,BB3,BB4,topic-2 owned=
member ü19 gen=-1 topics=orders.1,BB4,BB3,topic-2 owned= inst=i11
run
AaAaAa_2 topic-2:0 BB4:12 BB4:32 orders.1:12 orders.1:32
Aa_0 topic-2:1 BB4:13 BB4:33 orders.1:13 orders.1:33
BBBBBB_1 topic-2:2 BB4:14 BB4:34 orders.1:14 orders.1:34
c12 topic-2:3 BB4:15 BB4:35 orders.1:15 orders.1:35
c2 topic-2:4 BB4:16 BB4:36 orders.1:16 orders.1:36
c5 topic-2:5 BB4:17 BB4:37 orders.1:17 orders.1:37
consumer-1-8eeb07b5 topic-2:6 BB4:18 BB4:38 orders.1:18 orders.1:38
consumer-11-5ba72768 topic-2:7 BB4:19 BB4:39 orders.1:19 orders.1:39
consumer-13-21f89d36 BB4:0 BB4:20 orders.1:0 orders.1:20
consumer-18-76f1d5f8 BB4:1 BB4:21 orders.1:1 orders.1:21
consumer-9-507e1004 BB4:2 BB4:22 orders.1:2 orders.1:22
ü19 BB4:3 BB4:23 orders.1:3 orders.1:23
ü3 BB4:4 BB4:24 orders.1:4 orders.1:24
😀10 BB4:5 BB4:25 orders.1:5 orders.1:25
😀15 BB4:6 BB4:26 orders.1:6 orders.1:26
｡0 BB4:7 BB4:27 orders.1:7 orders.1:27
｡14 BB4:8 BB4:28 orders.1:8 orders.1:28
｡16 BB4:9 BB4:29 orders.1:9 orders.1:29
｡7 BB4:10 BB4:30 orders.1:10 orders.1:30
｡8 BB4:11 BB4:31 orders.1:11 orders.1:31
.
";

/// Developer tool: `KAFKASIM_ASSIGNOR_CASES=cases.txt cargo test -- --ignored` checks a case
/// file produced elsewhere (for example by a differential run against the Java classes).
#[test]
#[ignore = "needs KAFKASIM_ASSIGNOR_CASES"]
fn cases_from_file() {
    let path = std::env::var("KAFKASIM_ASSIGNOR_CASES").expect("KAFKASIM_ASSIGNOR_CASES names a case file");
    let text = std::fs::read_to_string(&path).expect("the case file is readable");
    check_cases(&text, true);
}
