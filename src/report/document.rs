//! The run report as data: everything `report.html` and `summary.md` show, gathered before either
//! is rendered, so that both say the same thing. Built from the History (and, when known, the
//! scenario's description and expectations); the Kafka-CLI views come rendered from `lab/`.

use crate::check::{CheckOutcome, CheckVerdict, Finding};
use crate::history::{Election, Event, History, TruncationCause};
use crate::protocol::types::{BrokerId, NodeId, SimTime};
use crate::scenario::Expect;

/// Findings shown per check; the rest are counted.
pub const FINDINGS_SHOWN: usize = 5;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunDocument {
    pub scenario: String,
    pub description: String,
    pub seed: u64,
    /// The command that replays the run.
    pub replay: String,
    pub trace_sha256: String,
    /// Whether every listed check met its expectation (None: no expectations known).
    pub ok: Option<bool>,
    /// Short facts: records sent, simulated time, ...
    pub facts: Vec<(String, String)>,
    pub config: RunConfig,
    pub faults: Vec<FaultLine>,
    pub checks: Vec<CheckSection>,
    pub plots: Vec<PlotView>,
    pub messages: Option<DiagramView>,
    /// Kafka-CLI views (`kafka-topics --describe`, ...), shown last.
    pub tables: Vec<CliView>,
}

