//! Drawing pieces every plot shares: the palette, text styles, the title and legend header,
//! the time axis, and the fault bands.
//!
//! Colours are Okabe and Ito's palette ("Color Universal Design", 2002), chosen so that readers
//! with any common form of colour blindness can still tell the series apart; where a plot has
//! paired series (a replica's log end offset and high watermark) the pair shares a colour and
//! differs by line style.

use super::buckets::TimeBuckets;
use super::faults::{FaultClass, FaultMarks};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontDesc;
use std::ops::Range;

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

// ---- palette (Okabe-Ito) ------------------------------------------------------------------
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const INK: RGBColor = RGBColor(0, 0, 0);
pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub const GREY: RGBColor = RGBColor(110, 110, 110);
pub const LIGHT_GREY: RGBColor = RGBColor(225, 225, 225);

/// Series colours in order; yellow last, as it is faint on white.
pub const SERIES: [RGBColor; 8] = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, INK, YELLOW];

pub fn series_color(index: usize) -> RGBColor {
    SERIES[index % SERIES.len()]
}

pub fn fault_color(class: FaultClass) -> RGBColor {
    match class {
        FaultClass::Crash => VERMILLION,
        FaultClass::Pause => ORANGE,
        FaultClass::Partition => PURPLE,
        FaultClass::Clog => SKY,
    }
}

fn fault_fill(class: FaultClass) -> RGBAColor {
    fault_color(class).mix(0.16)
}

// ---- text ---------------------------------------------------------------------------------
pub const TITLE_PX: f64 = 20.0;
pub const LABEL_PX: f64 = 14.0;
pub const TICK_PX: f64 = 12.0;
pub const NOTE_PX: f64 = 11.0;

pub fn text(size_px: f64, color: RGBColor) -> TextStyle<'static> {
    FontDesc::new(FontFamily::SansSerif, size_px, FontStyle::Normal).color(&color)
}

pub fn font(size_px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, size_px, FontStyle::Normal)
}

/// Draws text at a position in `area`'s own coordinates. (`DrawingArea::draw_text` adds the
/// area's offset again, which misplaces text on an area from `use_screen_coord`.)
pub fn put_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'static>,
    pos: (i32, i32),
) -> DrawResult<DB> {
    area.draw(&Text::new(text.to_string(), pos, style.clone()))
}

// ---- header: title and legend -------------------------------------------------------------
#[derive(Clone, Debug, PartialEq)]
pub enum LegendMark {
    Line(RGBColor),
    Dashed(RGBColor),
    Cross(RGBColor),
    Swatch(RGBColor),
    /// A pale band, as fault intervals are drawn.
    Band(RGBColor),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub mark: LegendMark,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, mark: LegendMark) -> LegendItem {
        LegendItem { label: label.into(), mark }
    }
}

/// Legend items for the fault classes and marks a plot shows.
pub fn fault_legend(marks: &FaultMarks) -> Vec<LegendItem> {
    let mut items: Vec<LegendItem> = marks
        .classes()
        .into_iter()
        .map(|class| LegendItem::new(class.name(), LegendMark::Band(fault_color(class))))
        .collect();
    if marks.settle_ms.is_some() {
        items.push(LegendItem::new("settle phase", LegendMark::Dashed(GREY)));
    }
    items
}

/// Fills the canvas, writes the title and a legend that wraps onto as many rows as it needs,
/// and returns the area left for the chart.
pub fn header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[LegendItem],
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let title_style = text(TITLE_PX, INK).pos(Pos::new(HPos::Center, VPos::Top));
    root.draw_text(title, &title_style, (width as i32 / 2, 8))?;

    const ROW_PX: i32 = 18;
    const MARK_PX: i32 = 22;
    let label_style = text(LABEL_PX - 1.0, INK).pos(Pos::new(HPos::Left, VPos::Center));
    // Lay the items out in rows, then centre each row.
    let mut rows: Vec<Vec<(&LegendItem, i32)>> = vec![Vec::new()];
    let mut row_width = 0;
    for item in legend {
        let (label_px, _) = root.estimate_text_size(&item.label, &label_style)?;
        let item_px = MARK_PX + 5 + label_px as i32 + 18;
        if row_width + item_px > width as i32 - 40 && row_width > 0 {
            rows.push(Vec::new());
            row_width = 0;
        }
        rows.last_mut().expect("a row").push((item, item_px));
        row_width += item_px;
    }
    let top = 8 + TITLE_PX as i32 + 8;
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, px)| px).sum();
        let mut x = (width as i32 - total) / 2;
        let y = top + r as i32 * ROW_PX + ROW_PX / 2;
        for (item, item_px) in row {
            draw_legend_mark(root, &item.mark, x, y, MARK_PX)?;
            root.draw_text(&item.label, &label_style, (x + MARK_PX + 5, y))?;
            x += item_px;
        }
    }
    let used = if legend.is_empty() { top } else { top + rows.len() as i32 * ROW_PX + 4 };
    Ok(root.split_vertically(used).1)
}

