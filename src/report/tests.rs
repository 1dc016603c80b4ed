//! Plot series computed from small hand-written histories, asserted exactly; and every plot
//! rendered for a sample history.

use super::plot::isr::IsrFold;
use super::plot::lag::{group_of, LagFold};
use super::plot::latency::{percentile, LatencyFold, LatencyPoint};
use super::plot::leadership::{LeaderSegment, LeadershipFold};
use super::plot::run;
use super::plot::throughput::ThroughputFold;
use super::plot::unseen::UnseenFold;
use super::*;
use crate::history::{Election, Entry, Event, PolledPartition, RunMeta, TopicMeta, TruncationCause};
use crate::protocol::errors::ErrorCode;
use crate::protocol::types::{BrokerId, NodeId, Offset, SimTime, ValueId};

pub(super) fn tp(partition: i32) -> TopicPartition {
    TopicPartition::new("orders", partition)
}

fn b(ids: &[u32]) -> Vec<BrokerId> {
    ids.iter().map(|id| BrokerId(*id)).collect()
}

fn v(sequence: u64) -> ValueId {
    ValueId { producer: 0, sequence }
}

const PRODUCER: NodeId = NodeId::Client(0);
const CONSUMER_1: NodeId = NodeId::Client(1);
const CONSUMER_2: NodeId = NodeId::Client(2);

/// Collects entries in any order; `build` sorts them by time (stable).
#[derive(Default)]
pub(super) struct Builder {
    entries: Vec<Entry>,
}

impl Builder {
    pub(super) fn at(&mut self, time_ms: SimTime, node: NodeId, event: Event) -> &mut Self {
        self.entries.push(Entry { time_ms, node, event });
        self
    }

    fn send(&mut self, time_ms: SimTime, tp: TopicPartition, value: ValueId) -> &mut Self {
        self.at(time_ms, PRODUCER, Event::SendInvoked { tp, key: None, value })
    }

    fn ack(&mut self, time_ms: SimTime, tp: TopicPartition, value: ValueId, offset: Offset) -> &mut Self {
        self.at(time_ms, PRODUCER, Event::SendAcked { tp, value, offset: Some(offset) })
    }

    fn poll(
        &mut self,
        time_ms: SimTime,
        node: NodeId,
        tp: TopicPartition,
        records: Vec<(Offset, ValueId)>,
    ) -> &mut Self {
        self.at(time_ms, node, Event::Polled { partitions: vec![PolledPartition { tp, records }], generation: None })
    }

    fn changed(
        &mut self,
        time_ms: SimTime,
        tp: TopicPartition,
        leader: Option<u32>,
        leader_epoch: i32,
        isr: &[u32],
        election: Option<Election>,
    ) -> &mut Self {
        let node = NodeId::Controller(1);
        let partition_epoch = self.entries.len() as i32;
        self.at(
            time_ms,
            node,
            Event::PartitionChanged {
                tp,
                replicas: b(&[1, 2, 3]),
                leader: leader.map(BrokerId),
                leader_epoch,
                partition_epoch,
                isr: b(isr),
                election,
            },
        )
    }

    fn hw(
        &mut self,
        time_ms: SimTime,
        broker: u32,
        tp: TopicPartition,
        high_watermark: Offset,
        is_leader: bool,
    ) -> &mut Self {
        self.at(time_ms, NodeId::broker(broker), Event::HighWatermark { tp, high_watermark, is_leader })
    }

    fn append(
        &mut self,
        time_ms: SimTime,
        broker: u32,
        tp: TopicPartition,
        base_offset: Offset,
        values: Vec<ValueId>,
        leader_epoch: i32,
    ) -> &mut Self {
        let as_leader = false;
        self.at(
            time_ms,
            NodeId::broker(broker),
            Event::Appended { tp, base_offset, leader_epoch, values, control: None, as_leader },
        )
    }

    fn fault(&mut self, time_ms: SimTime, kind: &str, detail: &str) -> &mut Self {
        self.at(time_ms, NodeId::Controller(0), Event::Fault { kind: kind.into(), detail: detail.into() })
    }

    pub(super) fn build(&mut self, meta: RunMeta) -> History {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_by_key(|e| e.time_ms);
        History { meta, entries, ..History::default() }
    }
}

