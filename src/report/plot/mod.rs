//! One module per plot. Each plot is two halves: a pure fold over the history's entries that
//! returns the plotted series (asserted exactly by the tests), and a drawing function over any
//! plotters backend (rendered to SVG and PNG by [`super::render_plots`]).
//!
//! All folds run side by side in a single pass over the entries, since a ten-minute run at
//! 50,000 records/s holds about 60 million entries.

pub mod isr;
pub mod lag;
pub mod latency;
pub mod leadership;
pub mod replica_offsets;
pub mod throughput;
pub mod unseen;

use super::buckets::{BucketCursor, TimeBuckets};
use super::draw::{self, DrawResult, LegendItem, TimeOverlay};
use super::faults::FaultMarks;
use crate::history::{Entry, History};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Kafka's internal topics (`__consumer_offsets`, `__transaction_state`): plots with a row per
/// partition show the workload's own topics before them.
pub fn is_internal(tp: &crate::protocol::types::TopicPartition) -> bool {
    tp.topic.starts_with("__")
}

/// A pure fold over a history's entries, in order; `bucket` is the entry's time bucket.
pub trait Fold {
    type Output;
    fn observe(&mut self, entry: &Entry, bucket: usize);
    fn finish(self) -> Self::Output;
}

/// Runs one fold over a whole history (the render path runs all folds in one pass instead).
pub fn run<F: Fold>(history: &History, buckets: &TimeBuckets, mut fold: F) -> F::Output {
    let mut cursor = BucketCursor::new(*buckets);
    for entry in &history.entries {
        fold.observe(entry, cursor.index(entry.time_ms));
    }
    fold.finish()
}

/// What every drawing needs besides its own series.
pub struct Scene<'a> {
    pub buckets: &'a TimeBuckets,
    pub marks: &'a FaultMarks,
}

/// A drawable plot.
pub trait Figure {
    /// File stem, e.g. `throughput` (fixed, so output never leaves the chosen directory).
    fn name(&self) -> &'static str;
    fn title(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, scene: &Scene) -> DrawResult<DB>;
}

/// A chart's words: its title, its legend (the fault legend is added), its y axis label.
pub struct Labels {
    pub title: String,
    pub legend: Vec<LegendItem>,
    pub y_label: String,
}

/// The chart most plots are: time in seconds across, one numeric axis up, fault bands behind
/// the data and their labels in front.
pub fn time_chart<DB, YS, F>(
    root: &DrawingArea<DB, Shift>,
    scene: &Scene,
    labels: Labels,
    y: YS,
    y_format: &dyn Fn(&f64) -> String,
    body: F,
) -> DrawResult<DB>
where
    DB: DrawingBackend,
    YS: AsRangedCoord<Value = f64>,
    YS::CoordDescType: ValueFormatter<f64>,
    F: FnOnce(&mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, YS::CoordDescType>>) -> DrawResult<DB>,
{
    let Labels { title, mut legend, y_label } = labels;
    legend.extend(draw::fault_legend(scene.marks));
    let area = draw::header(root, &title, &legend)?;
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(24)
        .margin_bottom(6)
        .margin_top(4)
        .x_label_area_size(38)
        .y_label_area_size(64)
        .build_cartesian_2d(draw::time_range_s(scene.buckets), y)?;
    chart
        .configure_mesh()
        .x_desc("simulated time (s)")
        .y_desc(y_label.as_str())
        .x_label_formatter(&draw::format_seconds)
        .y_label_formatter(y_format)
        .axis_desc_style(draw::font(draw::LABEL_PX))
        .label_style(draw::font(draw::TICK_PX))
        .light_line_style(WHITE)
        .bold_line_style(draw::LIGHT_GREY)
        .x_labels(12)
        .y_labels(6)
        .draw()?;
    let overlay = TimeOverlay::of(&chart);
    overlay.shade(scene.marks)?;
    body(&mut chart)?;
    overlay.label(scene.marks)
}

