//! Produce latency: p50, p99 and the maximum of the time from `send()` to its outcome.
//!
//! Each send is followed from `SendInvoked` to the `SendAcked` or `SendFailed` of the same value
//! id and counted in the bucket of its invocation, as Jepsen's latency plots place each
//! operation at its invoke time: a leader crash then shows as a spike that starts with the
//! crash, made of the sends that waited for the new leader (`request.timeout.ms`, retries with
//! `retry.backoff.ms`). Kafka's producer reports the same as `request-latency-avg/max`; this is
//! the application's view, which includes batching (`linger.ms`) and retries. Percentiles are
//! nearest-rank: the p-th percentile of n sorted latencies is the ceil(p/100 * n)-th. Sends that
//! never completed are not counted.

use super::{runs, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event};
use crate::report::buckets::TimeBuckets;
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use crate::report::index::ValueTable;
use plotters::coord::Shift;
use plotters::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LatencyPoint {
    /// Sends invoked in the bucket that completed.
    pub count: usize,
    pub p50_ms: u64,
    pub p99_ms: u64,
    pub max_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Latency {
    pub buckets: TimeBuckets,
    /// None for buckets in which no completed send was invoked.
    pub points: Vec<Option<LatencyPoint>>,
}

impl Latency {
    pub fn is_empty(&self) -> bool {
        self.points.iter().all(Option::is_none)
    }
}

/// The nearest-rank percentile of sorted values (what [`summarize`] computes by selection).
pub fn percentile(sorted: &[u32], percent: u32) -> u32 {
    let n = sorted.len();
    let rank = (n * percent as usize).div_ceil(100).clamp(1, n);
    sorted[rank - 1]
}

pub struct LatencyFold {
    buckets: TimeBuckets,
    /// (invocation time + 1, its bucket) of each send still in flight (time 0: none).
    invoked: ValueTable<(u32, u32)>,
    latencies: Vec<Vec<u32>>,
}

impl LatencyFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        LatencyFold { buckets, invoked: ValueTable::default(), latencies: vec![Vec::new(); buckets.count] }
    }

    fn complete(&mut self, value: crate::protocol::types::ValueId, time_ms: u64) {
        let slot = self.invoked.get_mut(value);
        let (invoked, bucket) = *slot;
        if invoked == 0 {
            return;
        }
        *slot = (0, 0);
        let latency_ms = time_ms.saturating_sub(invoked as u64 - 1).min(u32::MAX as u64) as u32;
        self.latencies[bucket as usize].push(latency_ms);
    }
}

impl Fold for LatencyFold {
    type Output = Latency;

    fn observe(&mut self, entry: &Entry, bucket: usize) {
        match &entry.event {
            Event::SendInvoked { value, .. } => {
                let invoked = entry.time_ms.min(u32::MAX as u64 - 1) as u32 + 1;
                *self.invoked.get_mut(*value) = (invoked, bucket as u32);
            }
            Event::SendAcked { value, .. } | Event::SendFailed { value, .. } => self.complete(*value, entry.time_ms),
            _ => {}
        }
    }

    fn finish(self) -> Latency {
        let points = self.latencies.into_iter().map(|mut bucket| summarize(&mut bucket)).collect();
        Latency { buckets: self.buckets, points }
    }
}

/// p50, p99 and max of one bucket's latencies, by selection rather than sorting (a bucket of a
/// busy run holds 100,000 sends).
pub fn summarize(latencies: &mut [u32]) -> Option<LatencyPoint> {
    let n = latencies.len();
    if n == 0 {
        return None;
    }
    let max_ms = *latencies.iter().max().expect("non-empty") as u64;
    let mut rank = |percent: usize| -> u64 {
        let index = (n * percent).div_ceil(100).clamp(1, n) - 1;
        *latencies.select_nth_unstable(index).1 as u64
    };
    // p99 first: selecting it leaves everything below it in the front part, where p50 is.
    let p99_ms = rank(99);
    let p50_ms = rank(50);
    Some(LatencyPoint { count: n, p50_ms, p99_ms, max_ms })
}

impl Figure for Latency {
    fn name(&self) -> &'static str {
        "produce-latency"
    }

    fn title(&self) -> String {
        "Produce latency: send() to ack or error, by send time".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        type Pick = fn(&LatencyPoint) -> u64;
        let series: [(&str, Pick, RGBColor); 3] = [
            ("max", |p| p.max_ms, draw::VERMILLION),
            ("p99", |p| p.p99_ms, draw::ORANGE),
            ("p50", |p| p.p50_ms, draw::BLUE),
        ];
        let max = self.points.iter().flatten().map(|p| p.max_ms).max().unwrap_or(1) as f64;
        // A log axis, since a stalled send is thousands of times slower than a healthy one.
        let y = (1.0..(max * 2.0).max(100.0)).log_scale();
        let legend = series.iter().map(|(label, _, color)| LegendItem::new(*label, LegendMark::Line(*color))).collect();
        let labels = Labels {
            title: self.title(),
            legend,
            y_label: format!("latency (ms, log scale, per {} ms)", self.buckets.bucket_ms),
        };
        time_chart(root, scene, labels, y, &draw::format_count, |chart| {
            for (_, pick, color) in series {
                let points = self
                    .points
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.as_ref().map(|p| (self.buckets.mid_s(i), (pick(p) as f64).max(1.0))));
                for run in runs(points) {
                    if run.len() == 1 {
                        chart.draw_series(run.iter().map(|p| Circle::new(*p, 2, color.filled())))?;
                    } else {
                        chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
                    }
                }
            }
            Ok(())
        })
    }
}