fn meta(workload_end_ms: SimTime, end_ms: SimTime) -> RunMeta {
    RunMeta {
        scenario: "plot-sample".into(),
        seed: 7,
        nodes: vec![
            (NodeId::broker(1), "broker-1".into()),
            (NodeId::broker(2), "broker-2".into()),
            (NodeId::broker(3), "broker-3".into()),
            (PRODUCER, "p1".into()),
            (CONSUMER_1, "analytics-1".into()),
            (CONSUMER_2, "analytics-2".into()),
        ],
        topics: vec![TopicMeta { name: "orders".into(), partitions: 2, replication_factor: 3, configs: vec![] }],
        workload_end_ms,
        end_ms,
        ..RunMeta::default()
    }
}

/// Three brokers, `orders` with two partitions. broker-2 (leader of orders-1) crashes at 10 s:
/// the ISR of both partitions shrinks from [1,2,3] to [1,3] at 12 s and broker-3 takes over
/// orders-1 in epoch 1. broker-2 comes back at 20 s, truncates the two records it had appended
/// as leader that never replicated, and rejoins the ISR at 25 s. A producer writes one record a
/// second to orders-0, acked 20 ms later, except during the crash; analytics-1 polls orders-0
/// every 2 s.
pub(super) fn sample_history() -> History {
    let mut h = Builder::default();
    h.changed(0, tp(0), Some(1), 0, &[1, 2, 3], Some(Election::Initial));
    h.changed(0, tp(1), Some(2), 0, &[1, 2, 3], Some(Election::Initial));
    h.at(0, NodeId::Controller(0), Event::Phase { name: "workload".into() });
    for second in 0..30u64 {
        let t = second * 1_000;
        let offset = second as Offset;
        h.send(t, tp(0), v(second));
        h.append(t + 5, 1, tp(0), offset, vec![v(second)], 0);
        h.hw(t + 5, 1, tp(0), offset, true);
        for follower in [2, 3] {
            if !(10..20).contains(&second) || follower == 3 {
                h.append(t + 10, follower, tp(0), offset, vec![v(second)], 0);
            }
        }
        // During the crash acks wait for the ISR to shrink (12 s).
        let ack_ms = if (10..12).contains(&second) { 12_000 + second } else { t + 20 };
        h.hw(ack_ms, 1, tp(0), offset + 1, true);
        h.ack(ack_ms, tp(0), v(second), offset);
    }
    // Consumer analytics-1 polls orders-0 every 2 s, reading what the HW allows.
    for poll in 1..15u64 {
        let t = poll * 2_000 + 500;
        let from = (poll - 1) * 2;
        let records = (from..from + 2).map(|s| (s as Offset, v(s))).collect();
        h.poll(t, CONSUMER_1, tp(0), records);
    }
    // orders-1: broker-2 leads and appends offsets 0..4; the followers copy 0..2 only.
    h.append(9_000, 2, tp(1), 0, vec![v(100), v(101), v(102), v(103)], 0);
    h.append(9_100, 1, tp(1), 0, vec![v(100), v(101)], 0);
    h.append(9_100, 3, tp(1), 0, vec![v(100), v(101)], 0);
    h.hw(9_200, 2, tp(1), 2, true);
    h.fault(10_000, "crash", "broker-2 (leader:orders-1) crashed");
    h.changed(12_000, tp(0), Some(1), 0, &[1, 3], None);
    h.changed(12_000, tp(1), Some(3), 1, &[1, 3], Some(Election::Clean));
    h.hw(12_100, 3, tp(1), 2, true);
    h.fault(20_000, "restart", "broker-2 restarted");
    h.at(
        20_500,
        NodeId::broker(2),
        Event::Truncated {
            tp: tp(1),
            offset: 2,
            removed: vec![(2, v(102)), (3, v(103))],
            cause: TruncationCause::LeaderEpoch,
        },
    );
    h.changed(25_000, tp(0), Some(1), 0, &[1, 2, 3], None);
    h.changed(25_000, tp(1), Some(3), 1, &[1, 2, 3], None);
    h.at(30_000, NodeId::Controller(0), Event::Phase { name: "settle".into() });
    h.build(meta(30_000, 40_000))
}

fn buckets_1s(history: &History) -> TimeBuckets {
    TimeBuckets::for_history(history, Some(1_000))
}

