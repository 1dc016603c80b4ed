//! Leadership timeline: which broker led each partition when, and in which leader epoch.
//!
//! The controller elects a leader from the ISR when the old one's broker session expires (or
//! from outside it, with `unclean.leader.election.enable`), and bumps the leader epoch each time
//! (KIP-101, KIP-279: the epoch is what lets a returning replica find where its log diverges).
//! Each bar is one leader epoch; a grey gap is an offline partition (no leader: the `Leader: none`
//! of `kafka-topics --describe`), and an unclean election is flagged because acked records may
//! be lost there. Read with the replica offsets plot to see what an election did to the logs.

use super::{row_chart, Figure, Fold, Labels, Scene};
use crate::history::{Election, Entry, Event};
use crate::protocol::types::{BrokerId, LeaderEpoch, SimTime, TopicPartition};
use crate::report::buckets::TimeBuckets;
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many partitions get a row; those with the most leader changes come first.
pub const MAX_ROWS: usize = 24;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderSegment {
    pub start_ms: SimTime,
    pub end_ms: SimTime,
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub election: Option<Election>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaderTimeline {
    pub tp: TopicPartition,
    pub segments: Vec<LeaderSegment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leadership {
    pub buckets: TimeBuckets,
    /// Ordered by partition.
    pub timelines: Vec<LeaderTimeline>,
}

impl Leadership {
    pub fn is_empty(&self) -> bool {
        self.timelines.is_empty()
    }

    /// Every broker that led something, in id order (their colours follow this order).
    pub fn leaders(&self) -> Vec<BrokerId> {
        let set: BTreeSet<BrokerId> =
            self.timelines.iter().flat_map(|t| &t.segments).filter_map(|s| s.leader).collect();
        set.into_iter().collect()
    }
}

pub struct LeadershipFold {
    buckets: TimeBuckets,
    timelines: BTreeMap<TopicPartition, Vec<LeaderSegment>>,
}

impl LeadershipFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        LeadershipFold { buckets, timelines: BTreeMap::new() }
    }
}

impl Fold for LeadershipFold {
    type Output = Leadership;

    fn observe(&mut self, entry: &Entry, _bucket: usize) {
        let Event::PartitionChanged { tp, leader, leader_epoch, election, .. } = &entry.event else {
            return;
        };
        let segments = self.timelines.entry(tp.clone()).or_default();
        if let Some(last) = segments.last_mut() {
            if last.leader == *leader && last.leader_epoch == *leader_epoch {
                return;
            }
            last.end_ms = entry.time_ms;
        }
        segments.push(LeaderSegment {
            start_ms: entry.time_ms,
            end_ms: entry.time_ms,
            leader: *leader,
            leader_epoch: *leader_epoch,
            election: *election,
        });
    }

    fn finish(self) -> Leadership {
        let end_ms = self.buckets.end_ms;
        let timelines = self
            .timelines
            .into_iter()
            .map(|(tp, mut segments)| {
                if let Some(last) = segments.last_mut() {
                    last.end_ms = end_ms.max(last.start_ms);
                }
                LeaderTimeline { tp, segments }
            })
            .collect();
        Leadership { buckets: self.buckets, timelines }
    }
}

/// Black text on light fills, white on dark ones.
fn text_on(fill: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = fill;
    let luminance = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
    if luminance < 140.0 {
        WHITE
    } else {
        draw::INK
    }
}

impl Figure for Leadership {
    fn name(&self) -> &'static str {
        "leadership"
    }

    fn title(&self) -> String {
        let total = self.timelines.len();
        if total > MAX_ROWS {
            format!("Partition leaders and leader epochs ({MAX_ROWS} of {total}: the workload's topics first, then the busiest)")
        } else {
            "Partition leaders and leader epochs".to_string()
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let mut chosen: Vec<&LeaderTimeline> = self.timelines.iter().collect();
        chosen.sort_by_key(|t| (super::is_internal(&t.tp), std::cmp::Reverse(t.segments.len())));
        chosen.truncate(MAX_ROWS);
        chosen.sort_by(|a, b| (super::is_internal(&a.tp), &a.tp).cmp(&(super::is_internal(&b.tp), &b.tp)));
        let leaders = self.leaders();
        let color_of = |leader: Option<BrokerId>| match leader {
            Some(b) => draw::series_color(leaders.iter().position(|l| *l == b).unwrap_or(0)),
            None => draw::LIGHT_GREY,
        };
        let mut legend: Vec<LegendItem> = leaders
            .iter()
            .map(|b| LegendItem::new(format!("broker-{b} leads"), LegendMark::Swatch(color_of(Some(*b)))))
            .collect();
        if chosen.iter().flat_map(|t| &t.segments).any(|s| s.leader.is_none()) {
            legend.push(LegendItem::new("no leader (offline)", LegendMark::Swatch(draw::LIGHT_GREY)));
        }
        legend.push(LegendItem::new("new leader epoch", LegendMark::Line(draw::INK)));
        let names: Vec<String> = chosen.iter().map(|t| t.tp.to_string()).collect();
        let labels = Labels { title: self.title(), legend, y_label: "partition".to_string() };
        row_chart(root, scene, labels, &names, |canvas| {
            for (row, timeline) in chosen.iter().enumerate() {
                for segment in &timeline.segments {
                    let fill = color_of(segment.leader);
                    let mut label = format!("epoch {}", segment.leader_epoch);
                    if segment.election == Some(Election::Unclean) {
                        label.push_str(" UNCLEAN");
                    }
                    let (start_s, end_s) = (segment.start_ms as f64 / 1000.0, segment.end_ms as f64 / 1000.0);
                    canvas.segment(row, start_s, end_s, fill, Some((&label, text_on(fill))))?;
                }
                for segment in timeline.segments.iter().skip(1) {
                    let color = if segment.election == Some(Election::Unclean) { draw::VERMILLION } else { draw::INK };
                    canvas.tick(row, segment.start_ms as f64 / 1000.0, color)?;
                }
            }
            Ok(())
        })
    }
}
