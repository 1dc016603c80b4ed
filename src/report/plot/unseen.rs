//! Unseen records: how many acknowledged records no consumer has polled yet, over time.
//!
//! Jepsen's Kafka workload draws this as `unseen.png`: a healthy run shows a thin band (records
//! in flight between the ack and the next poll) that drains to zero after the faults stop. A
//! curve that stays up after the settle phase is data loss, or consumers that skipped records
//! (Jepsen's `lost-write` and `unseen` anomalies, checked exactly in `check/`). A record polled
//! before its producer heard the ack is never counted.

use super::{headroom, time_chart, Figure, Fold, Labels, Scene};
use crate::history::{Entry, Event};
use crate::report::buckets::{Sampler, TimeBuckets};
use crate::report::draw::{self, DrawResult, LegendItem, LegendMark};
use crate::report::index::ValueTable;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The unseen count at the end of every time bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unseen {
    pub buckets: TimeBuckets,
    pub counts: Vec<u64>,
    /// Records acknowledged over the whole run.
    pub acked_total: u64,
}

impl Unseen {
    pub fn is_empty(&self) -> bool {
        self.acked_total == 0
    }
}

const ACKED: u8 = 1;
const SEEN: u8 = 2;

pub struct UnseenFold {
    buckets: TimeBuckets,
    flags: ValueTable<u8>,
    unseen: u64,
    acked_total: u64,
    counts: Vec<u64>,
    sampler: Sampler,
}

impl UnseenFold {
    pub fn new(buckets: TimeBuckets) -> Self {
        UnseenFold {
            buckets,
            flags: ValueTable::default(),
            unseen: 0,
            acked_total: 0,
            counts: vec![0; buckets.count],
            sampler: Sampler::default(),
        }
    }
}

impl Fold for UnseenFold {
    type Output = Unseen;

    fn observe(&mut self, entry: &Entry, bucket: usize) {
        let (counts, unseen) = (&mut self.counts, self.unseen);
        self.sampler.advance_to(bucket, |i| counts[i] = unseen);
        match &entry.event {
            Event::SendAcked { value, .. } => {
                let flags = self.flags.get_mut(*value);
                if *flags & ACKED == 0 {
                    *flags |= ACKED;
                    self.acked_total += 1;
                    if *flags & SEEN == 0 {
                        self.unseen += 1;
                    }
                }
            }
            Event::Polled { partitions, .. } => {
                for (_, value) in partitions.iter().flat_map(|p| &p.records) {
                    let flags = self.flags.get_mut(*value);
                    if *flags & SEEN == 0 {
                        *flags |= SEEN;
                        if *flags & ACKED != 0 {
                            self.unseen -= 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Unseen {
        let (counts, unseen) = (&mut self.counts, self.unseen);
        self.sampler.advance_to(self.buckets.count, |i| counts[i] = unseen);
        Unseen { buckets: self.buckets, counts: self.counts, acked_total: self.acked_total }
    }
}

impl Figure for Unseen {
    fn name(&self) -> &'static str {
        "unseen"
    }

    fn title(&self) -> String {
        "Unseen: acknowledged records no consumer has polled yet".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB> {
        let points: Vec<(f64, f64)> = (0..self.buckets.count)
            .map(|i| (self.buckets.end_of_ms(i) as f64 / 1000.0, self.counts[i] as f64))
            .collect();
        let max = points.iter().map(|(_, n)| *n).fold(0.0, f64::max);
        let legend = vec![LegendItem::new("acknowledged, not yet polled", LegendMark::Line(draw::BLUE))];
        let labels = Labels { title: self.title(), legend, y_label: "records".to_string() };
        let end = self.counts.last().copied().unwrap_or(0);
        time_chart(root, scene, labels, 0.0..headroom(max, 4.0), &draw::format_count, |chart| {
            chart.draw_series(AreaSeries::new(points.iter().copied(), 0.0, draw::BLUE.mix(0.15)))?;
            chart.draw_series(LineSeries::new(points.iter().copied(), draw::BLUE.stroke_width(2)))?;
            let note = format!("at the end: {end} unseen of {} acknowledged", self.acked_total);
            let style = draw::text(draw::NOTE_PX + 1.0, draw::INK).pos(Pos::new(HPos::Right, VPos::Top));
            let (x_px, y_px) =
                (chart.plotting_area().get_x_axis_pixel_range(), chart.plotting_area().get_y_axis_pixel_range());
            let at = (x_px.end - 6, y_px.start.min(y_px.end) + 4);
            let screen = chart.plotting_area().use_screen_coord();
            let (w, h) = screen.estimate_text_size(&note, &style)?;
            let backing = [(at.0 - w as i32 - 3, at.1 - 1), (at.0 + 2, at.1 + h as i32 + 2)];
            screen.draw(&Rectangle::new(backing, WHITE.mix(0.85).filled()))?;
            draw::put_text(&screen, &note, &style, at)
        })
    }
}