#[test]
fn isr_shrinks_while_broker_2_is_down_and_recovers() {
    let history = sample_history();
    let isr = run(&history, &buckets_1s(&history), IsrFold::new(buckets_1s(&history)));
    let orders0 = isr.timeline(&tp(0)).expect("orders-0");
    let size_at = |t| orders0.isr_at(t).map(<[BrokerId]>::len);
    assert_eq!(size_at(11_999), Some(3));
    assert_eq!(orders0.isr_at(12_000), Some(b(&[1, 3]).as_slice()));
    assert_eq!(size_at(24_999), Some(2));
    assert_eq!(size_at(25_000), Some(3));
    assert_eq!(isr.under_replicated, vec![(0, 0), (12_000, 2), (25_000, 0)]);
    assert_eq!(isr.under_replicated_at(13_000), 2);
    assert_eq!(isr.under_replicated_at(39_000), 0);
}

#[test]
fn leadership_moves_to_broker_3_in_epoch_1() {
    let history = sample_history();
    let leadership = run(&history, &buckets_1s(&history), LeadershipFold::new(buckets_1s(&history)));
    let orders1 = leadership.timelines.iter().find(|t| t.tp == tp(1)).expect("orders-1");
    assert_eq!(
        orders1.segments,
        vec![
            LeaderSegment {
                start_ms: 0,
                end_ms: 12_000,
                leader: Some(BrokerId(2)),
                leader_epoch: 0,
                election: Some(Election::Initial)
            },
            LeaderSegment {
                start_ms: 12_000,
                end_ms: 40_000,
                leader: Some(BrokerId(3)),
                leader_epoch: 1,
                election: Some(Election::Clean)
            },
        ]
    );
    // ISR-only changes do not split orders-0's single segment.
    let orders0 = leadership.timelines.iter().find(|t| t.tp == tp(0)).expect("orders-0");
    assert_eq!(orders0.segments.len(), 1);
    assert_eq!(leadership.leaders(), b(&[1, 2]).into_iter().chain(b(&[3])).collect::<Vec<_>>());
}

#[test]
fn replica_offsets_show_the_truncation_of_broker_2() {
    let history = sample_history();
    let data = compute(&history, &PlotOptions { bucket_ms: Some(1_000), ..PlotOptions::default() }).unwrap();
    let offsets = data.replica_offsets.expect("orders-1 was truncated, so it is the default");
    assert_eq!(offsets.tp, tp(1));
    let broker_2 = offsets.replicas.iter().find(|r| r.broker == BrokerId(2)).expect("broker-2");
    assert_eq!(broker_2.log_end_offset, vec![(9_000, 4), (20_500, 2)]);
    assert_eq!(broker_2.high_watermark, vec![(9_200, 2)]);
    assert_eq!(offsets.truncations.len(), 1);
    let mark = &offsets.truncations[0];
    assert_eq!((mark.time_ms, mark.broker, mark.offset, mark.removed), (20_500, BrokerId(2), 2, 2));
    assert_eq!(offsets.replicas.iter().map(|r| r.broker).collect::<Vec<_>>(), b(&[1, 2, 3]));

    let explicit = PlotOptions { partition: Some(tp(0)), ..PlotOptions::default() };
    assert_eq!(compute(&history, &explicit).unwrap().replica_offsets.unwrap().tp, tp(0));
    let missing = PlotOptions { partition: Some(tp(9)), ..PlotOptions::default() };
    assert!(matches!(compute(&history, &missing), Err(PlotError::UnknownPartition(_))));
}

#[test]
fn m4_downsampling_keeps_a_drop_inside_one_bucket() {
    let mut h = Builder::default();
    for (i, (t, base, n)) in [(100, 0, 10), (200, 10, 10), (300, 20, 10)].into_iter().enumerate() {
        let values = (0..n).map(|s| v(i as u64 * 10 + s)).collect();
        h.append(t, 2, tp(0), base, values, 0);
    }
    h.at(
        400,
        NodeId::broker(2),
        Event::Truncated { tp: tp(0), offset: 5, removed: vec![], cause: TruncationCause::PowerLoss },
    );
    h.append(500, 2, tp(0), 5, vec![v(50)], 1);
    h.append(600, 2, tp(0), 6, vec![v(51)], 1);
    let history = h.build(RunMeta { end_ms: 10_000, ..RunMeta::default() });
    let options = PlotOptions { bucket_ms: Some(10_000), partition: Some(tp(0)), ..PlotOptions::default() };
    let offsets = compute(&history, &options).unwrap().replica_offsets.unwrap();
    // first (100: 10), max (300: 30), min (400: 5), last (600: 7), in time order.
    assert_eq!(offsets.replicas[0].log_end_offset, vec![(100, 10), (300, 30), (400, 5), (600, 7)]);
}