fn draw_legend_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mark: &LegendMark,
    x: i32,
    y: i32,
    width: i32,
) -> DrawResult<DB> {
    match mark {
        LegendMark::Line(color) => area.draw(&PathElement::new(vec![(x, y), (x + width, y)], color.stroke_width(2))),
        LegendMark::Dashed(color) => {
            let dash = width / 4;
            for i in [0, 2] {
                let x0 = x + i * dash + dash / 2;
                area.draw(&PathElement::new(vec![(x0, y), (x0 + dash, y)], color.stroke_width(2)))?;
            }
            Ok(())
        }
        LegendMark::Cross(color) => area.draw(&Cross::new((x + width / 2, y), 5, color.stroke_width(2))),
        LegendMark::Swatch(color) => {
            area.draw(&Rectangle::new([(x + 2, y - 6), (x + width - 2, y + 6)], color.filled()))
        }
        LegendMark::Band(color) => {
            area.draw(&Rectangle::new([(x + 2, y - 7), (x + width - 2, y + 7)], color.mix(0.16).filled()))?;
            area.draw(&Rectangle::new([(x + 2, y - 7), (x + width - 2, y + 7)], color.mix(0.5)))
        }
    }
}

// ---- the time axis and fault bands ----------------------------------------------------------
/// Pixel geometry of a chart whose x axis is time in seconds, so that bands and labels can be
/// drawn whatever the chart's y coordinate is.
pub struct TimeOverlay<DB: DrawingBackend> {
    screen: DrawingArea<DB, Shift>,
    x_px: Range<i32>,
    y_px: Range<i32>,
    x_s: Range<f64>,
}

impl<DB: DrawingBackend> TimeOverlay<DB> {
    pub fn of<Y: Ranged>(chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, Y>>) -> Self {
        let area = chart.plotting_area();
        TimeOverlay {
            screen: area.use_screen_coord(),
            x_px: area.get_x_axis_pixel_range(),
            y_px: area.get_y_axis_pixel_range(),
            x_s: chart.x_range(),
        }
    }

    pub fn x_px(&self, time_s: f64) -> i32 {
        let span = (self.x_s.end - self.x_s.start).max(f64::EPSILON);
        let fraction = ((time_s - self.x_s.start) / span).clamp(0.0, 1.0);
        self.x_px.start + (fraction * (self.x_px.end - self.x_px.start) as f64).round() as i32
    }

    fn top(&self) -> i32 {
        self.y_px.start.min(self.y_px.end)
    }

    fn bottom(&self) -> i32 {
        self.y_px.start.max(self.y_px.end)
    }

    /// Pale bands for the fault intervals and a dashed line where the settle phase begins.
    /// Draw before the data.
    pub fn shade(&self, marks: &FaultMarks) -> DrawResult<DB> {
        for interval in &marks.intervals {
            let x0 = self.x_px(interval.start_ms as f64 / 1000.0);
            let x1 = self.x_px(interval.end_ms as f64 / 1000.0).max(x0 + 1);
            self.screen
                .draw(&Rectangle::new([(x0, self.top()), (x1, self.bottom())], fault_fill(interval.class).filled()))?;
        }
        for (time_ms, _) in &marks.instants {
            let x = self.x_px(*time_ms as f64 / 1000.0);
            self.screen
                .draw(&PathElement::new(vec![(x, self.top()), (x, self.bottom())], GREY.mix(0.6).stroke_width(1)))?;
        }
        if let Some(settle_ms) = marks.settle_ms {
            let x = self.x_px(settle_ms as f64 / 1000.0);
            let mut y = self.top();
            while y < self.bottom() {
                let y1 = (y + 6).min(self.bottom());
                self.screen.draw(&PathElement::new(vec![(x, y), (x, y1)], GREY.stroke_width(2)))?;
                y += 10;
            }
        }
        Ok(())
    }

