//! The message-sequence (Lamport) diagram, as Maelstrom's `messages.svg`: one vertical lane per
//! process, time flowing down, one arrow per request or response from its send to its delivery.
//! Requests are blue, responses green; a lost message is red and dashed and ends in a cross where
//! it was lost; one still on the wire at the end runs off the bottom. A process that was down is
//! drawn as a thick red (crashed) or amber (paused) stretch of its lane; network partitions and
//! clogs are shaded across the diagram.
//!
//! It reads the messages a run recorded (`kafkasim run --messages FROM..TO`) and is bounded: past
//! [`DiagramOptions::max_arrows`] arrows it draws the first ones and says so on the diagram.

use super::faults::{fault_marks, FaultClass};
use crate::history::{Event, History, MessageOutcome, MessageRecord};
use crate::protocol::types::{NodeId, SimTime};
use html_escape::encode_text as text;
use std::fmt::Write;

/// Arrows drawn at most by default.
pub const DEFAULT_MAX_ARROWS: usize = 2_000;
/// Arrows are labelled with their API name only up to this many (past it the labels collide).
const LABELLED_ARROWS: usize = 400;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramOptions {
    /// `[from, to)` ms; default: the recorded window.
    pub window: Option<(SimTime, SimTime)>,
    /// Node names to draw (in this order); default: every node with a message in the window.
    pub nodes: Vec<String>,
    pub max_arrows: usize,
}