#[test]
fn throughput_counts_sends_acks_and_polled_records_per_bucket() {
    let history = sample_history();
    let buckets = buckets_1s(&history);
    let throughput = run(&history, &buckets, ThroughputFold::new(buckets));
    assert_eq!(throughput.buckets.count, 40);
    assert_eq!(&throughput.produced[..3], &[1, 1, 1]);
    assert_eq!(throughput.produced[30..].iter().sum::<u64>(), 0);
    // The acks of the sends at 10 s and 11 s both arrive at 12 s.
    assert_eq!(&throughput.acked[9..14], &[1, 0, 0, 3, 1]);
    assert_eq!(&throughput.consumed[2..5], &[2, 0, 2]);
    assert_eq!(throughput.rate_per_s(&throughput.consumed, 2), 2.0);
}

#[test]
fn latency_percentiles_per_invoke_bucket() {
    let history = sample_history();
    let buckets = buckets_1s(&history);
    let latency = run(&history, &buckets, LatencyFold::new(buckets));
    let point = |count, ms| Some(LatencyPoint { count, p50_ms: ms, p99_ms: ms, max_ms: ms });
    assert_eq!(latency.points[0], point(1, 20));
    assert_eq!(latency.points[10], point(1, 2_010));
    assert_eq!(latency.points[11], point(1, 1_011));
    assert_eq!(latency.points[30], None);

    // Ten sends in one bucket: latencies 10, 20, ..., 100 ms; one more fails after 1 s.
    let mut h = Builder::default();
    for i in 0..10u64 {
        h.send(i, tp(0), v(i));
        h.ack(i + (i + 1) * 10, tp(0), v(i), i as Offset);
    }
    h.send(50, tp(0), v(10));
    h.at(
        1_050,
        PRODUCER,
        Event::SendFailed { tp: tp(0), value: v(10), error: ErrorCode::RequestTimedOut, definite: false },
    );
    // A duplicate completion is not counted twice.
    h.ack(1_060, tp(0), v(10), 99);
    let history = h.build(RunMeta { end_ms: 2_000, ..RunMeta::default() });
    let buckets = TimeBuckets::for_history(&history, Some(1_000));
    let latency = run(&history, &buckets, LatencyFold::new(buckets));
    assert_eq!(latency.points[0], Some(LatencyPoint { count: 11, p50_ms: 60, p99_ms: 1_000, max_ms: 1_000 }));
    assert_eq!(latency.points[1], None);
}

#[test]
fn selection_agrees_with_sorting() {
    let mut latencies: Vec<u32> = (0..1_000u32).map(|i| (i * 7_919) % 1_009).collect();
    let mut sorted = latencies.clone();
    sorted.sort_unstable();
    let point = super::plot::latency::summarize(&mut latencies).unwrap();
    assert_eq!(
        (point.p50_ms, point.p99_ms, point.max_ms),
        (percentile(&sorted, 50) as u64, percentile(&sorted, 99) as u64, *sorted.last().unwrap() as u64)
    );
}

#[test]
fn nearest_rank_percentiles() {
    let sorted: Vec<u32> = (1..=100).collect();
    assert_eq!(percentile(&sorted, 50), 50);
    assert_eq!(percentile(&sorted, 99), 99);
    assert_eq!(percentile(&[7], 99), 7);
    assert_eq!(percentile(&[1, 2], 50), 1);
}

#[test]
fn unseen_counts_acked_records_not_yet_polled() {
    let history = sample_history();
    let buckets = buckets_1s(&history);
    let unseen = run(&history, &buckets, UnseenFold::new(buckets));
    // At the end of second 0: value 0 acked at 20 ms, not yet polled (first poll at 2.5 s).
    assert_eq!(unseen.counts[0], 1);
    assert_eq!(unseen.counts[1], 2);
    // The poll at 2.5 s reads values 0 and 1; values 2 acked at 2.02 s.
    assert_eq!(unseen.counts[2], 1);
    // The last poll (28.5 s) reads up to value 27: values 28 and 29 stay unseen to the end.
    assert_eq!(unseen.counts[39], 2);
    assert_eq!(unseen.acked_total, 30);

    // A record polled before its ack arrives is never unseen.
    let mut h = Builder::default();
    h.send(0, tp(0), v(0));
    h.poll(100, CONSUMER_1, tp(0), vec![(0, v(0))]);
    h.ack(200, tp(0), v(0), 0);
    let history = h.build(RunMeta { end_ms: 1_000, ..RunMeta::default() });
    let buckets = TimeBuckets::for_history(&history, Some(100));
    let unseen = run(&history, &buckets, UnseenFold::new(buckets));
    assert!(unseen.counts.iter().all(|n| *n == 0));
}

