//! Reports of a run, read from its recorded [`History`] only (so they work the same on a saved
//! `history.jsonl`). This module draws the per-run plots:
//!
//! | file stem | what it teaches |
//! | --- | --- |
//! | `throughput` | records sent, acknowledged and consumed per second |
//! | `produce-latency` | p50/p99/max time from `send()` to its outcome |
//! | `consumer-lag` | each consumer's distance behind the high watermark (Jepsen's realtime lag) |
//! | `isr` | each partition's in-sync replica set |
//! | `under-replicated` | Kafka's `UnderReplicatedPartitions` over the run |
//! | `replica-offsets` | LEO and HW of each replica of one partition; truncations marked |
//! | `leadership` | which broker led each partition, and the leader epochs |
//! | `unseen` | acknowledged records no consumer has polled yet (Jepsen's `unseen.png`) |
//!
//! Every plot is drawn to SVG and PNG, time in seconds across, with the run's fault intervals
//! shaded ([`faults`]). The series are computed by pure folds in one pass over the history
//! ([`compute`]) and downsampled to about 600 time buckets ([`buckets`]), so drawing costs the
//! same for any run length. Text is drawn with an embedded font ([`font`]): no system fonts.
//!
//! Besides the plots: the message-sequence diagram of a recorded window ([`messages`]), and the
//! run report itself, gathered as data ([`document`]) and rendered as a self-contained
//! `report.html` ([`html`]) and a `summary.md` ([`summary`]), every file inside the chosen
//! directory ([`paths`]).

pub mod buckets;
pub mod document;
pub mod draw;
pub mod faults;
pub mod font;
pub mod html;
pub mod index;
pub mod messages;
pub mod paths;
pub mod plot;
pub mod raster;
pub mod summary;

#[cfg(test)]
mod synthetic;
#[cfg(test)]
mod tests;

use crate::history::History;
use crate::protocol::types::TopicPartition;
use buckets::{BucketCursor, TimeBuckets};
use faults::FaultMarks;
use plot::isr::{Isr, IsrFigure, IsrFold, UnderReplicatedFigure};
use plot::lag::{Lag, LagFold};
use plot::latency::{Latency, LatencyFold};
use plot::leadership::{Leadership, LeadershipFold};
use plot::replica_offsets::{ReplicaOffsets, ReplicaOffsetsFold};
use plot::throughput::{Throughput, ThroughputFold};
use plot::unseen::{Unseen, UnseenFold};
use plot::{Figure, Fold, Scene};
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Choices for [`render_plots`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotOptions {
    /// The partition of the replica offsets plot. Default: the first partition a replica
    /// truncated, else partition 0 of the first topic.
    pub partition: Option<TopicPartition>,
    /// Time bucket width; default: adapted to the run length (about 600 buckets).
    pub bucket_ms: Option<u64>,
    pub width_px: u32,
    pub height_px: u32,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions { partition: None, bucket_ms: None, width_px: 900, height_px: 400 }
    }
}

/// One rendered plot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotFile {
    /// The file stem, e.g. `throughput`.
    pub name: String,
    pub title: String,
    pub svg_path: PathBuf,
    pub png_path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("cannot write plots to {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("drawing {plot}.{format} failed: {message}")]
    Draw { plot: String, format: &'static str, message: String },
    #[error("the embedded plot font could not be loaded")]
    Font,
    #[error("partition {0} has no replica offsets in this history (no Appended, Truncated or HighWatermark events)")]
    UnknownPartition(TopicPartition),
}

/// Every plotted series of a run, computed in one pass. Empty series are kept here; rendering
/// skips them.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotData {
    pub buckets: TimeBuckets,
    pub marks: FaultMarks,
    pub throughput: Throughput,
    pub latency: Latency,
    pub lag: Lag,
    pub isr: Isr,
    pub leadership: Leadership,
    /// None when the chosen partition has no replica events.
    pub replica_offsets: Option<ReplicaOffsets>,
    pub unseen: Unseen,
}

/// The partition the replica offsets plot shows by default.
fn default_partition(history: &History, first_truncated: Option<&TopicPartition>) -> Option<TopicPartition> {
    first_truncated.cloned().or_else(|| history.meta.topics.first().map(|t| TopicPartition::new(t.name.clone(), 0)))
}