impl Default for DiagramOptions {
    fn default() -> Self {
        DiagramOptions { window: None, nodes: Vec::new(), max_arrows: DEFAULT_MAX_ARROWS }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiagramError {
    #[error("the history has no recorded messages: run the scenario with --messages FROM..TO")]
    NotRecorded,
    #[error("no node named {0:?} in this run")]
    UnknownNode(String),
    #[error("the window {0}..{1} ms is empty")]
    EmptyWindow(SimTime, SimTime),
}

/// A drawn diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagram {
    pub svg: String,
    pub title: String,
    /// What the diagram leaves out, said in words.
    pub notes: Vec<String>,
    pub arrows: usize,
}

const LANE_WIDTH: f64 = 150.0;
const LEFT: f64 = 90.0;
const TOP: f64 = 70.0;
const BOTTOM: f64 = 40.0;

fn lane_order(node: &NodeId) -> (u8, u32) {
    match node {
        NodeId::Controller(i) => (0, *i),
        NodeId::Broker(b) => (1, b.0),
        NodeId::Client(i) => (2, *i),
        NodeId::Supervisor => (3, 0),
    }
}

fn seconds(ms: f64) -> String {
    format!("{:.3} s", ms / 1000.0)
}

/// Down stretches of each lane inside the window: (node, from, to, crashed).
fn down_stretches(
    history: &History,
    lanes: &[NodeId],
    from: SimTime,
    to: SimTime,
) -> Vec<(NodeId, SimTime, SimTime, bool)> {
    let mut open: Vec<(NodeId, SimTime, bool)> = Vec::new();
    let mut out = Vec::new();
    for e in &history.entries {
        if e.time_ms >= to {
            break;
        }
        if !lanes.contains(&e.node) {
            continue;
        }
        match &e.event {
            Event::Crashed { .. } | Event::Paused => {
                let crashed = matches!(e.event, Event::Crashed { .. });
                if !open.iter().any(|(n, _, _)| *n == e.node) {
                    open.push((e.node, e.time_ms, crashed));
                }
            }
            Event::Restarted | Event::Resumed => {
                if let Some(i) = open.iter().position(|(n, _, _)| *n == e.node) {
                    let (node, start, crashed) = open.remove(i);
                    if e.time_ms > from {
                        out.push((node, start.max(from), e.time_ms, crashed));
                    }
                }
            }
            _ => {}
        }
    }
    out.extend(open.into_iter().map(|(node, start, crashed)| (node, start.max(from), to, crashed)));
    out
}

/// Draws the messages of `history` chosen by `options`.
pub fn render_diagram(history: &History, options: &DiagramOptions) -> Result<Diagram, DiagramError> {
    let log = history.messages.as_ref().ok_or(DiagramError::NotRecorded)?;
    let mut notes = Vec::new();
    let (from, to) = match options.window {
        Some((a, b)) => {
            let (ca, cb) = (a.max(log.from_ms), b.min(log.to_ms));
            if (ca, cb) != (a, b) {
                notes.push(format!(
                    "Messages were recorded from {} to {} only; the diagram shows that part of {}..{}.",
                    seconds(log.from_ms as f64),
                    seconds(log.to_ms as f64),
                    seconds(a as f64),
                    seconds(b as f64)
                ));
            }
            (ca, cb)
        }
        None => (log.from_ms, log.to_ms.min(history.meta.end_ms.max(log.from_ms + 1))),
    };
    if from >= to {
        return Err(DiagramError::EmptyWindow(from, to));
    }
    let mut wanted: Vec<NodeId> = Vec::new();
    for name in &options.nodes {
        let node = history
            .meta
            .nodes
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
            .ok_or_else(|| DiagramError::UnknownNode(name.clone()))?;
        wanted.push(node);
    }
    let chosen: Vec<&MessageRecord> = log
        .records
        .iter()
        .filter(|m| from <= m.sent_ms && m.sent_ms < to)
        .filter(|m| wanted.is_empty() || (wanted.contains(&m.from) && wanted.contains(&m.to)))
        .collect();
    let total = chosen.len();
    let shown: Vec<&MessageRecord> = chosen.into_iter().take(options.max_arrows).collect();
    if total > shown.len() {
        notes.push(format!(
            "Showing the first {} of {total} messages sent in the window: narrow it with --messages FROM..TO or choose nodes with --message-nodes.",
            shown.len()
        ));
    }
    if log.omitted > 0 {
        notes.push(format!("{} messages past the recording limit were not recorded.", log.omitted));
    }
    let mut lanes: Vec<NodeId> = if wanted.is_empty() {
        let mut lanes: Vec<NodeId> = shown.iter().flat_map(|m| [m.from, m.to]).collect();
        lanes.sort_by_key(lane_order);
        lanes.dedup();
        lanes
    } else {
        wanted.clone()
    };
    if lanes.is_empty() {
        lanes = history.meta.nodes.iter().map(|(id, _)| *id).filter(|id| *id != NodeId::Supervisor).collect();
        lanes.sort_by_key(lane_order);
        notes.push("No messages were sent in this window between these nodes.".to_string());
    }
    let lane_x = |node: NodeId| -> f64 {
        let i = lanes.iter().position(|n| *n == node).unwrap_or(0);
        LEFT + LANE_WIDTH * (i as f64 + 0.5)
    };
    let span = (to - from) as f64;
    let body_height = (shown.len() as f64 * 14.0).clamp(500.0, 14_000.0);
    let px_per_ms = body_height / span;
    let y = |t: SimTime| TOP + (t.saturating_sub(from)) as f64 * px_per_ms;
    let y_clamped = |t: SimTime| y(t.min(to));
    let width = LEFT + LANE_WIDTH * lanes.len() as f64 + 20.0;
    let height = TOP + body_height + BOTTOM;
    let title = format!(
        "{} message(s) sent from {} to {} between {}",
        shown.len(),
        seconds(from as f64),
        seconds(to as f64),
        lanes.iter().map(|n| history.node_name(*n)).collect::<Vec<_>>().join(", ")
    );

    let mut svg = String::with_capacity(256 * shown.len() + 8192);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n\
         <defs>\
         <marker id=\"req\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#2563eb\"/></marker>\
         <marker id=\"resp\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#059669\"/></marker>\
         </defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    // Partitions and clogs: bands across every lane.
    for interval in fault_marks(history).intervals {
        if !matches!(interval.class, FaultClass::Partition | FaultClass::Clog)
            || interval.end_ms <= from
            || interval.start_ms >= to
        {
            continue;
        }
        let (y0, y1) = (y(interval.start_ms.max(from)), y_clamped(interval.end_ms));
        let _ = writeln!(
            svg,
            "<rect x=\"{LEFT}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#a855f7\" fill-opacity=\"0.10\"><title>{}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#7e22ce\" text-anchor=\"end\">{}</text>",
            LANE_WIDTH * lanes.len() as f64,
            (y1 - y0).max(1.0),
            text(&interval.label),
            width - 24.0,
            y0 + 12.0,
            text(&interval.label)
        );
    }
    // Time ticks.
    let step = nice_step(span / (body_height / 60.0));
    let mut t = (from as f64 / step).ceil() * step;
    while t < to as f64 {
        let ty = TOP + (t - from as f64) * px_per_ms;
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\" stroke=\"#eef0f3\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#6b7280\" text-anchor=\"end\">{}</text>",
            LEFT,
            width - 20.0,
            LEFT - 6.0,
            ty + 4.0,
            seconds(t)
        );
        t += step;
    }
    // Lanes and their names.
    for node in &lanes {
        let x = lane_x(*node);
        let name = history.node_name(*node);
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#9ca3af\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"13\">{}</text>",
            TOP - 8.0,
            TOP + body_height,
            TOP - 16.0,
            text(&name)
        );
    }
    for (node, start, end, crashed) in down_stretches(history, &lanes, from, to) {
        let x = lane_x(node);
        let (color, what) = if crashed { ("#dc2626", "down") } else { ("#f59e0b", "paused") };
        let (y0, y1) = (y(start), y_clamped(end));
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{y0:.1}\" width=\"8\" height=\"{:.1}\" fill=\"{color}\" fill-opacity=\"0.8\"><title>{} {what} from {} to {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{color}\" font-weight=\"bold\">{what}</text>",
            x - 4.0,
            (y1 - y0).max(2.0),
            text(&history.node_name(node)),
            seconds(start as f64),
            seconds(end as f64),
            x + 7.0,
            y0 + 12.0
        );
    }
    // The arrows.
    let label = shown.len() <= LABELLED_ARROWS;
    for m in &shown {
        let (x0, y0) = (lane_x(m.from), y(m.sent_ms));
        let (end_ms, color, dash, marker, fate) = match &m.outcome {
            MessageOutcome::Delivered { at_ms } => {
                let (color, marker) = if m.request { ("#2563eb", "req") } else { ("#059669", "resp") };
                (Some(*at_ms), color, "", Some(marker), format!("delivered {}", seconds(*at_ms as f64)))
            }
            MessageOutcome::Dropped { at_ms, reason } => (
                Some(*at_ms),
                "#dc2626",
                " stroke-dasharray=\"5,3\"",
                None,
                format!("lost {}: {reason}", seconds(*at_ms as f64)),
            ),
            MessageOutcome::InFlight => {
                (None, "#6b7280", " stroke-dasharray=\"2,3\"", None, "still in flight at the end".to_string())
            }
        };
        let x1_full = lane_x(m.to);
        let (x1, y1) = match end_ms {
            Some(t) if t < to => (x1_full, y(t)),
            // Past the window's end: the arrow leaves the bottom on its way.
            Some(t) => {
                let frac = ((to - m.sent_ms) as f64 / (t - m.sent_ms).max(1) as f64).clamp(0.0, 1.0);
                (x0 + (x1_full - x0) * frac, y(to))
            }
            None => ((x0 + x1_full) / 2.0, y(to)),
        };
        let kind = if m.request { "request" } else { "response" };
        let tooltip = format!(
            "{} {kind} #{} {} → {}, {} B, sent {}, {fate}",
            m.api,
            m.correlation_id,
            history.node_name(m.from),
            history.node_name(m.to),
            m.size_bytes,
            seconds(m.sent_ms as f64)
        );
        let marker = marker.map(|id| format!(" marker-end=\"url(#{id})\"")).unwrap_or_default();
        let _ = write!(
            svg,
            "<g><title>{}</title><line x1=\"{x0:.1}\" y1=\"{y0:.1}\" x2=\"{x1:.1}\" y2=\"{y1:.1}\" stroke=\"{color}\" stroke-width=\"1.2\"{dash}{marker}/>",
            text(&tooltip)
        );
        if matches!(m.outcome, MessageOutcome::Dropped { .. }) && end_ms.is_some_and(|t| t < to) {
            let _ = write!(
                svg,
                "<path d=\"M{:.1},{:.1} l8,8 M{:.1},{:.1} l-8,8\" stroke=\"#dc2626\" stroke-width=\"2\"/>",
                x1 - 4.0,
                y1 - 4.0,
                x1 + 4.0,
                y1 - 4.0
            );
        }
        if label {
            let (lx, ly) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0 - 3.0);
            let _ = write!(
                svg,
                "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"9\" fill=\"{color}\">{}</text>",
                text(&m.api)
            );
        }
        svg.push_str("</g>\n");
    }
    // Title and notes on the diagram itself.
    let _ = writeln!(svg, "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text>", text(&title));
    for (i, note) in notes.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"10\" y=\"{}\" font-size=\"11\" fill=\"#b45309\">{}</text>",
            34 + 13 * i,
            text(note)
        );
    }
    svg.push_str("</svg>\n");
    Ok(Diagram { svg, title, notes, arrows: shown.len() })
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let raw = raw.max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power)
}

