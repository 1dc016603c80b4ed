//! Throughput: records produced, acknowledged and consumed per second.
//!
//! The first plot to read after a fault: produced (`SendInvoked`, the application calling
//! `KafkaProducer.send`) keeps its pace while acknowledged (`SendAcked`) stalls when a leader
//! dies and the producer waits out `request.timeout.ms`, then catches up in a burst of retries;
//! consumed (records returned by polls, re-reads included) shows consumers stalling during a
//! rebalance. Kafka exposes the same rates as `record-send-rate` (producer) and
//! `records-consumed-rate` (consumer); Jepsen's Kafka workload plots `rate.png` per operation.

use super::{headroom, runs, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event};
use crate::report::buckets::TimeBuckets;
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Counts per time bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throughput {
    pub buckets: TimeBuckets,
    pub produced: Vec<u64>,
    pub acked: Vec<u64>,
    pub consumed: Vec<u64>,
}

impl Throughput {
    pub fn is_empty(&self) -> bool {
        [&self.produced, &self.acked, &self.consumed].iter().all(|c| c.iter().all(|n| *n == 0))
    }

    /// Records per second in bucket `index`.
    pub fn rate_per_s(&self, counts: &[u64], index: usize) -> f64 {
        counts[index] as f64 / self.buckets.width_s(index).max(1e-3)
    }
}

pub struct ThroughputFold(Throughput);

impl ThroughputFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        let zeros = vec![0; buckets.count];
        ThroughputFold(Throughput { buckets, produced: zeros.clone(), acked: zeros.clone(), consumed: zeros })
    }
}

impl Fold for ThroughputFold {
    type Output = Throughput;

    fn observe(&mut self, entry: &Entry, bucket: usize) {
        match &entry.event {
            Event::SendInvoked { .. } => self.0.produced[bucket] += 1,
            Event::SendAcked { .. } => self.0.acked[bucket] += 1,
            Event::Polled { partitions, .. } => {
                self.0.consumed[bucket] += partitions.iter().map(|p| p.records.len() as u64).sum::<u64>()
            }
            _ => {}
        }
    }

    fn finish(self) -> Throughput {
        self.0
    }
}

impl Figure for Throughput {
    fn name(&self) -> &'static str {
        "throughput"
    }

    fn title(&self) -> String {
        "Throughput: records produced, acknowledged and consumed".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let series = [
            ("produced (send)", &self.produced, draw::BLUE, false),
            ("acknowledged", &self.acked, draw::GREEN, true),
            ("consumed (polled)", &self.consumed, draw::ORANGE, false),
        ];
        let rates: Vec<Vec<(f64, f64)>> = series
            .iter()
            .map(|(_, counts, _, _)| {
                (0..self.buckets.count).map(|i| (self.buckets.mid_s(i), self.rate_per_s(counts, i))).collect()
            })
            .collect();
        let max = rates.iter().flatten().map(|(_, r)| *r).fold(0.0, f64::max);
        let legend = series
            .iter()
            .map(|(label, _, color, dashed)| {
                let mark = if *dashed { LegendMark::Dashed(*color) } else { LegendMark::Line(*color) };
                LegendItem::new(*label, mark)
            })
            .collect();
        let labels =
            Labels { title: self.title(), legend, y_label: format!("records/s (per {} ms)", self.buckets.bucket_ms) };
        time_chart(root, scene, labels, 0.0..headroom(max, 1.0), &draw::format_count, |chart| {
            for ((_, _, color, dashed), points) in series.iter().zip(&rates) {
                let style = color.stroke_width(2);
                for run in runs(points.iter().map(|p| Some(*p))) {
                    if *dashed {
                        chart.draw_series(DashedLineSeries::new(run, 6, 4, style))?;
                    } else {
                        chart.draw_series(LineSeries::new(run, style))?;
                    }
                }
            }
            Ok(())
        })
    }
}
