//! The report directory of a run: `report.html`, `summary.md`, the plots (SVG and PNG), the
//! message-sequence diagram when messages were recorded, and (for a live run) `history.jsonl`,
//! `result.json` and a copy of the scenario. Reads the run's History only, so `kafkasim plot`
//! rebuilds the same report from a saved `history.jsonl`.

use super::consumer_groups::{describe_group_at, group_names, render_group};
use super::describe::describe_topics;
use super::partition_spread::render_partition_spread;
use super::producer_metrics::{producer_metrics, render_producer_metrics};
use super::run::RunReport;
use crate::report::document::{self, CliView, DiagramView, PlotView, RunDocument};
use crate::report::messages::{render_diagram, DiagramError, DiagramOptions};
use crate::report::paths::{file_in, PathError};
use crate::report::{html, render_plots, summary, PlotError, PlotOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to write besides the report itself.
pub struct ReportRequest<'a> {
    pub report: &'a RunReport,
    /// The scenario's description (empty when unknown).
    pub description: &'a str,
    pub replay: String,
    pub plots: PlotOptions,
    /// How to draw the message diagram (drawn whenever the history recorded messages).
    pub diagram: DiagramOptions,
    /// Write `history.jsonl` (a live run; `kafkasim plot` reads it instead).
    pub write_history: bool,
    /// Written as `result.json` when given.
    pub result_json: Option<serde_json::Value>,
    /// Written as `scenario.toml` when given: the report directory then replays on its own.
    pub scenario_text: Option<&'a str>,
}

/// Wall time spent per part, for `--timings`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportTimings {
    pub history_ms: f64,
    pub plots_ms: f64,
    pub report_ms: f64,
}