/// The cluster and workload, as the history's metadata records them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunConfig {
    pub brokers: Vec<String>,
    pub controllers: Vec<String>,
    /// (name, partitions, replication factor, non-default configs)
    pub topics: Vec<(String, i32, i32, String)>,
    /// (name, summary)
    pub producers: Vec<(String, String)>,
    /// (group, members as (name, summary)); members outside a group are under "-".
    pub groups: Vec<(String, Vec<(String, String)>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultLine {
    pub time_ms: SimTime,
    pub kind: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckSection {
    pub name: String,
    /// "none", "some" or "-".
    pub expect: String,
    pub found: String,
    pub count: usize,
    /// "ok", "FAIL" or "" (no expectation).
    pub result: String,
    pub not_applicable: Option<String>,
    /// The first findings (at most [`FINDINGS_SHOWN`]).
    pub findings: Vec<Finding>,
    /// How many more were found than are shown.
    pub more: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlotView {
    pub name: String,
    pub title: String,
    /// The SVG document, embedded as a data: URI.
    pub svg: String,
    pub svg_file: String,
    pub png_file: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramView {
    pub title: String,
    pub svg: String,
    pub svg_file: String,
    /// Why the diagram shows less than asked, or what it could not show.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliView {
    pub title: String,
    /// The command line the view imitates, e.g. `kafka-topics.sh ... --describe` (empty when
    /// Kafka has no such command).
    pub command: String,
    pub text: String,
}

fn expect_name(expect: Option<Expect>) -> &'static str {
    match expect {
        Some(Expect::None) => "none",
        Some(Expect::Some) => "some",
        None => "-",
    }
}

/// One section per check, in the checks' order.
pub fn check_sections(outcomes: &[CheckOutcome], verdicts: &[CheckVerdict]) -> Vec<CheckSection> {
    outcomes
        .iter()
        .map(|outcome| {
            let verdict = verdicts.iter().find(|v| v.name == outcome.name);
            let expect = verdict.and_then(|v| v.expect);
            let result = match (expect, verdict.map(|v| v.ok)) {
                (None, _) | (_, None) => "",
                (_, Some(true)) => "ok",
                (_, Some(false)) => "FAIL",
            };
            let findings: Vec<Finding> = outcome.findings.iter().take(FINDINGS_SHOWN).cloned().collect();
            CheckSection {
                name: outcome.name.clone(),
                expect: expect_name(expect).to_string(),
                found: if outcome.count > 0 { "some" } else { "none" }.to_string(),
                count: outcome.count,
                result: result.to_string(),
                not_applicable: outcome.not_applicable.clone(),
                more: outcome.count.saturating_sub(findings.len()),
                findings,
            }
        })
        .collect()
}

/// Rows of cluster events kept in the timeline at most (besides the faults).
pub const CLUSTER_EVENTS_SHOWN: usize = 60;

/// The faults as they fired (the settle phase's undo steps included), with what the cluster did
/// about them that can lose data: unclean leader elections, truncations that removed records,
/// brokers fenced and unfenced. Elections of internal topics (`__consumer_offsets`) at one
/// instant are summed up in one row.
pub fn fault_lines(history: &History) -> Vec<FaultLine> {
    let mut lines = Vec::new();
    let mut cluster_rows = 0;
    let mut internal: Option<(SimTime, usize)> = None;
    // A broker's first unfencing (its registration) is routine; only a return after fencing shows.
    let mut ever_fenced: Vec<BrokerId> = Vec::new();
    let flush_internal = |lines: &mut Vec<FaultLine>, internal: &mut Option<(SimTime, usize)>| {
        if let Some((time_ms, n)) = internal.take() {
            let detail = format!("{n} partition(s) of internal topics got a leader from outside their ISR");
            lines.push(FaultLine { time_ms, kind: "unclean election".into(), detail });
        }
    };
    for e in &history.entries {
        if internal.is_some_and(|(t, _)| t != e.time_ms) {
            flush_internal(&mut lines, &mut internal);
        }
        let line = match &e.event {
            Event::Fault { kind, detail } => {
                Some(FaultLine { time_ms: e.time_ms, kind: kind.clone(), detail: detail.clone() })
            }
            _ if cluster_rows >= CLUSTER_EVENTS_SHOWN => None,
            Event::PartitionChanged { tp, leader, leader_epoch, isr, election: Some(Election::Unclean), .. } => {
                if tp.topic.starts_with("__") {
                    internal = Some((e.time_ms, internal.map_or(0, |(_, n)| n) + 1));
                    None
                } else {
                    let leader = leader.map_or("none".to_string(), |b| history.node_name(NodeId::Broker(b)));
                    let isr: Vec<String> = isr.iter().map(|b| b.0.to_string()).collect();
                    let detail = format!(
                        "{tp}: {} made {leader} leader (epoch {}) from outside the ISR, which is now [{}]: records only the old ISR held are lost",
                        history.node_name(e.node),
                        leader_epoch,
                        isr.join(",")
                    );
                    Some(FaultLine { time_ms: e.time_ms, kind: "unclean election".into(), detail })
                }
            }
            Event::Truncated { tp, offset, removed, cause } if !removed.is_empty() => {
                let detail = format!(
                    "{} truncated {tp} to offset {offset}: removed {} record(s) ({})",
                    history.node_name(e.node),
                    removed.len(),
                    match cause {
                        TruncationCause::LeaderEpoch => "by leader epoch, after a leader change",
                        TruncationCause::DivergingEpoch => "a diverging epoch in a fetch response",
                        TruncationCause::HighWatermark => "to its high watermark, before KIP-101",
                        TruncationCause::PowerLoss => "a power loss took what was never flushed",
                    }
                );
                Some(FaultLine { time_ms: e.time_ms, kind: "truncation".into(), detail })
            }
            Event::LogTruncationDetected { tp, position, diverging_offset } => {
                let detail = format!(
                    "{} found {tp} truncated under its position {position} (KIP-320) and reads on from offset {diverging_offset}",
                    history.node_name(e.node)
                );
                Some(FaultLine { time_ms: e.time_ms, kind: "truncation detected".into(), detail })
            }
            Event::BrokerFenced { broker, fenced } if *fenced || ever_fenced.contains(broker) => {
                ever_fenced.push(*broker);
                let what = if *fenced { "fenced" } else { "unfenced" };
                let detail =
                    format!("{} {what} {}", history.node_name(e.node), history.node_name(NodeId::Broker(*broker)));
                Some(FaultLine { time_ms: e.time_ms, kind: what.into(), detail })
            }
            _ => None,
        };
        if let Some(line) = line {
            if !matches!(e.event, Event::Fault { .. }) {
                cluster_rows += 1;
            }
            lines.push(line);
        }
    }
    flush_internal(&mut lines, &mut internal);
    lines
}

/// The cluster and workload from the history's metadata.
pub fn run_config(history: &History) -> RunConfig {
    let meta = &history.meta;
    let named = |keep: fn(&NodeId) -> bool| -> Vec<String> {
        meta.nodes.iter().filter(|(id, _)| keep(id)).map(|(_, name)| name.clone()).collect()
    };
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for consumer in &meta.consumers {
        let group = consumer.group.clone().unwrap_or_else(|| "-".to_string());
        let member = (consumer.name.clone(), consumer.summary.clone());
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(member),
            None => groups.push((group, vec![member])),
        }
    }
    RunConfig {
        brokers: named(|id| matches!(id, NodeId::Broker(_))),
        controllers: named(|id| matches!(id, NodeId::Controller(_))),
        topics: meta
            .topics
            .iter()
            .map(|t| {
                let configs: Vec<String> = t.configs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                (t.name.to_string(), t.partitions, t.replication_factor, configs.join(","))
            })
            .collect(),
        producers: meta.producers.iter().map(|p| (p.name.clone(), p.summary.clone())).collect(),
        groups,
    }
}

/// A time in seconds, as the report prints it.
pub fn seconds(ms: SimTime) -> String {
    format!("{:.3} s", ms as f64 / 1000.0)
}

/// A finding's details besides its message: "partition orders-0 · offsets 3, 4 · ...".
pub fn finding_details(finding: &Finding) -> Vec<(&'static str, String)> {
    fn list<T: ToString>(items: &[T]) -> String {
        const SHOWN: usize = 12;
        let mut parts: Vec<String> = items.iter().take(SHOWN).map(T::to_string).collect();
        if items.len() > SHOWN {
            parts.push(format!("… {} more", items.len() - SHOWN));
        }
        parts.join(", ")
    }
    let mut details = Vec::new();
    if let Some(tp) = &finding.tp {
        details.push(("partition", tp.to_string()));
    }
    if !finding.offsets.is_empty() {
        details.push(("offsets", list(&finding.offsets)));
    }
    if !finding.values.is_empty() {
        details.push(("values", list(&finding.values)));
    }
    if !finding.nodes.is_empty() {
        details.push(("nodes", list(&finding.nodes)));
    }
    details
}
