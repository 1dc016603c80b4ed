//! Fault intervals: the shaded bands every time plot draws, so a reader sees what the cluster
//! went through while a curve bent (Jepsen shades its nemesis intervals the same way).
//!
//! The history records each applied fault as `Event::Fault { kind, detail }`, where `detail`
//! names the resolved node(s), e.g. `broker-2 crashed`, `broker-2 (leader:orders-0) crashed`,
//! `broker-1 -> broker-3 clogged`, `network partitioned: broker-1 | broker-2 broker-3`. Faults
//! are paired into intervals: `crash`/`restart` and `pause`/`resume` on the same node (the first
//! word of `detail`), `clog`/`unclog` on the same link, and `partition` until `heal` (or the
//! next `partition`, which replaces it); `heal` also ends every clog. A fault that never ends
//! lasts until the workload ends (`meta.workload_end_ms`), when the simulator undoes every fault.
//! Faults the simulator reports as no-ops (`was already down`, `was not paused`, ...) and the
//! undo steps of the settle phase (`detail` starting with `settle:`) open nothing. Faults that
//! change the network "from now on" (`latency`, `loss`, `slow-consumer`) are instants.

use crate::history::{Event, History};
use crate::protocol::types::SimTime;
use std::collections::BTreeMap;

/// What kind of trouble an interval is; each class has its own shade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultClass {
    Crash,
    Pause,
    Partition,
    Clog,
}

impl FaultClass {
    pub const ALL: [FaultClass; 4] = [FaultClass::Crash, FaultClass::Pause, FaultClass::Partition, FaultClass::Clog];

    pub fn name(self) -> &'static str {
        match self {
            FaultClass::Crash => "crash",
            FaultClass::Pause => "pause",
            FaultClass::Partition => "partition",
            FaultClass::Clog => "clog",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultInterval {
    pub class: FaultClass,
    /// What the band is labelled with, e.g. `crash broker-2`.
    pub label: String,
    pub start_ms: SimTime,
    pub end_ms: SimTime,
    /// False when no matching end was recorded and the interval was closed at the workload end.
    pub ended: bool,
}

/// Everything a time plot marks besides its data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultMarks {
    /// Ordered by start time.
    pub intervals: Vec<FaultInterval>,
    /// Faults without an end (`latency`, `loss`, `slow-consumer`): (time, label).
    pub instants: Vec<(SimTime, String)>,
    /// When the settle phase began (`Event::Phase { name: "settle" }`).
    pub settle_ms: Option<SimTime>,
}

impl FaultMarks {
    pub fn classes(&self) -> Vec<FaultClass> {
        FaultClass::ALL.into_iter().filter(|class| self.intervals.iter().any(|i| i.class == *class)).collect()
    }
}

/// Details the simulator writes when a fault changed nothing.
const NO_OP_MARKERS: [&str; 5] =
    ["was already down", "was not crashed", "was not running", "was not paused", "no such node"];

pub fn fault_marks(history: &History) -> FaultMarks {
    let last_entry_ms = history.entries.last().map_or(0, |e| e.time_ms);
    let run_end_ms = history.meta.end_ms.max(last_entry_ms);
    let workload_end_ms = if history.meta.workload_end_ms > 0 { history.meta.workload_end_ms } else { run_end_ms };

    let mut marks = FaultMarks::default();
    // (class, key) -> (start, label)
    let mut open: BTreeMap<(FaultClass, String), (SimTime, String)> = BTreeMap::new();
    let mut intervals = Vec::new();
    let mut close =
        |open: &mut BTreeMap<(FaultClass, String), (SimTime, String)>, key: &(FaultClass, String), end_ms: SimTime| {
            if let Some((start_ms, label)) = open.remove(key) {
                intervals.push(FaultInterval { class: key.0, label, start_ms, end_ms, ended: true });
            }
        };

    for entry in &history.entries {
        let (kind, detail) = match &entry.event {
            Event::Phase { name } if name == "settle" => {
                marks.settle_ms.get_or_insert(entry.time_ms);
                continue;
            }
            Event::Fault { kind, detail } => (kind.as_str(), detail.as_str()),
            _ => continue,
        };
        let now = entry.time_ms;
        let (settling, detail) = match detail.strip_prefix("settle:") {
            Some(rest) => (true, rest.trim()),
            None => (false, detail.trim()),
        };
        if NO_OP_MARKERS.iter().any(|m| detail.contains(m)) {
            continue;
        }
        let node = detail.split_whitespace().next().unwrap_or("").to_string();
        match kind {
            "crash" | "pause" if !settling => {
                let class = if kind == "crash" { FaultClass::Crash } else { FaultClass::Pause };
                let label =
                    if detail.contains("lost power") { format!("power loss {node}") } else { format!("{kind} {node}") };
                open.entry((class, node)).or_insert((now, label));
            }
            "restart" => close(&mut open, &(FaultClass::Crash, node), now),
            "resume" => close(&mut open, &(FaultClass::Pause, node), now),
            "partition" if !settling => {
                close(&mut open, &(FaultClass::Partition, String::new()), now);
                let groups = detail
                    .trim_start_matches("network partitioned:")
                    .trim_end_matches("| everyone else with the last group")
                    .trim();
                open.insert((FaultClass::Partition, String::new()), (now, format!("partition {groups}")));
            }
            "clog" if !settling => {
                let link = detail.trim_end_matches("clogged").trim().to_string();
                open.entry((FaultClass::Clog, link.clone())).or_insert((now, format!("clog {link}")));
            }
            "unclog" => {
                let link = detail.trim_end_matches("unclogged").trim().to_string();
                close(&mut open, &(FaultClass::Clog, link), now);
            }
            "heal" => {
                let network: Vec<_> = open
                    .keys()
                    .filter(|(class, _)| matches!(class, FaultClass::Partition | FaultClass::Clog))
                    .cloned()
                    .collect();
                for key in network {
                    close(&mut open, &key, now);
                }
            }
            _ if !settling => marks.instants.push((now, format!("{kind}: {detail}"))),
            _ => {}
        }
    }
    for ((class, _), (start_ms, label)) in open {
        let end_ms = if workload_end_ms > start_ms { workload_end_ms } else { run_end_ms };
        intervals.push(FaultInterval { class, label, start_ms, end_ms, ended: false });
    }
    intervals.sort_by(|a, b| (a.start_ms, &a.label).cmp(&(b.start_ms, &b.label)));
    marks.intervals = intervals;
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Entry, RunMeta};
    use crate::protocol::types::NodeId;

