//! Log end offset (LEO) and high watermark (HW) of every replica of one partition.
//!
//! The leader's LEO grows with each append; followers trail it by a fetch; the HW is the offset
//! every ISR member has reached, the end of what consumers may read. A drop in a replica's LEO
//! is a truncation: a returning follower cutting its log back to where it diverges from the new
//! leader (OffsetsForLeaderEpoch, KIP-101/KIP-279; or a diverging epoch in a fetch response,
//! KIP-320), or a power loss dropping the unflushed tail. Records cut above the old HW were never
//! committed; a cut below it is lost acknowledged data. Truncations are marked with a cross and
//! the number of records removed. Kafka shows the same numbers as `kafka-log-dirs` sizes and
//! the `LogEndOffset` metric; `kafka-replica-verification` compares them.
//!
//! Downsampling keeps, per time bucket, the first, lowest, highest and last value of each line
//! ("M4" aggregation), so a drop inside a bucket still shows.

use super::{headroom, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event, TruncationCause};
use crate::protocol::types::{BrokerId, Offset, SimTime, TopicPartition};
use crate::report::buckets::TimeBuckets;
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use crate::report::index::TpIndex;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaSeries {
    pub broker: BrokerId,
    /// (time, LEO) after each change, downsampled per bucket.
    pub log_end_offset: Vec<(SimTime, Offset)>,
    /// (time, HW) as this replica knew it.
    pub high_watermark: Vec<(SimTime, Offset)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruncationMark {
    pub time_ms: SimTime,
    pub broker: BrokerId,
    /// The replica's LEO after the truncation.
    pub offset: Offset,
    pub removed: usize,
    pub cause: TruncationCause,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaOffsets {
    pub buckets: TimeBuckets,
    pub tp: TopicPartition,
    /// In broker id order.
    pub replicas: Vec<ReplicaSeries>,
    pub truncations: Vec<TruncationMark>,
}

/// One line, downsampled: per bucket the first, lowest, highest and last point, in time order.
#[derive(Debug, Default)]
struct M4 {
    points: Vec<(SimTime, Offset)>,
    bucket: Option<usize>,
    seq: u32,
    /// (seq, time, value) of the first, min, max and last point in the open bucket.
    kept: [(u32, SimTime, Offset); 4],
}

impl M4 {
    fn push(&mut self, bucket: usize, time_ms: SimTime, value: Offset) {
        if self.bucket != Some(bucket) {
            self.flush();
            self.bucket = Some(bucket);
            self.seq = 0;
            self.kept = [(0, time_ms, value); 4];
            return;
        }
        self.seq += 1;
        let point = (self.seq, time_ms, value);
        if value < self.kept[1].2 {
            self.kept[1] = point;
        }
        if value > self.kept[2].2 {
            self.kept[2] = point;
        }
        self.kept[3] = point;
    }

    fn flush(&mut self) {
        if self.bucket.take().is_none() {
            return;
        }
        let mut kept = self.kept;
        kept.sort_by_key(|(seq, _, _)| *seq);
        let mut last_seq = None;
        for (seq, time_ms, value) in kept {
            if last_seq != Some(seq) {
                self.points.push((time_ms, value));
                last_seq = Some(seq);
            }
        }
    }

    fn finish(mut self) -> Vec<(SimTime, Offset)> {
        self.flush();
        self.points
    }
}

#[derive(Debug, Default)]
struct ReplicaLines {
    log_end_offset: M4,
    high_watermark: M4,
}

/// Offsets of every replica of every partition; [`AllReplicaOffsets::select`] picks the plot's.
pub struct ReplicaOffsetsFold {
    buckets: TimeBuckets,
    tps: TpIndex,
    /// (partition id, broker) -> lines. Looked up only; output order comes from a BTreeMap.
    lines: HashMap<(usize, BrokerId), ReplicaLines>,
    truncations: BTreeMap<usize, Vec<TruncationMark>>,
    first_truncated: Option<usize>,
}

impl ReplicaOffsetsFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        ReplicaOffsetsFold {
            buckets,
            tps: TpIndex::default(),
            lines: HashMap::new(),
            truncations: BTreeMap::new(),
            first_truncated: None,
        }
    }

    fn lines(&mut self, tp: &TopicPartition, broker: BrokerId) -> (usize, &mut ReplicaLines) {
        let id = self.tps.id(tp);
        (id, self.lines.entry((id, broker)).or_default())
    }
}

impl Fold for ReplicaOffsetsFold {
    type Output = AllReplicaOffsets;

    fn observe(&mut self, entry: &Entry, bucket: usize) {
        let Some(broker) = entry.node.as_broker() else {
            return;
        };
        let time_ms = entry.time_ms;
        match &entry.event {
            Event::Appended { tp, base_offset, values, .. } => {
                let end = base_offset + values.len() as Offset;
                self.lines(tp, broker).1.log_end_offset.push(bucket, time_ms, end);
            }
            Event::Truncated { tp, offset, removed, cause } => {
                let (id, lines) = self.lines(tp, broker);
                lines.log_end_offset.push(bucket, time_ms, *offset);
                self.first_truncated.get_or_insert(id);
                self.truncations.entry(id).or_default().push(TruncationMark {
                    time_ms,
                    broker,
                    offset: *offset,
                    removed: removed.len(),
                    cause: *cause,
                });
            }
            Event::HighWatermark { tp, high_watermark, .. } => {
                self.lines(tp, broker).1.high_watermark.push(bucket, time_ms, *high_watermark);
            }
            _ => {}
        }
    }

