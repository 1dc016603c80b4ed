//! A lab's `lab.toml`: its scenario (embedded as a `[scenario]` table in the scenario format, or
//! `scenario_file`, a path relative to the lab's directory), optional alert rules, and the ordered
//! checkpoints — each a moment (`at_ms`, or an event `when`), the views to print, an explanation,
//! a question and the expected state `kafkasim lab check` asserts. Every error names the file,
//! line and column, like a scenario's (the same `ScenarioError`).

use super::alerts::AlertRule;
use super::expectation::Expectation;
use super::names::LabNames;
use super::trigger::Trigger;
use crate::scenario::{parse_scenario, validate_embedded, RawScenario, Scenario, ScenarioError};
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLab {
    title: Spanned<String>,
    #[serde(default)]
    scenario_file: Option<Spanned<String>>,
    #[serde(default)]
    scenario: Option<RawScenario>,
    #[serde(default)]
    scrape_interval_ms: Option<Spanned<u64>>,
    #[serde(default)]
    alerts: Vec<RawAlert>,
    #[serde(default)]
    checkpoints: Vec<Spanned<RawCheckpoint>>,
    #[serde(default)]
    compare: Vec<RawComparison>,
}

/// Another scenario the lab contrasts with its own (the fixed protocol, the other setting), run
/// to its end and judged there.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComparison {
    name: String,
    scenario_file: Spanned<String>,
    #[serde(default)]
    show: Vec<Spanned<String>>,
    explain: String,
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    expect: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlert {
    name: Spanned<String>,
    expr: Spanned<String>,
    for_ms: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheckpoint {
    name: Spanned<String>,
    #[serde(default)]
    at_ms: Option<Spanned<u64>>,
    #[serde(default)]
    when: Option<Spanned<String>>,
    #[serde(default)]
    show: Vec<Spanned<String>>,
    explain: String,
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    expect: Vec<Spanned<String>>,
}

/// A view a checkpoint prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// `kafka-topics.sh --describe`
    Describe,
    /// `kafka-consumer-groups.sh --describe` for every group
    Groups,
    /// The producer-metrics table (over the workload phase)
    ProducerMetrics,
    /// Each consumer group's throughput, records per poll and end-to-end latency (workload phase)
    ConsumerMetrics,
    /// Each replica's log end offset and high watermark
    Replicas,
    Alerts,
    Rebalances,
    /// The checkers' table (whole run)
    Checks,
    /// One of the run's plots, by file stem (`isr`, `lag`, `latency`, ...)
    Plot(String),
}

pub const VIEWS: &str =
    "describe, groups, producer-metrics, consumer-metrics, replicas, alerts, rebalances, checks, plot:NAME";

impl View {
    fn parse(text: &str) -> Result<View, String> {
        Ok(match text {
            "describe" => View::Describe,
            "groups" => View::Groups,
            "producer-metrics" => View::ProducerMetrics,
            "consumer-metrics" => View::ConsumerMetrics,
            "replicas" => View::Replicas,
            "alerts" => View::Alerts,
            "rebalances" => View::Rebalances,
            "checks" => View::Checks,
            _ => match text.strip_prefix("plot:") {
                Some(name) if !name.is_empty() => View::Plot(name.to_string()),
                _ => return Err(format!("unknown view `{text}`; one of: {VIEWS}")),
            },
        })
    }
}

#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub name: String,
    pub trigger: Trigger,
    pub show: Vec<View>,
    pub explain: String,
    pub question: Option<String>,
    pub expect: Vec<Expectation>,
}

/// A contrasting scenario (`[[compare]]`): its views and expectations are taken at its end.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub name: String,
    pub scenario_path: PathBuf,
    pub raw_scenario: RawScenario,
    pub scenario: Scenario,
    pub show: Vec<View>,
    pub explain: String,
    pub question: Option<String>,
    pub expect: Vec<Expectation>,
}

#[derive(Clone, Debug)]
pub struct Lab {
    /// The directory name, e.g. `04-fault-tolerance`.
    pub id: String,
    pub dir: PathBuf,
    pub file: String,
    pub title: String,
    pub raw_scenario: RawScenario,
    pub scenario: Scenario,
    /// The scenario file, when the lab points at one instead of embedding it.
    pub scenario_path: Option<PathBuf>,
    pub scrape_interval_ms: u64,
    pub alerts: Vec<AlertRule>,
    pub checkpoints: Vec<Checkpoint>,
    pub comparisons: Vec<Comparison>,
}

impl Lab {
    /// The lab's number, the directory's leading digits (`04`).
    pub fn number(&self) -> &str {
        self.id.split('-').next().unwrap_or(&self.id)
    }
}

/// Reads `DIR/lab.toml`.
pub fn load_lab(dir: &Path) -> Result<Lab, ScenarioError> {
    let path = dir.join("lab.toml");
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ScenarioError::whole_file(&file, format!("cannot read the lab: {e}")))?;
    parse_lab(dir, &file, &text)
}