    fn fault(time_ms: SimTime, kind: &str, detail: &str) -> Entry {
        Entry { time_ms, node: NodeId::Controller(0), event: Event::Fault { kind: kind.into(), detail: detail.into() } }
    }

    #[test]
    fn faults_pair_into_intervals() {
        let history = History {
            meta: RunMeta { workload_end_ms: 60_000, end_ms: 90_000, ..RunMeta::default() },
            entries: vec![
                fault(1_000, "crash", "broker-2 (leader:orders-0) crashed"),
                fault(2_000, "pause", "broker-3 paused"),
                fault(
                    3_000,
                    "partition",
                    "network partitioned: broker-1 | broker-2 broker-3 | everyone else with the last group",
                ),
                fault(4_000, "clog", "broker-1 -> broker-3 clogged"),
                fault(5_000, "restart", "broker-2 restarted"),
                fault(5_500, "restart", "broker-2 was not crashed"),
                fault(6_000, "heal", "network healed"),
                fault(7_000, "latency", "latency now 50..100 ms"),
                fault(8_000, "crash", "broker-1 lost power (unflushed data lost)"),
                Entry { time_ms: 60_000, node: NodeId::Controller(0), event: Event::Phase { name: "settle".into() } },
                fault(60_000, "resume", "settle: broker-3 resumed"),
                fault(60_000, "restart", "settle: broker-1 restarted"),
            ],
            ..History::default()
        };
        let marks = fault_marks(&history);
        let got: Vec<_> =
            marks.intervals.iter().map(|i| (i.class, i.label.as_str(), i.start_ms, i.end_ms, i.ended)).collect();
        assert_eq!(
            got,
            vec![
                (FaultClass::Crash, "crash broker-2", 1_000, 5_000, true),
                (FaultClass::Pause, "pause broker-3", 2_000, 60_000, true),
                (FaultClass::Partition, "partition broker-1 | broker-2 broker-3", 3_000, 6_000, true),
                (FaultClass::Clog, "clog broker-1 -> broker-3", 4_000, 6_000, true),
                (FaultClass::Crash, "power loss broker-1", 8_000, 60_000, true),
            ]
        );
        assert_eq!(marks.instants, vec![(7_000, "latency: latency now 50..100 ms".to_string())]);
        assert_eq!(marks.settle_ms, Some(60_000));
    }

    #[test]
    fn a_fault_without_an_end_lasts_until_the_workload_ends() {
        let history = History {
            meta: RunMeta { workload_end_ms: 30_000, end_ms: 40_000, ..RunMeta::default() },
            entries: vec![fault(10_000, "crash", "broker-2 crashed")],
            ..History::default()
        };
        let interval = &fault_marks(&history).intervals[0];
        assert_eq!((interval.start_ms, interval.end_ms, interval.ended), (10_000, 30_000, false));
    }
}