/// Computes every plot's series in a single pass over the history.
pub fn compute(history: &History, options: &PlotOptions) -> Result<PlotData, PlotError> {
    let buckets = TimeBuckets::for_history(history, options.bucket_ms);
    // Two groups of folds, each in one pass on its own thread: a long run's history is
    // gigabytes, and one pass over it is bound by memory, not by the folds' work.
    let client_side = |entries: &[crate::history::Entry]| {
        let mut throughput = ThroughputFold::new(buckets);
        let mut latency = LatencyFold::new(buckets);
        let mut isr = IsrFold::new(buckets);
        let mut leadership = LeadershipFold::new(buckets);
        let mut cursor = BucketCursor::new(buckets);
        for entry in entries {
            let bucket = cursor.index(entry.time_ms);
            throughput.observe(entry, bucket);
            latency.observe(entry, bucket);
            isr.observe(entry, bucket);
            leadership.observe(entry, bucket);
        }
        (throughput.finish(), latency.finish(), isr.finish(), leadership.finish())
    };
    let replica_side = |entries: &[crate::history::Entry]| {
        let mut lag = LagFold::new(history, buckets);
        let mut replica_offsets = ReplicaOffsetsFold::new(buckets);
        let mut unseen = UnseenFold::new(buckets);
        let mut cursor = BucketCursor::new(buckets);
        for entry in entries {
            let bucket = cursor.index(entry.time_ms);
            lag.observe(entry, bucket);
            replica_offsets.observe(entry, bucket);
            unseen.observe(entry, bucket);
        }
        (lag.finish(), replica_offsets.finish(), unseen.finish())
    };
    let entries = history.entries.as_slice();
    let ((throughput, latency, isr, leadership), (lag, all_offsets, unseen)) = std::thread::scope(|scope| {
        let client = scope.spawn(|| client_side(entries));
        let replica = replica_side(entries);
        (client.join().expect("a plot fold panicked"), replica)
    });
    let replica_offsets = match &options.partition {
        Some(tp) => Some(all_offsets.select(tp).ok_or_else(|| PlotError::UnknownPartition(tp.clone()))?),
        None => {
            let tp = default_partition(history, all_offsets.first_truncated());
            tp.and_then(|tp| all_offsets.select(&tp))
        }
    };
    Ok(PlotData {
        buckets,
        marks: faults::fault_marks(history),
        throughput,
        latency,
        lag,
        isr,
        leadership,
        replica_offsets,
        unseen,
    })
}

/// Renders every plot that has data into `out_dir` (created if missing) as `NAME.svg` and
/// `NAME.png`, and lists them in a fixed order.
pub fn render_plots(history: &History, out_dir: &Path, options: &PlotOptions) -> Result<Vec<PlotFile>, PlotError> {
    let data = compute(history, options)?;
    render_data(&data, out_dir, options)
}

/// Renders already computed series (see [`render_plots`]).
pub fn render_data(data: &PlotData, out_dir: &Path, options: &PlotOptions) -> Result<Vec<PlotFile>, PlotError> {
    if !font::ensure_registered() {
        return Err(PlotError::Font);
    }
    std::fs::create_dir_all(out_dir).map_err(|source| PlotError::Io { path: out_dir.to_path_buf(), source })?;
    let scene = Scene { buckets: &data.buckets, marks: &data.marks };
    let size = (options.width_px.max(200), options.height_px.max(150));
    let mut files = Vec::new();
    let mut out = |figure: &dyn DynFigure| -> Result<(), PlotError> {
        files.push(figure.render(out_dir, &scene, size)?);
        Ok(())
    };
    if !data.throughput.is_empty() {
        out(&data.throughput)?;
    }
    if !data.latency.is_empty() {
        out(&data.latency)?;
    }
    if !data.lag.is_empty() {
        out(&data.lag)?;
    }
    if !data.isr.is_empty() {
        out(&IsrFigure(&data.isr))?;
        out(&UnderReplicatedFigure(&data.isr))?;
    }
    if let Some(offsets) = &data.replica_offsets {
        out(offsets)?;
    }
    if !data.leadership.is_empty() {
        out(&data.leadership)?;
    }
    if !data.unseen.is_empty() {
        out(&data.unseen)?;
    }
    Ok(files)
}

/// [`Figure`] rendered to both file formats (the object-safe face of a figure).
trait DynFigure {
    fn render(&self, out_dir: &Path, scene: &Scene, size: (u32, u32)) -> Result<PlotFile, PlotError>;
}

impl<F: Figure> DynFigure for F {
    fn render(&self, out_dir: &Path, scene: &Scene, size: (u32, u32)) -> Result<PlotFile, PlotError> {
        let name = self.name();
        debug_assert!(!name.contains(['/', '\\', '.']), "plot names are plain file stems");
        let svg_path = out_dir.join(format!("{name}.svg"));
        let png_path = out_dir.join(format!("{name}.png"));
        let failed = |format: &'static str| {
            move |e: &dyn std::fmt::Display| PlotError::Draw { plot: name.to_string(), format, message: e.to_string() }
        };
        {
            let root = SVGBackend::new(&svg_path, size).into_drawing_area();
            self.draw(&root, scene).map_err(|e| failed("svg")(&e))?;
            root.present().map_err(|e| failed("svg")(&e))?;
        }
        {
            let backend = raster::PngBackend::new(&png_path, size).ok_or(PlotError::Font)?;
            let root = backend.into_drawing_area();
            self.draw(&root, scene).map_err(|e| failed("png")(&e))?;
            root.present().map_err(|e| failed("png")(&e))?;
        }
        Ok(PlotFile { name: name.to_string(), title: self.title(), svg_path, png_path })
    }
}