pub struct ReportFiles {
    pub files: Vec<PathBuf>,
    pub timings: ReportTimings,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Path(#[from] PathError),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Plot(#[from] PlotError),
    #[error(transparent)]
    Diagram(#[from] DiagramError),
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn write_file(dir: &Path, name: &str, contents: &[u8], files: &mut Vec<PathBuf>) -> Result<(), ReportError> {
    let path = file_in(dir, name)?;
    std::fs::write(&path, contents).map_err(|source| ReportError::Io { path: path.clone(), source })?;
    files.push(path);
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Writes the report directory `dir` (created if missing).
pub fn write_report(dir: &Path, request: &ReportRequest) -> Result<ReportFiles, ReportError> {
    let mut timings = ReportTimings::default();
    let mut files = Vec::new();
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io { path: dir.to_path_buf(), source })?;
    let history = &request.report.history;

    let started = Instant::now();
    if request.write_history {
        let path = file_in(dir, "history.jsonl")?;
        let io = |source| ReportError::Io { path: path.clone(), source };
        let file = std::fs::File::create(&path).map_err(io)?;
        let mut writer = std::io::BufWriter::new(file);
        crate::history::write_jsonl(history, &mut writer).map_err(io)?;
        std::io::Write::flush(&mut writer).map_err(io)?;
        files.push(path);
    }
    if let Some(result) = &request.result_json {
        let text = serde_json::to_string_pretty(result).expect("the result serializes");
        write_file(dir, "result.json", text.as_bytes(), &mut files)?;
    }
    if let Some(text) = request.scenario_text {
        write_file(dir, "scenario.toml", text.as_bytes(), &mut files)?;
    }
    timings.history_ms = ms_since(started);

    let started = Instant::now();
    let plot_files = render_plots(history, dir, &request.plots)?;
    let mut plots = Vec::new();
    for plot in &plot_files {
        let svg = std::fs::read_to_string(&plot.svg_path)
            .map_err(|source| ReportError::Io { path: plot.svg_path.clone(), source })?;
        plots.push(PlotView {
            name: plot.name.clone(),
            title: plot.title.clone(),
            svg,
            svg_file: file_name(&plot.svg_path),
            png_file: file_name(&plot.png_path),
        });
        files.push(plot.svg_path.clone());
        files.push(plot.png_path.clone());
    }
    timings.plots_ms = ms_since(started);

    let started = Instant::now();
    let messages = match &history.messages {
        Some(_) => {
            let diagram = render_diagram(history, &request.diagram)?;
            write_file(dir, "messages.svg", diagram.svg.as_bytes(), &mut files)?;
            Some(DiagramView {
                title: diagram.title,
                svg: diagram.svg,
                svg_file: "messages.svg".to_string(),
                notes: diagram.notes,
            })
        }
        None => None,
    };
    let doc = build_document(request, plots, messages);
    write_file(dir, "summary.md", summary::render_markdown(&doc).as_bytes(), &mut files)?;
    write_file(dir, "report.html", html::render_html(&doc).as_bytes(), &mut files)?;
    timings.report_ms = ms_since(started);
    Ok(ReportFiles { files, timings })
}

/// Everything the report shows, gathered from the run.
pub fn build_document(request: &ReportRequest, plots: Vec<PlotView>, messages: Option<DiagramView>) -> RunDocument {
    let report = request.report;
    let h = &report.history;
    let (sent, acked, failed) = super::run::send_counts(h);
    let mut facts = vec![
        ("records".to_string(), format!("{sent} sent, {acked} acknowledged, {failed} failed")),
        (
            "simulated".to_string(),
            format!(
                "{:.1} s ({:.1} s workload, then heal and settle)",
                h.meta.end_ms as f64 / 1000.0,
                h.meta.workload_end_ms as f64 / 1000.0
            ),
        ),
        ("history entries".to_string(), h.entries.len().to_string()),
    ];
    if report.stats.wall_ms > 0 {
        facts.push(("wall time of the run".to_string(), format!("{:.2} s", report.stats.wall_ms as f64 / 1000.0)));
    }
    if report.stats.network.messages_delivered > 0 {
        facts.push(("messages delivered".to_string(), report.stats.network.messages_delivered.to_string()));
    }
    let has_expectations = report.verdicts.iter().any(|v| v.expect.is_some());
    RunDocument {
        scenario: h.meta.scenario.clone(),
        description: request.description.to_string(),
        seed: h.meta.seed,
        replay: request.replay.clone(),
        trace_sha256: report.trace_sha256.clone(),
        ok: has_expectations.then(|| report.ok()),
        facts,
        config: document::run_config(h),
        faults: document::fault_lines(h),
        checks: document::check_sections(&report.outcomes, &report.verdicts),
        plots,
        messages,
        tables: cli_views(report),
    }
}

/// The Kafka-CLI views of the final state, as the text summary prints them.
fn cli_views(report: &RunReport) -> Vec<CliView> {
    let h = &report.history;
    let mut views = vec![CliView {
        title: "Topics".to_string(),
        command: "kafka-topics.sh --bootstrap-server broker-1:9092 --describe".to_string(),
        text: describe_topics(&h.meta.topics, &h.final_state.partitions),
    }];
    for group in group_names(h) {
        views.push(CliView {
            title: format!("Consumer group {group}"),
            command: format!("kafka-consumer-groups.sh --bootstrap-server broker-1:9092 --describe --group {group}"),
            text: render_group(&describe_group_at(h, &group, h.meta.end_ms)),
        });
    }
    let metrics = render_producer_metrics(&producer_metrics(h));
    if !metrics.is_empty() {
        views.push(CliView {
            title: "Producer metrics (over the workload phase)".to_string(),
            command: String::new(),
            text: metrics,
        });
    }
    let spread = render_partition_spread(h);
    if !spread.is_empty() {
        views.push(CliView {
            title: "Acknowledged records per partition".to_string(),
            command: String::new(),
            text: spread,
        });
    }
    let rebalances = super::rebalances::rebalances(h);
    if !rebalances.is_empty() {
        views.push(CliView {
            title: "Rebalances".to_string(),
            command: String::new(),
            text: super::rebalances::render(&rebalances),
        });
    }
    views
}