/// Splits a series with gaps into the runs of consecutive points a line is drawn through.
pub fn runs<T: Copy>(points: impl IntoIterator<Item = Option<T>>) -> Vec<Vec<T>> {
    let mut runs: Vec<Vec<T>> = Vec::new();
    let mut current = Vec::new();
    for point in points {
        match point {
            Some(p) => current.push(p),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The top of a linear y axis: a little above the largest value, at least `floor`.
pub fn headroom(max: f64, floor: f64) -> f64 {
    (max * 1.12).max(floor)
}

/// Pixel geometry of a timeline chart: one row per partition, time across.
pub struct RowCanvas<DB: DrawingBackend> {
    overlay: TimeOverlay<DB>,
    screen: DrawingArea<DB, Shift>,
    rows: usize,
    y_px: std::ops::Range<i32>,
}

impl<DB: DrawingBackend> RowCanvas<DB> {
    fn row_px(&self, row: usize) -> (i32, i32) {
        // Bars at most 30 px tall, so the fault bands behind them stay visible between rows.
        let height = (self.y_px.end - self.y_px.start) as f64 / self.rows as f64;
        let middle = self.y_px.start as f64 + (row as f64 + 0.5) * height;
        let half = (height * 0.36).min(15.0);
        ((middle - half).round() as i32, (middle + half).round() as i32)
    }

    /// A bar on `row` from `start_s` to `end_s`, with `label` inside when it fits.
    pub fn segment(
        &self,
        row: usize,
        start_s: f64,
        end_s: f64,
        fill: RGBColor,
        label: Option<(&str, RGBColor)>,
    ) -> DrawResult<DB> {
        let (top, bottom) = self.row_px(row);
        let (x0, x1) = (self.overlay.x_px(start_s), self.overlay.x_px(end_s));
        let x1 = x1.max(x0 + 1);
        self.screen.draw(&Rectangle::new([(x0, top), (x1, bottom)], fill.filled()))?;
        if let Some((label, color)) = label {
            let style = draw::text(draw::NOTE_PX, color).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            ));
            let (width_px, _) = self.screen.estimate_text_size(label, &style)?;
            if x1 - x0 >= width_px as i32 + 8 && bottom - top >= 10 {
                draw::put_text(&self.screen, label, &style, (x0 + 4, (top + bottom) / 2))?;
            }
        }
        Ok(())
    }

    /// A short vertical tick across `row` at `time_s`.
    pub fn tick(&self, row: usize, time_s: f64, color: RGBColor) -> DrawResult<DB> {
        let (top, bottom) = self.row_px(row);
        let x = self.overlay.x_px(time_s);
        self.screen.draw(&PathElement::new(vec![(x, top - 2), (x, bottom + 2)], color.stroke_width(2)))
    }
}

/// A timeline chart: one row per name (top to bottom), simulated time across, fault bands behind.
pub fn row_chart<DB, F>(
    root: &DrawingArea<DB, Shift>,
    scene: &Scene,
    labels: Labels,
    names: &[String],
    body: F,
) -> DrawResult<DB>
where
    DB: DrawingBackend,
    F: FnOnce(&RowCanvas<DB>) -> DrawResult<DB>,
{
    let Labels { title, mut legend, y_label } = labels;
    legend.extend(draw::fault_legend(scene.marks));
    let area = draw::header(root, &title, &legend)?;
    let name_style = draw::text(draw::TICK_PX, draw::INK).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Right,
        plotters::style::text_anchor::VPos::Center,
    ));
    let mut name_px = 0;
    for name in names {
        name_px = name_px.max(area.estimate_text_size(name, &name_style)?.0);
    }
    let rows = names.len().max(1);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(8)
        .margin_right(24)
        .margin_bottom(6)
        .margin_top(4)
        .x_label_area_size(38)
        .y_label_area_size(name_px as i32 + 30)
        .build_cartesian_2d(draw::time_range_s(scene.buckets), 0.0..rows as f64)?;
    chart
        .configure_mesh()
        .x_desc("simulated time (s)")
        .y_desc(y_label.as_str())
        .x_label_formatter(&draw::format_seconds)
        .y_labels(0)
        .disable_y_mesh()
        .axis_desc_style(draw::font(draw::LABEL_PX))
        .label_style(draw::font(draw::TICK_PX))
        .light_line_style(WHITE)
        .bold_line_style(draw::LIGHT_GREY)
        .x_labels(12)
        .draw()?;
    let overlay = TimeOverlay::of(&chart);
    let screen = chart.plotting_area().use_screen_coord();
    let y_px = chart.plotting_area().get_y_axis_pixel_range();
    let y_px = y_px.start.min(y_px.end)..y_px.start.max(y_px.end);
    overlay.shade(scene.marks)?;
    let canvas = RowCanvas { overlay, screen, rows, y_px };
    let x_left = chart.plotting_area().get_x_axis_pixel_range().start;
    for (row, name) in names.iter().enumerate() {
        let (top, bottom) = canvas.row_px(row);
        draw::put_text(
            &area.use_screen_coord(), // the plotting area would clamp text to its bounds
            name,
            &name_style,
            (x_left - 10, (top + bottom) / 2),
        )?;
    }
    body(&canvas)?;
    canvas.overlay.label(scene.marks)
}
