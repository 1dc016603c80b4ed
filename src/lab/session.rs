//! Running a lab: the scenario is simulated once to completion, then each checkpoint is located in
//! the recorded History and shown or checked as of its time. `check_lab` asserts every
//! checkpoint's expected state (`kafkasim lab check`); `walk` steps a learner through the
//! checkpoints (`kafkasim lab run`), taking commands at each one.

use super::cluster_at::{cluster_at, ClusterAt};
use super::evidence::Evidence;
use super::expectation::Verdict;
use super::experiment::{add_fault, FaultCommand, FAULT_COMMANDS};
use super::lab_file::{Comparison, Lab, View};
use super::run::{execute, RunReport};
use super::trigger::{Scanner, Trigger};
use super::views::{render_partition_changes, render_view};
use crate::check::CheckVerdict;
use crate::protocol::types::SimTime;
use crate::scenario::{RawScenario, Scenario};
use crate::sim::RunError;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// One simulated run of a lab's scenario (the lab's own, or an experiment).
pub struct LabRun {
    pub raw: RawScenario,
    pub scenario: Scenario,
    pub seed: u64,
    pub report: RunReport,
}

impl LabRun {
    pub fn execute(raw: RawScenario, scenario: Scenario, seed: u64) -> Result<LabRun, RunError> {
        let report = execute(&scenario, seed)?;
        Ok(LabRun { raw, scenario, seed, report })
    }

    pub fn evidence(&self, lab: &Lab) -> Evidence<'_> {
        Evidence::new(&self.report.history, &self.report.outcomes, &lab.alerts, lab.scrape_interval_ms)
    }
}

/// The seed a lab runs with: its scenario's, else 1 (as `kafkasim run`).
pub fn lab_seed(lab: &Lab) -> u64 {
    lab.scenario.seed.unwrap_or(1)
}

/// Each checkpoint's time in this run and the cluster state then, in order; None when its event
/// never happened (the later checkpoints are then searched from the previous one found).
pub fn locate(lab: &Lab, evidence: &Evidence) -> Vec<Option<(SimTime, ClusterAt)>> {
    let mut scanner = Scanner::new(evidence.history);
    lab.checkpoints.iter().map(|c| scanner.find(&c.trigger, &evidence.alerts)).collect()
}

pub struct CheckpointOutcome {
    pub name: String,
    pub time_ms: Option<SimTime>,
    pub verdicts: Vec<Verdict>,
}

/// The result of `lab check` for one lab.
pub struct LabOutcome {
    pub lab: String,
    pub trace_sha256: String,
    pub checkpoints: Vec<CheckpointOutcome>,
    /// The scenario's own `[[checks]]` expectations.
    pub scenario_checks: Vec<CheckVerdict>,
}

impl LabOutcome {
    /// One line per miss, naming the lab and the checkpoint.
    pub fn misses(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.checkpoints {
            match c.time_ms {
                None => {
                    out.push(format!("lab {}, checkpoint '{}': its event never happened in this run", self.lab, c.name))
                }
                Some(t) => {
                    for v in c.verdicts.iter().filter(|v| !v.ok) {
                        out.push(format!(
                            "lab {}, checkpoint '{}' (at {t} ms): expected `{}`, found {} (compared with {})",
                            self.lab, c.name, v.text, v.found, v.expected
                        ));
                    }
                }
            }
        }
        for v in self.scenario_checks.iter().filter(|v| !v.ok) {
            out.push(format!(
                "lab {}, scenario check {}: expected {:?}, found {:?} ({} finding(s))",
                self.lab, v.name, v.expect, v.found, v.count
            ));
        }
        out
    }

    pub fn expectations(&self) -> usize {
        self.checkpoints.iter().map(|c| c.verdicts.len()).sum()
    }
}

/// Evaluates every checkpoint of `lab` in `run`.
pub fn evaluate(lab: &Lab, run: &LabRun) -> LabOutcome {
    let evidence = run.evidence(lab);
    let times = locate(lab, &evidence);
    let checkpoints = lab
        .checkpoints
        .iter()
        .zip(&times)
        .map(|(c, found)| {
            let verdicts = match found {
                Some((_, state)) => c.expect.iter().map(|e| e.evaluate(&evidence, state)).collect(),
                None => Vec::new(),
            };
            CheckpointOutcome { name: c.name.clone(), time_ms: found.as_ref().map(|(t, _)| *t), verdicts }
        })
        .collect();
    LabOutcome {
        lab: lab.id.clone(),
        trace_sha256: run.report.trace_sha256.clone(),
        checkpoints,
        scenario_checks: run.report.verdicts.clone(),
    }
}

