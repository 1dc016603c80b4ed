//! Consumer lag: how far each consumer is behind the end of what it may read.
//!
//! Lag is the partition leader's high watermark (from `HighWatermark` events with
//! `is_leader = true`, the last offset a consumer may fetch) minus the consumer's position (the
//! highest offset it has polled, plus one), sampled at the end of every time bucket. This is
//! Kafka's `records-lag` consumer metric and the `LAG` column of `kafka-consumer-groups
//! --describe`, and Jepsen's Kafka workload plots it as "realtime lag": a consumer that stalls
//! (a rebalance, a paused member, a slow consumer) shows a ramp; after the faults heal every
//! line should return to zero. A negative lag means the high watermark went below what the
//! consumer already read: an unclean election or lost committed data.
//!
//! A consumer counts for a partition from its first poll of it until another member of the same
//! group polls it (the partition moved in a rebalance). Group members are named `GROUP-N`, so a
//! consumer's group is its name without the `-N`. With at most [`MAX_PARTITION_SERIES`]
//! partitions polled there is one line per consumer and partition, else one per consumer (the
//! sum over the partitions it holds).

use super::{runs, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event, History};
use crate::protocol::types::{BrokerId, NodeId, Offset, TopicPartition};
use crate::report::buckets::{Sampler, TimeBuckets};
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use crate::report::index::TpIndex;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;