    /// Labels for the bands, in lanes from the top so that overlapping faults stay readable.
    /// Draw after the data.
    pub fn label(&self, marks: &FaultMarks) -> DrawResult<DB> {
        const LANE_PX: i32 = 14;
        let style = text(NOTE_PX, INK).pos(Pos::new(HPos::Left, VPos::Top));
        let mut lane_ends: Vec<i32> = Vec::new();
        let labels = marks
            .intervals
            .iter()
            .map(|i| (i.start_ms, i.label.as_str(), Some(i.class)))
            .chain(marks.instants.iter().map(|(t, label)| (*t, label.as_str(), None)));
        let mut labels: Vec<_> = labels.collect();
        labels.sort_by_key(|(t, _, _)| *t);
        for (start_ms, label, class) in labels {
            let x = self.x_px(start_ms as f64 / 1000.0) + 3;
            let (width_px, _) = self.screen.estimate_text_size(label, &style)?;
            let x = x.min(self.x_px.end - width_px as i32 - 2).max(self.x_px.start + 2);
            let lane = match lane_ends.iter().position(|end| *end < x) {
                Some(lane) => lane,
                None => {
                    lane_ends.push(i32::MIN);
                    lane_ends.len() - 1
                }
            };
            lane_ends[lane] = x + width_px as i32 + 6;
            let y = self.top() + 3 + lane as i32 * LANE_PX;
            if y + LANE_PX > self.bottom() {
                continue;
            }
            let color = class.map_or(GREY, fault_color);
            // A white backing keeps the label legible over data.
            self.screen.draw(&Rectangle::new(
                [(x - 1, y), (x + width_px as i32 + 1, y + LANE_PX - 2)],
                WHITE.mix(0.75).filled(),
            ))?;
            put_text(&self.screen, label, &darken(style.clone(), color), (x, y))?;
        }
        if let Some(settle_ms) = marks.settle_ms {
            let x = self.x_px(settle_ms as f64 / 1000.0);
            let style = text(NOTE_PX, GREY).pos(Pos::new(HPos::Left, VPos::Bottom));
            put_text(&self.screen, "settle", &style, (x + 3, self.bottom() - 3))?;
        }
        Ok(())
    }
}

/// Fault colours are chosen for pale bands; labels use a darker shade of the same hue.
fn darken(style: TextStyle<'static>, color: RGBColor) -> TextStyle<'static> {
    let RGBColor(r, g, b) = color;
    let dark = RGBColor((r as u16 * 6 / 10) as u8, (g as u16 * 6 / 10) as u8, (b as u16 * 6 / 10) as u8);
    with_color(style, dark)
}

/// `style` in another colour (`TextStyle::color` wants a borrow as long as the style).
pub fn with_color(style: TextStyle<'static>, color: RGBColor) -> TextStyle<'static> {
    TextStyle { color: color.to_backend_color(), ..style }
}

/// The x axis every time plot shares: 0 to the end of the run, in seconds.
pub fn time_range_s(buckets: &TimeBuckets) -> Range<f64> {
    0.0..buckets.end_s()
}

/// Formats a tick on the time axis: whole seconds without decimals.
pub fn format_seconds(value: &f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}")
    }
}

/// Formats a count tick: 12000 -> 12k, 1500000 -> 1.5M.
pub fn format_count(value: &f64) -> String {
    let v = value.abs();
    let (scaled, suffix) = if v >= 1e6 {
        (value / 1e6, "M")
    } else if v >= 1e4 {
        (value / 1e3, "k")
    } else {
        (*value, "")
    };
    if (scaled - scaled.round()).abs() < 1e-9 {
        format!("{}{suffix}", scaled.round() as i64)
    } else {
        format!("{scaled:.1}{suffix}")
    }
}