/// Parses lab text; `file` names it in errors, `dir` resolves `scenario_file`.
pub fn parse_lab(dir: &Path, file: &str, text: &str) -> Result<Lab, ScenarioError> {
    let error = |span: Range<usize>, message: String| ScenarioError::new(file, text, span, message);
    let raw: RawLab = toml::from_str(text).map_err(|e| error(e.span().unwrap_or(0..0), e.message().to_string()))?;
    let (raw_scenario, scenario, scenario_path) = match (raw.scenario, &raw.scenario_file) {
        (Some(embedded), None) => {
            let scenario = validate_embedded(file, text, &embedded)?;
            (embedded, scenario, None)
        }
        (None, Some(path)) => {
            let full = dir.join(path.get_ref());
            let scenario_text = std::fs::read_to_string(&full)
                .map_err(|e| error(path.span(), format!("cannot read the scenario {}: {e}", full.display())))?;
            let (raw, scenario) = parse_scenario(&full.display().to_string(), &scenario_text)?;
            (raw, scenario, Some(full))
        }
        (Some(_), Some(path)) => {
            return Err(error(
                path.span(),
                "give the scenario either as `scenario_file` or as a [scenario] table".into(),
            ))
        }
        (None, None) => {
            return Err(error(
                raw.title.span(),
                "the lab has no scenario: add `scenario_file = \"...\"` or a [scenario] table".into(),
            ))
        }
    };
    let mut names = LabNames::of(&scenario);
    let mut alerts = Vec::new();
    for a in &raw.alerts {
        let expectation = Expectation::parse(a.expr.get_ref(), &names).map_err(|m| error(a.expr.span(), m))?;
        let threshold = match &expectation.right {
            super::expectation::Right::Literal(super::expectation::Value::Number(n)) => *n,
            _ => {
                return Err(error(
                    a.expr.span(),
                    "an alert compares a metric with a number, e.g. `lag analytics > 1000`".into(),
                ))
            }
        };
        if !expectation.subject.is_time_series() {
            return Err(error(a.expr.span(), "an alert needs a metric that changes over time (lag G, under-replicated, offline, acked, errors E, ...)".into()));
        }
        alerts.push(AlertRule {
            name: a.name.get_ref().clone(),
            subject: expectation.subject,
            op: expectation.op,
            threshold,
            for_ms: a.for_ms,
            text: a.expr.get_ref().clone(),
        });
        names.alerts.push(a.name.get_ref().clone());
    }
    if raw.checkpoints.is_empty() {
        return Err(error(raw.title.span(), "the lab has no [[checkpoints]]".into()));
    }
    let mut checkpoints = Vec::new();
    for spanned in &raw.checkpoints {
        let c = spanned.get_ref();
        let trigger = match (&c.at_ms, &c.when) {
            (Some(at), None) => crate::lab::trigger::Trigger::At(*at.get_ref()),
            (None, Some(when)) => Trigger::parse(when.get_ref(), &names).map_err(|m| error(when.span(), m))?,
            _ => return Err(error(spanned.span(), "a checkpoint needs exactly one of `at_ms` and `when`".into())),
        };
        if let Trigger::At(t) = trigger {
            let end = scenario.duration_ms + scenario.settle_ms;
            if t > end {
                let span = c.at_ms.as_ref().map_or(0..0, |a| a.span());
                return Err(error(
                    span,
                    format!("at_ms {t} is after the run ends ({end} ms: duration_ms + settle_ms)"),
                ));
            }
        }
        let show = c
            .show
            .iter()
            .map(|v| View::parse(v.get_ref()).map_err(|m| error(v.span(), m)))
            .collect::<Result<_, _>>()?;
        let expect = c
            .expect
            .iter()
            .map(|e| Expectation::parse(e.get_ref(), &names).map_err(|m| error(e.span(), m)))
            .collect::<Result<_, _>>()?;
        checkpoints.push(Checkpoint {
            name: c.name.get_ref().clone(),
            trigger,
            show,
            explain: c.explain.trim().to_string(),
            question: c.question.as_ref().map(|q| q.trim().to_string()),
            expect,
        });
    }
    let mut comparisons = Vec::new();
    for c in &raw.compare {
        let full = dir.join(c.scenario_file.get_ref());
        let scenario_text = std::fs::read_to_string(&full)
            .map_err(|e| error(c.scenario_file.span(), format!("cannot read the scenario {}: {e}", full.display())))?;
        let (raw_scenario, scenario) = parse_scenario(&full.display().to_string(), &scenario_text)?;
        let names = LabNames::of(&scenario);
        let show = c
            .show
            .iter()
            .map(|v| View::parse(v.get_ref()).map_err(|m| error(v.span(), m)))
            .collect::<Result<_, _>>()?;
        let expect = c
            .expect
            .iter()
            .map(|e| Expectation::parse(e.get_ref(), &names).map_err(|m| error(e.span(), m)))
            .collect::<Result<_, _>>()?;
        comparisons.push(Comparison {
            name: c.name.clone(),
            scenario_path: full,
            raw_scenario,
            scenario,
            show,
            explain: c.explain.trim().to_string(),
            question: c.question.as_ref().map(|q| q.trim().to_string()),
            expect,
        });
    }
    let id = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    Ok(Lab {
        id,
        dir: dir.to_path_buf(),
        file: file.to_string(),
        title: raw.title.get_ref().clone(),
        raw_scenario,
        scenario,
        scenario_path,
        scrape_interval_ms: raw.scrape_interval_ms.map_or(1000, |s| *s.get_ref()),
        alerts,
        checkpoints,
        comparisons,
    })
}