/// Runs a `[[compare]]` scenario and evaluates its expectations at its end.
pub fn run_comparison(comparison: &Comparison) -> Result<(LabRun, CheckpointOutcome), RunError> {
    let seed = comparison.scenario.seed.unwrap_or(1);
    let run = LabRun::execute(comparison.raw_scenario.clone(), comparison.scenario.clone(), seed)?;
    let evidence = Evidence::new(&run.report.history, &run.report.outcomes, &[], 1000);
    let end = run.report.history.meta.end_ms;
    let state = cluster_at(&run.report.history, end);
    let verdicts = comparison.expect.iter().map(|e| e.evaluate(&evidence, &state)).collect();
    let outcome = CheckpointOutcome { name: format!("compare: {}", comparison.name), time_ms: Some(end), verdicts };
    drop(evidence);
    Ok((run, outcome))
}

/// Runs the lab's scenario and checks every checkpoint's expectations, then its comparisons'.
pub fn check_lab(lab: &Lab) -> Result<LabOutcome, RunError> {
    let run = LabRun::execute(lab.raw_scenario.clone(), lab.scenario.clone(), lab_seed(lab))?;
    let mut outcome = evaluate(lab, &run);
    for comparison in &lab.comparisons {
        let (run, checkpoint) = run_comparison(comparison)?;
        outcome.checkpoints.push(checkpoint);
        outcome.scenario_checks.extend(
            run.report
                .verdicts
                .iter()
                .map(|v| CheckVerdict { name: format!("{} ({})", v.name, comparison.scenario.name), ..v.clone() }),
        );
    }
    Ok(outcome)
}

/// How `walk` runs.
pub struct WalkOptions {
    /// Wait at each checkpoint for Enter or a command.
    pub pause: bool,
    /// Where experiment files and plots go (`reports/`).
    pub reports_dir: PathBuf,
    /// Render the run's plots (for `plot:` views).
    pub plots: bool,
}