/// Up to this many partitions, lag is drawn per consumer and partition.
pub const MAX_PARTITION_SERIES: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LagSeries {
    pub label: String,
    pub consumer: String,
    /// Set when the series is one partition's lag.
    pub tp: Option<TopicPartition>,
    /// Lag in records at the end of each bucket; None while the consumer held no partition or the
    /// leader's high watermark was not yet known.
    pub values: Vec<Option<i64>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lag {
    pub buckets: TimeBuckets,
    /// Ordered by consumer name, then partition.
    pub series: Vec<LagSeries>,
}

impl Lag {
    pub fn is_empty(&self) -> bool {
        self.series.iter().all(|s| s.values.iter().all(Option::is_none))
    }
}

/// The group of a member named `GROUP-N`.
pub fn group_of(consumer_name: &str) -> &str {
    match consumer_name.rsplit_once('-') {
        Some((group, n)) if !group.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => group,
        _ => consumer_name,
    }
}

struct Consumer {
    name: String,
    group: usize,
}

struct Pair {
    next_offset: Offset,
    values: Vec<Option<i64>>,
}

pub struct LagFold {
    buckets: TimeBuckets,
    names: BTreeMap<NodeId, String>,
    tps: TpIndex,
    /// Per partition id: the controller's current leader, whether the controller ever named one,
    /// and that leader's high watermark.
    leader: Vec<(Option<BrokerId>, bool, Option<Offset>)>,
    consumers: Vec<Consumer>,
    consumer_ids: BTreeMap<NodeId, usize>,
    groups: Vec<String>,
    /// (group, partition id) -> the consumer that last polled it.
    owner: BTreeMap<(usize, usize), usize>,
    pairs: BTreeMap<(usize, usize), Pair>,
    sampler: Sampler,
}

impl LagFold {
    pub fn new(history: &History, buckets: TimeBuckets) -> Self {
        LagFold {
            buckets,
            names: history.meta.nodes.iter().cloned().collect(),
            tps: TpIndex::default(),
            leader: Vec::new(),
            consumers: Vec::new(),
            consumer_ids: BTreeMap::new(),
            groups: Vec::new(),
            owner: BTreeMap::new(),
            pairs: BTreeMap::new(),
            sampler: Sampler::default(),
        }
    }

    fn tp_id(&mut self, tp: &TopicPartition) -> usize {
        let id = self.tps.id(tp);
        if self.leader.len() <= id {
            self.leader.resize(id + 1, (None, false, None));
        }
        id
    }

    fn consumer_id(&mut self, node: NodeId) -> usize {
        if let Some(id) = self.consumer_ids.get(&node) {
            return *id;
        }
        let name = self.names.get(&node).cloned().unwrap_or_else(|| format!("{node:?}"));
        let group_name = group_of(&name).to_string();
        let group = match self.groups.iter().position(|g| *g == group_name) {
            Some(g) => g,
            None => {
                self.groups.push(group_name);
                self.groups.len() - 1
            }
        };
        let id = self.consumers.len();
        self.consumers.push(Consumer { name, group });
        self.consumer_ids.insert(node, id);
        id
    }

    fn sample(&mut self, upto_bucket: usize) {
        let LagFold { sampler, pairs, owner, consumers, leader, .. } = self;
        sampler.advance_to(upto_bucket, |i| {
            for (&(consumer, tp), pair) in pairs.iter_mut() {
                let owns = owner.get(&(consumers[consumer].group, tp)) == Some(&consumer);
                if let (true, Some(hw)) = (owns, leader[tp].2) {
                    pair.values[i] = Some(hw - pair.next_offset);
                }
            }
        });
    }
}

impl Fold for LagFold {
    type Output = Lag;

    fn observe(&mut self, entry: &Entry, bucket: usize) {
        match &entry.event {
            Event::PartitionChanged { tp, leader, .. } => {
                self.sample(bucket);
                let id = self.tp_id(tp);
                let state = &mut self.leader[id];
                if state.0 != *leader || !state.1 {
                    *state = (*leader, true, state.2);
                }
            }
            Event::HighWatermark { tp, high_watermark, is_leader: true } => {
                self.sample(bucket);
                let id = self.tp_id(tp);
                let state = &mut self.leader[id];
                if !state.1 || state.0 == entry.node.as_broker() {
                    state.2 = Some(*high_watermark);
                }
            }
            Event::Polled { partitions, .. } => {
                self.sample(bucket);
                let consumer = self.consumer_id(entry.node);
                let group = self.consumers[consumer].group;
                for polled in partitions {
                    let tp = self.tp_id(&polled.tp);
                    self.owner.insert((group, tp), consumer);
                    let count = self.buckets.count;
                    let pair = self
                        .pairs
                        .entry((consumer, tp))
                        .or_insert_with(|| Pair { next_offset: 0, values: vec![None; count] });
                    if let Some(max) = polled.records.iter().map(|(offset, _)| *offset).max() {
                        pair.next_offset = pair.next_offset.max(max + 1);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Lag {
        self.sample(self.buckets.count);
        let partitions: std::collections::BTreeSet<usize> = self.pairs.keys().map(|(_, tp)| *tp).collect();
        let per_partition = partitions.len() <= MAX_PARTITION_SERIES;
        let mut series: Vec<LagSeries> = Vec::new();
        if per_partition {
            for ((consumer, tp), pair) in self.pairs {
                let name = self.consumers[consumer].name.clone();
                let tp = self.tps.tp(tp).clone();
                series.push(LagSeries {
                    label: format!("{name} {tp}"),
                    consumer: name,
                    tp: Some(tp),
                    values: pair.values,
                });
            }
        } else {
            let mut sums: BTreeMap<usize, Vec<Option<i64>>> = BTreeMap::new();
            for ((consumer, _), pair) in self.pairs {
                let sum = sums.entry(consumer).or_insert_with(|| vec![None; self.buckets.count]);
                for (total, value) in sum.iter_mut().zip(pair.values) {
                    if let Some(v) = value {
                        *total = Some(total.unwrap_or(0) + v);
                    }
                }
            }
            for (consumer, values) in sums {
                let name = self.consumers[consumer].name.clone();
                series.push(LagSeries { label: name.clone(), consumer: name, tp: None, values });
            }
        }
        series.sort_by(|a, b| (&a.consumer, &a.tp).cmp(&(&b.consumer, &b.tp)));
        Lag { buckets: self.buckets, series }
    }
}

impl Figure for Lag {
    fn name(&self) -> &'static str {
        "consumer-lag"
    }

    fn title(&self) -> String {
        "Consumer lag: leader's high watermark minus consumer position".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let values = || self.series.iter().flat_map(|s| s.values.iter().flatten().copied());
        let max = values().max().unwrap_or(0).max(0) as f64;
        let min = values().min().unwrap_or(0).min(0) as f64;
        let legend = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendItem::new(s.label.clone(), LegendMark::Line(draw::series_color(i))))
            .collect();
        let labels = Labels {
            title: self.title(),
            legend,
            y_label: format!("lag (records, at end of each {} ms)", self.buckets.bucket_ms),
        };
        let bottom = if min < 0.0 { min * 1.12 } else { 0.0 };
        let top = (max * 1.12).max(4.0);
        time_chart(root, scene, labels, bottom..top, &draw::format_count, |chart| {
            for (i, series) in self.series.iter().enumerate() {
                let points = series
                    .values
                    .iter()
                    .enumerate()
                    .map(|(b, v)| v.map(|v| (self.buckets.end_of_ms(b) as f64 / 1000.0, v as f64)));
                let color = draw::series_color(i);
                for run in runs(points) {
                    chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
                }
            }
            Ok(())
        })
    }
}