#[test]
fn lag_is_leader_high_watermark_minus_position() {
    let history = sample_history();
    let buckets = buckets_1s(&history);
    let lag = run(&history, &buckets, LagFold::new(&history, buckets));
    assert_eq!(lag.series.len(), 1);
    let series = &lag.series[0];
    assert_eq!((series.consumer.as_str(), series.tp.clone()), ("analytics-1", Some(tp(0))));
    // Nothing polled before 2.5 s.
    assert_eq!(series.values[1], None);
    // End of second 2: position 2 (offsets 0, 1 read), HW 3 (offset 2 acked at 2.02 s).
    assert_eq!(series.values[2], Some(1));
    // End of second 39: position 28, HW 30.
    assert_eq!(series.values[39], Some(2));
}

#[test]
fn lag_follows_a_partition_to_its_new_owner_in_the_group() {
    let mut h = Builder::default();
    h.changed(0, tp(0), Some(1), 0, &[1, 2, 3], Some(Election::Initial));
    h.hw(100, 1, tp(0), 10, true);
    h.poll(200, CONSUMER_1, tp(0), vec![(0, v(0)), (1, v(1))]);
    h.poll(1_200, CONSUMER_2, tp(0), vec![(2, v(2))]);
    // A follower's high watermark is not the leader's.
    h.hw(1_300, 2, tp(0), 50, false);
    // A deposed leader's late report is ignored once the controller named another leader.
    h.changed(1_400, tp(0), Some(3), 1, &[1, 3], Some(Election::Clean));
    h.hw(1_500, 1, tp(0), 70, true);
    h.hw(2_500, 3, tp(0), 12, true);
    let history = h.build(RunMeta { end_ms: 3_000, ..meta(3_000, 3_000) });
    let buckets = TimeBuckets::for_history(&history, Some(1_000));
    let lag = run(&history, &buckets, LagFold::new(&history, buckets));
    let values: Vec<_> = lag.series.iter().map(|s| (s.label.as_str(), s.values.clone())).collect();
    assert_eq!(
        values,
        vec![
            ("analytics-1 orders-0", vec![Some(8), None, None]),
            ("analytics-2 orders-0", vec![None, Some(7), Some(9)]),
        ]
    );
    assert_eq!(group_of("analytics-12"), "analytics");
    assert_eq!(group_of("reader"), "reader");
    assert_eq!(group_of("a-b"), "a-b");
}

#[test]
fn empty_plots_are_skipped() {
    let mut h = Builder::default();
    h.send(0, tp(0), v(0));
    h.ack(10, tp(0), v(0), 0);
    let history = h.build(RunMeta { end_ms: 1_000, ..RunMeta::default() });
    let dir = tempfile::tempdir().unwrap();
    let files = render_plots(&history, dir.path(), &PlotOptions::default()).unwrap();
    let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["throughput", "produce-latency", "unseen"]);
}

#[test]
fn every_plot_renders_for_the_sample_history() {
    let history = sample_history();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plots");
    let files = render_plots(&history, &out, &PlotOptions::default()).unwrap();
    let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "throughput",
            "produce-latency",
            "consumer-lag",
            "isr",
            "under-replicated",
            "replica-offsets",
            "leadership",
            "unseen"
        ]
    );
    for file in &files {
        assert!(file.svg_path.starts_with(&out) && file.png_path.starts_with(&out));
        let svg = std::fs::read_to_string(&file.svg_path).unwrap();
        assert!(svg.len() > 2_000, "{} is too small", file.svg_path.display());
        let title = file
            .title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;");
        assert!(svg.contains(&title), "{} lacks its title {:?}", file.svg_path.display(), file.title);
        let png = std::fs::read(&file.png_path).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", file.png_path.display());
        assert!(png.len() > 10_000, "{} is too small", file.png_path.display());
    }
    assert!(files.iter().any(|f| f.title.contains("orders-1")));
    if let Ok(keep) = std::env::var("KAFKASIM_PLOTS_DIR") {
        // For looking at the plots: KAFKASIM_PLOTS_DIR=/tmp/plots cargo test --lib report
        render_plots(&history, Path::new(&keep), &PlotOptions::default()).unwrap();
    }
}
