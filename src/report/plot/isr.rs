//! The in-sync replica set (ISR) of every partition over time, and the count of
//! under-replicated partitions.
//!
//! A follower that stops fetching for `replica.lag.time.max.ms` is dropped from the ISR by its
//! leader (an AlterPartition request, KIP-497), and added back once it has caught up to the
//! leader's log end. While the ISR is smaller than the replica set the partition is
//! *under-replicated*: with `acks=all` a write is only as safe as the ISR is large, and below
//! `min.insync.replicas` producers get NOT_ENOUGH_REPLICAS. Kafka exposes the count as the
//! broker metric `kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions`; the ISR is
//! the `Isr:` column of `kafka-topics --describe`. Both come from the controller's committed
//! `PartitionChanged` records.

use super::{row_chart, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event};
use crate::protocol::types::{BrokerId, SimTime, TopicPartition};
use crate::report::buckets::TimeBuckets;
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;

/// At most this many partitions get a row; the ones whose ISR shrank come first.
pub const MAX_ROWS: usize = 24;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsrChange {
    pub time_ms: SimTime,
    pub isr: Vec<BrokerId>,
    pub replicas: Vec<BrokerId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsrTimeline {
    pub tp: TopicPartition,
    /// Every committed change of the ISR or the replica set, in time order.
    pub changes: Vec<IsrChange>,
}

impl IsrTimeline {
    /// The ISR in force at `time_ms` (None before the partition existed).
    pub fn isr_at(&self, time_ms: SimTime) -> Option<&[BrokerId]> {
        self.changes.iter().take_while(|c| c.time_ms <= time_ms).last().map(|c| c.isr.as_slice())
    }

    pub fn ever_under_replicated(&self) -> bool {
        self.changes.iter().any(|c| c.isr.len() < c.replicas.len())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Isr {
    pub buckets: TimeBuckets,
    /// Ordered by partition.
    pub timelines: Vec<IsrTimeline>,
    /// (time, partitions whose ISR is smaller than their replica set) at every change.
    pub under_replicated: Vec<(SimTime, usize)>,
}

impl Isr {
    pub fn is_empty(&self) -> bool {
        self.timelines.is_empty()
    }

    pub fn timeline(&self, tp: &TopicPartition) -> Option<&IsrTimeline> {
        self.timelines.iter().find(|t| &t.tp == tp)
    }

    pub fn under_replicated_at(&self, time_ms: SimTime) -> usize {
        self.under_replicated.iter().take_while(|(t, _)| *t <= time_ms).last().map_or(0, |(_, n)| *n)
    }
}

pub struct IsrFold {
    buckets: TimeBuckets,
    timelines: BTreeMap<TopicPartition, Vec<IsrChange>>,
    under: BTreeMap<TopicPartition, bool>,
    under_count: usize,
    under_replicated: Vec<(SimTime, usize)>,
}

impl IsrFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        IsrFold {
            buckets,
            timelines: BTreeMap::new(),
            under: BTreeMap::new(),
            under_count: 0,
            under_replicated: Vec::new(),
        }
    }
}

impl Fold for IsrFold {
    type Output = Isr;

    fn observe(&mut self, entry: &Entry, _bucket: usize) {
        let Event::PartitionChanged { tp, replicas, isr, .. } = &entry.event else {
            return;
        };
        let changes = self.timelines.entry(tp.clone()).or_default();
        let unchanged = changes.last().is_some_and(|c| &c.isr == isr && &c.replicas == replicas);
        if !unchanged {
            changes.push(IsrChange { time_ms: entry.time_ms, isr: isr.clone(), replicas: replicas.clone() });
        }
        let under = isr.len() < replicas.len();
        let was = self.under.insert(tp.clone(), under).unwrap_or(false);
        if under != was {
            if under {
                self.under_count += 1;
            } else {
                self.under_count -= 1;
            }
        }
        match self.under_replicated.last_mut() {
            Some((t, n)) if *t == entry.time_ms => *n = self.under_count,
            Some((_, n)) if *n == self.under_count => {}
            _ => self.under_replicated.push((entry.time_ms, self.under_count)),
        }
    }

    fn finish(self) -> Isr {
        let timelines = self.timelines.into_iter().map(|(tp, changes)| IsrTimeline { tp, changes }).collect();
        Isr { buckets: self.buckets, timelines, under_replicated: self.under_replicated }
    }
}

/// The fill for an ISR `missing` replicas short of the replica set.
fn isr_color(missing: usize) -> RGBColor {
    match missing {
        0 => draw::SKY,
        1 => draw::ORANGE,
        _ => draw::VERMILLION,
    }
}

fn format_isr(isr: &[BrokerId]) -> String {
    let ids: Vec<String> = isr.iter().map(|b| b.to_string()).collect();
    format!("[{}]", ids.join(","))
}

/// The ISR timelines as a figure: one row per partition.
pub struct IsrFigure<'a>(pub &'a Isr);