/// Parses a window `FROM..TO`: times in ms, or with a unit `ms` or `s` (`19.5s..21s`).
pub fn parse_window(text: &str) -> Result<(SimTime, SimTime), String> {
    fn time(part: &str) -> Result<SimTime, String> {
        let part = part.trim();
        let (number, scale) = if let Some(n) = part.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = part.strip_suffix('s') {
            (n, 1000.0)
        } else {
            (part, 1.0)
        };
        let value: f64 =
            number.trim().parse().map_err(|_| format!("{part:?} is not a time (e.g. 20000, 20000ms or 20s)"))?;
        if !(value >= 0.0 && value.is_finite()) {
            return Err(format!("{part:?} is not a time (e.g. 20000, 20000ms or 20s)"));
        }
        Ok((value * scale).round() as SimTime)
    }
    let (a, b) = text.split_once("..").ok_or_else(|| format!("{text:?} is not a window FROM..TO (e.g. 19s..21s)"))?;
    let (from, to) = (time(a)?, time(b)?);
    if from >= to {
        return Err(format!("the window {text:?} is empty: FROM must be before TO"));
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Entry, MessageLog};

    #[test]
    fn windows_parse_in_ms_or_seconds() {
        assert_eq!(parse_window("19000..21000"), Ok((19_000, 21_000)));
        assert_eq!(parse_window("19.5s..21s"), Ok((19_500, 21_000)));
        assert_eq!(parse_window("100ms..2s"), Ok((100, 2_000)));
        assert!(parse_window("21s..19s").is_err());
        assert!(parse_window("abc").is_err());
        assert!(parse_window("1..x").is_err());
    }

    fn record(from: NodeId, to: NodeId, sent_ms: SimTime, outcome: MessageOutcome) -> MessageRecord {
        MessageRecord {
            from,
            to,
            api: "Fetch<&>".into(),
            request: true,
            correlation_id: 1,
            size_bytes: 10,
            sent_ms,
            outcome,
        }
    }

    fn history(messages: usize) -> History {
        let mut h = History::default();
        h.meta.end_ms = 1_000;
        h.meta.nodes = vec![(NodeId::broker(1), "broker-<1>".into()), (NodeId::Client(0), "p1".into())];
        let mut log = MessageLog::new(0, 1_000);
        for i in 0..messages {
            let at = (i % 900) as SimTime;
            log.records.push(record(
                NodeId::Client(0),
                NodeId::broker(1),
                at,
                MessageOutcome::Delivered { at_ms: at + 3 },
            ));
        }
        log.records.push(record(
            NodeId::broker(1),
            NodeId::Client(0),
            500,
            MessageOutcome::Dropped { at_ms: 502, reason: "connection reset".into() },
        ));
        h.messages = Some(log);
        h.entries.push(Entry {
            time_ms: 400,
            node: NodeId::broker(1),
            event: Event::Crashed { lose_unflushed: false },
        });
        h
    }

    #[test]
    fn the_diagram_draws_lanes_arrows_and_faults_escaped() {
        let d = render_diagram(&history(3), &DiagramOptions::default()).unwrap();
        assert_eq!(d.arrows, 4);
        assert!(d.notes.is_empty());
        assert!(d.svg.contains("broker-&lt;1&gt;") && !d.svg.contains("broker-<1>"));
        assert!(d.svg.contains("Fetch&lt;&amp;&gt;"));
        assert!(d.svg.contains(">down</text>"), "the crash is drawn");
        assert!(d.svg.contains("stroke-dasharray"), "the lost message is dashed");
    }

    #[test]
    fn the_diagram_is_bounded_and_says_so() {
        let options = DiagramOptions { max_arrows: 50, ..DiagramOptions::default() };
        let d = render_diagram(&history(500), &options).unwrap();
        assert_eq!(d.arrows, 50);
        assert!(d.notes[0].contains("first 50 of 501"), "{:?}", d.notes);
        assert!(d.svg.contains("first 50 of 501"));
        assert_eq!(render_diagram(&History::default(), &options), Err(DiagramError::NotRecorded));
        let unknown = DiagramOptions { nodes: vec!["nope".into()], ..DiagramOptions::default() };
        assert_eq!(render_diagram(&history(1), &unknown), Err(DiagramError::UnknownNode("nope".into())));
    }
}