    fn finish(self) -> AllReplicaOffsets {
        AllReplicaOffsets { fold: self }
    }
}

/// The fold's result before a partition is chosen.
pub struct AllReplicaOffsets {
    fold: ReplicaOffsetsFold,
}

impl AllReplicaOffsets {
    /// The first partition a replica truncated, in history order.
    pub fn first_truncated(&self) -> Option<&TopicPartition> {
        self.fold.first_truncated.map(|id| self.fold.tps.tp(id))
    }

    /// The series of `tp`, or None if no replica of it recorded anything.
    pub fn select(mut self, tp: &TopicPartition) -> Option<ReplicaOffsets> {
        let id = self.fold.tps.get(tp)?;
        let mut mine: BTreeMap<BrokerId, ReplicaLines> = BTreeMap::new();
        let keys: Vec<(usize, BrokerId)> = self.fold.lines.keys().filter(|(i, _)| *i == id).copied().collect();
        for key in keys {
            if let Some(lines) = self.fold.lines.remove(&key) {
                mine.insert(key.1, lines);
            }
        }
        let replicas = mine
            .into_iter()
            .map(|(broker, lines)| ReplicaSeries {
                broker,
                log_end_offset: lines.log_end_offset.finish(),
                high_watermark: lines.high_watermark.finish(),
            })
            .collect();
        let truncations = self.fold.truncations.remove(&id).unwrap_or_default();
        Some(ReplicaOffsets { buckets: self.fold.buckets, tp: tp.clone(), replicas, truncations })
    }
}

/// Turns change points into a step line: each value holds until the next change, and the last
/// one until `end_s`.
fn steps(points: &[(SimTime, Offset)], end_s: f64) -> Vec<(f64, f64)> {
    let mut line = Vec::with_capacity(points.len() * 2 + 1);
    for (time_ms, value) in points {
        let t = *time_ms as f64 / 1000.0;
        if let Some(&(_, previous)) = line.last() {
            line.push((t, previous));
        }
        line.push((t, *value as f64));
    }
    if let Some(&(_, last)) = line.last() {
        line.push((end_s, last));
    }
    line
}

impl Figure for ReplicaOffsets {
    fn name(&self) -> &'static str {
        "replica-offsets"
    }

    fn title(&self) -> String {
        format!("Log end offset and high watermark of each replica of {}", self.tp)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let end_s = self.buckets.end_s();
        let max = self
            .replicas
            .iter()
            .flat_map(|r| r.log_end_offset.iter().chain(&r.high_watermark))
            .map(|(_, v)| *v)
            .max()
            .unwrap_or(0) as f64;
        let mut legend = Vec::new();
        for (i, replica) in self.replicas.iter().enumerate() {
            let color = draw::series_color(i);
            legend.push(LegendItem::new(format!("broker-{} LEO", replica.broker), LegendMark::Line(color)));
            legend.push(LegendItem::new(format!("broker-{} HW", replica.broker), LegendMark::Dashed(color)));
        }
        if !self.truncations.is_empty() {
            legend.push(LegendItem::new("truncation (records removed)", LegendMark::Cross(draw::INK)));
        }
        let labels = Labels { title: self.title(), legend, y_label: "offset".to_string() };
        time_chart(root, scene, labels, 0.0..headroom(max, 4.0), &draw::format_count, |chart| {
            for (i, replica) in self.replicas.iter().enumerate() {
                let color = draw::series_color(i);
                // Replicas' lines coincide when in sync; a slightly thinner line each time keeps
                // all of them visible.
                let width = (3 - i.min(2)) as u32;
                let leo = steps(&replica.log_end_offset, end_s);
                chart.draw_series(LineSeries::new(leo, color.stroke_width(width)))?;
            }
            // High watermarks on top of the log end offsets they often equal.
            for (i, replica) in self.replicas.iter().enumerate() {
                let hw = steps(&replica.high_watermark, end_s);
                let style = draw::series_color(i).stroke_width(2);
                chart.draw_series(DashedLineSeries::new(hw, 5, 4, style))?;
            }
            let style = draw::text(draw::NOTE_PX, draw::INK).pos(Pos::new(HPos::Left, VPos::Top));
            for mark in &self.truncations {
                let at = (mark.time_ms as f64 / 1000.0, mark.offset as f64);
                chart.draw_series(std::iter::once(Cross::new(at, 6, draw::INK.stroke_width(2))))?;
                let note = format!("broker-{} removed {}", mark.broker, mark.removed);
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Text::new(note, (6, 6), style.clone())))?;
            }
            Ok(())
        })
    }
}