impl Figure for IsrFigure<'_> {
    fn name(&self) -> &'static str {
        "isr"
    }

    fn title(&self) -> String {
        let total = self.0.timelines.len();
        if total > MAX_ROWS {
            format!("In-sync replicas (ISR) per partition ({MAX_ROWS} of {total}: the workload's topics first, then those that shrank)")
        } else {
            "In-sync replicas (ISR) per partition".to_string()
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let mut chosen: Vec<&IsrTimeline> = self.0.timelines.iter().collect();
        chosen.sort_by_key(|t| (super::is_internal(&t.tp), !t.ever_under_replicated()));
        chosen.truncate(MAX_ROWS);
        chosen.sort_by(|a, b| (super::is_internal(&a.tp), &a.tp).cmp(&(super::is_internal(&b.tp), &b.tp)));
        let names: Vec<String> = chosen.iter().map(|t| t.tp.to_string()).collect();
        let legend = vec![
            LegendItem::new("ISR = all replicas", LegendMark::Swatch(isr_color(0))),
            LegendItem::new("1 replica out of sync", LegendMark::Swatch(isr_color(1))),
            LegendItem::new("2 or more out", LegendMark::Swatch(isr_color(2))),
        ];
        let labels = Labels { title: self.title(), legend, y_label: "partition".to_string() };
        let end_ms = self.0.buckets.end_ms;
        row_chart(root, scene, labels, &names, |canvas| {
            for (row, timeline) in chosen.iter().enumerate() {
                for (i, change) in timeline.changes.iter().enumerate() {
                    let until_ms = timeline.changes.get(i + 1).map_or(end_ms, |next| next.time_ms);
                    let missing = change.replicas.len().saturating_sub(change.isr.len());
                    let label = format!("isr {}", format_isr(&change.isr));
                    canvas.segment(
                        row,
                        change.time_ms as f64 / 1000.0,
                        until_ms as f64 / 1000.0,
                        isr_color(missing),
                        Some((&label, draw::INK)),
                    )?;
                }
            }
            Ok(())
        })
    }
}

/// The under-replicated partitions count as a figure.
pub struct UnderReplicatedFigure<'a>(pub &'a Isr);

impl Figure for UnderReplicatedFigure<'_> {
    fn name(&self) -> &'static str {
        "under-replicated"
    }

    fn title(&self) -> String {
        "Under-replicated partitions (Kafka's UnderReplicatedPartitions)".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let end_s = self.0.buckets.end_s();
        // A step line: each count holds until the next change.
        let mut points: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        for (time_ms, count) in &self.0.under_replicated {
            let t = *time_ms as f64 / 1000.0;
            let previous = points.last().map_or(0.0, |p| p.1);
            points.push((t, previous));
            points.push((t, *count as f64));
        }
        let last = points.last().map_or(0.0, |p| p.1);
        points.push((end_s, last));
        let max = self.0.under_replicated.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let legend = vec![LegendItem::new("ISR smaller than replica set", LegendMark::Line(draw::BLUE))];
        let labels = Labels { title: self.title(), legend, y_label: "partitions".to_string() };
        let format = |v: &f64| {
            if v.fract() == 0.0 {
                format!("{}", *v as i64)
            } else {
                String::new()
            }
        };
        let top = (max as f64 + 1.0).max(2.0) * 1.1;
        time_chart(root, scene, labels, 0.0..top, &format, |chart| {
            chart.draw_series(LineSeries::new(points, draw::BLUE.stroke_width(2))).map(|_| ())
        })
    }
}