/// What a walk left behind: the experiment file, if the learner ran one, and its trace hash.
#[derive(Debug, Default)]
pub struct WalkSummary {
    pub experiment: Option<(PathBuf, String)>,
    pub checkpoints_shown: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{0}")]
    Run(#[from] RunError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

enum Action {
    Next,
    Quit,
    Experiment(Box<LabRun>, PathBuf),
}

const HELP: &str = "commands: Enter or `continue` (next checkpoint), `quit`, a view (describe, groups, \
producer-metrics, consumer-metrics, replicas, alerts, rebalances, checks), `timeline` (leader/ISR changes from here on), \
or a fault added at this checkpoint's time and re-run: ";

fn heading(lab: &Lab, run: &LabRun, experiment: bool) -> String {
    let what = if experiment { "your experiment" } else { "the lab's scenario" };
    format!(
        "seed: {}\nlab {}: {}\nrunning {what} `{}` to the end, then stepping through it; trace sha256: {}\n",
        run.seed, lab.id, lab.title, run.scenario.name, run.report.trace_sha256
    )
}

fn plots_dir(options: &WalkOptions, lab: &Lab, run: &LabRun, experiment: bool) -> Option<PathBuf> {
    if !options.plots || !lab.checkpoints.iter().any(|c| c.show.iter().any(|v| matches!(v, View::Plot(_)))) {
        return None;
    }
    let suffix = if experiment { "-experiment" } else { "" };
    let dir = options.reports_dir.join(format!("lab-{}{suffix}", lab.number())).join("plots");
    crate::report::render_plots(&run.report.history, &dir, &Default::default()).ok().map(|_| dir)
}

/// Steps through the lab's checkpoints, printing to `out` and (with `options.pause`) reading
/// commands from `input` at each. End of input continues without pausing.
pub fn walk(
    lab: &Lab,
    options: &WalkOptions,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<WalkSummary, WalkError> {
    let mut run = LabRun::execute(lab.raw_scenario.clone(), lab.scenario.clone(), lab_seed(lab))?;
    let mut experiment = false;
    let mut summary = WalkSummary::default();
    let mut pause = options.pause;
    write!(out, "{}", heading(lab, &run, false))?;
    let mut plots = plots_dir(options, lab, &run, false);
    let mut i = 0;
    let mut show = true;
    let mut quit = false;
    while i < lab.checkpoints.len() {
        let checkpoint = &lab.checkpoints[i];
        let action = {
            let evidence = run.evidence(lab);
            let mut found = locate(lab, &evidence);
            let Some((at, state)) = found.swap_remove(i) else {
                writeln!(
                    out,
                    "\n=== checkpoint {}/{}: {} — did not happen in this run ({:?})",
                    i + 1,
                    lab.checkpoints.len(),
                    checkpoint.name,
                    checkpoint.trigger
                )?;
                i += 1;
                continue;
            };
            if show {
                summary.checkpoints_shown += 1;
                show_checkpoint(lab, i, at, &evidence, &state, plots.as_deref(), experiment, out)?;
            }
            if !pause {
                Action::Next
            } else {
                prompt_loop(lab, &run, at, &evidence, &state, options, input, out, &mut pause)?
            }
        };
        match action {
            Action::Next => {
                i += 1;
                show = true;
            }
            Action::Quit => {
                quit = true;
                break;
            }
            Action::Experiment(new_run, path) => {
                run = *new_run;
                experiment = true;
                summary.experiment = Some((path, run.report.trace_sha256.clone()));
                plots = plots_dir(options, lab, &run, true);
                show = false;
            }
        }
    }
    if !quit {
        for comparison in &lab.comparisons {
            show_comparison(comparison, out)?;
            if pause {
                write!(out, "\n(Enter to continue) ")?;
                out.flush()?;
                let mut line = String::new();
                if input.read_line(&mut line)? == 0 {
                    pause = false;
                }
                if matches!(line.trim(), "q" | "quit" | "exit") {
                    break;
                }
            }
        }
    }
    writeln!(out, "\nend of lab {}.", lab.id)?;
    if let Some((path, hash)) = &summary.experiment {
        writeln!(
            out,
            "your experiment: {} (trace sha256 {hash})\nreplay: kafkasim run {}",
            path.display(),
            path.display()
        )?;
    }
    Ok(summary)
}

#[allow(clippy::too_many_arguments)]
fn show_checkpoint(
    lab: &Lab,
    i: usize,
    at: SimTime,
    evidence: &Evidence,
    state: &super::cluster_at::ClusterAt,
    plots: Option<&Path>,
    experiment: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let c = &lab.checkpoints[i];
    let when = match &c.trigger {
        Trigger::At(_) => String::new(),
        other => format!(" ({})", describe_trigger(other)),
    };
    writeln!(out, "\n=== checkpoint {}/{}: {} — at {at} ms{when}\n", i + 1, lab.checkpoints.len(), c.name)?;
    for view in &c.show {
        writeln!(out, "{}", render_view(view, evidence, state, plots))?;
    }
    writeln!(out, "{}\n", c.explain)?;
    if !c.expect.is_empty() {
        let label = if experiment { "the lab expects (in its own run; yours may differ)" } else { "expected state" };
        writeln!(out, "{label}:")?;
        for e in &c.expect {
            let v = e.evaluate(evidence, state);
            writeln!(out, "  [{}] {}  (found {})", if v.ok { "ok" } else { "differs" }, v.text, v.found)?;
        }
    }
    if let Some(q) = &c.question {
        writeln!(out, "\nquestion: {q}")?;
    }
    Ok(())
}

fn show_comparison(comparison: &Comparison, out: &mut dyn Write) -> Result<(), WalkError> {
    let (run, outcome) = run_comparison(comparison)?;
    let end = run.report.history.meta.end_ms;
    writeln!(
        out,
        "\n=== compare: {} — {} (seed {}, trace sha256 {}), at its end ({end} ms)\n",
        comparison.name,
        comparison.scenario_path.display(),
        run.seed,
        run.report.trace_sha256
    )?;
    let evidence = Evidence::new(&run.report.history, &run.report.outcomes, &[], 1000);
    let state = cluster_at(&run.report.history, end);
    for view in &comparison.show {
        writeln!(out, "{}", render_view(view, &evidence, &state, None))?;
    }
    writeln!(out, "{}\n", comparison.explain)?;
    if !outcome.verdicts.is_empty() {
        writeln!(out, "expected state:")?;
        for v in &outcome.verdicts {
            writeln!(out, "  [{}] {}  (found {})", if v.ok { "ok" } else { "differs" }, v.text, v.found)?;
        }
    }
    if let Some(q) = &comparison.question {
        writeln!(out, "\nquestion: {q}")?;
    }
    Ok(())
}

fn describe_trigger(trigger: &Trigger) -> String {
    match trigger {
        Trigger::At(t) => format!("at {t} ms"),
        Trigger::IsrShrinks(tp) => format!("the ISR of {tp} shrinks"),
        Trigger::IsrGrows(tp) => format!("the ISR of {tp} grows"),
        Trigger::LeavesIsr(b, tp) => format!("broker-{} leaves the ISR of {tp}", b.0),
        Trigger::RejoinsIsr(b, tp) => format!("broker-{} rejoins the ISR of {tp}", b.0),
        Trigger::LeaderChanges(tp) => format!("the leader of {tp} changes"),
        Trigger::UncleanElection => "an unclean leader election".into(),
        Trigger::Fault(k) => format!("a {k} fault"),
        Trigger::Phase(p) => format!("the {p} phase begins"),
        Trigger::ProduceError(e) => format!("a producer gets {e}"),
        Trigger::Truncation => "a replica truncates its log".into(),
        Trigger::Rebalance(g) => format!("group {g} completes a rebalance"),
        Trigger::LagExceeds(g, n) => format!("the lag of {g} exceeds {n}"),
        Trigger::AlertFires(a) => format!("alert {a} fires"),
    }
}

#[allow(clippy::too_many_arguments)]
fn prompt_loop(
    lab: &Lab,
    run: &LabRun,
    at: SimTime,
    evidence: &Evidence,
    state: &super::cluster_at::ClusterAt,
    options: &WalkOptions,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    pause: &mut bool,
) -> Result<Action, WalkError> {
    loop {
        write!(out, "\nlab {} @ {at} ms> ", lab.number())?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            // No more input (a pipe, or Ctrl-D): run straight through.
            *pause = false;
            writeln!(out)?;
            return Ok(Action::Next);
        }
        let line = line.trim();
        let view = match line {
            "" | "c" | "continue" | "next" => return Ok(Action::Next),
            "q" | "quit" | "exit" => return Ok(Action::Quit),
            "help" | "?" => {
                writeln!(out, "{HELP}{FAULT_COMMANDS}")?;
                continue;
            }
            "timeline" => {
                write!(out, "{}", render_partition_changes(evidence, at, run.report.history.meta.end_ms))?;
                continue;
            }
            "describe" => Some(View::Describe),
            "groups" => Some(View::Groups),
            "producer-metrics" => Some(View::ProducerMetrics),
            "consumer-metrics" => Some(View::ConsumerMetrics),
            "replicas" => Some(View::Replicas),
            "alerts" => Some(View::Alerts),
            "rebalances" => Some(View::Rebalances),
            "checks" => Some(View::Checks),
            _ => None,
        };
        if let Some(view) = view {
            writeln!(out, "{}", render_view(&view, evidence, state, None))?;
            continue;
        }
        match FaultCommand::parse(line, &run.scenario) {
            Ok(None) => writeln!(out, "unknown command `{line}`; {HELP}{FAULT_COMMANDS}")?,
            Err(message) => writeln!(out, "{message}")?,
            Ok(Some(command)) => {
                if at >= run.scenario.duration_ms {
                    writeln!(
                        out,
                        "this checkpoint ({at} ms) is after the workload phase (it ends at {} ms, then every fault is \
                         undone): add faults at an earlier checkpoint",
                        run.scenario.duration_ms
                    )?;
                    continue;
                }
                let path = options.reports_dir.join(format!("lab-{}-experiment.toml", lab.number()));
                let file = path.display().to_string();
                let (text, raw, scenario) = match add_fault(&run.raw, &lab.id, run.seed, &command, at, &file) {
                    Ok(parsed) => parsed,
                    Err(e) => {
                        writeln!(out, "{}", e.render())?;
                        continue;
                    }
                };
                std::fs::create_dir_all(&options.reports_dir)?;
                std::fs::write(&path, text)?;
                writeln!(
                    out,
                    "added `{line}` at {at} ms; re-running the lab's scenario with it (seed {})...",
                    run.seed
                )?;
                let new_run = LabRun::execute(raw, scenario, run.seed)?;
                writeln!(
                    out,
                    "wrote {file}\ntrace sha256: {}\nreplay: kafkasim run {file}",
                    new_run.report.trace_sha256
                )?;
                let new_evidence = new_run.evidence(lab);
                writeln!(out, "leader and ISR changes from {at} ms on, in your experiment:")?;
                write!(out, "{}", render_partition_changes(&new_evidence, at, new_run.report.history.meta.end_ms))?;
                writeln!(out, "(the checkpoints that follow now show your experiment)")?;
                drop(new_evidence);
                return Ok(Action::Experiment(Box::new(new_run), path));
            }
        }
    }
}
