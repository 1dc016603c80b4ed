//! When a checkpoint happens: at a simulated time, or at the first moment after the previous
//! checkpoint when something happens in the recorded run ("ISR of orders-0 shrinks", "broker-2
//! rejoins the ISR of orders-0", "lag of analytics exceeds 1000"). Events are found by scanning
//! the History, so a learner's experiment (another fault, another run) moves the checkpoint to
//! wherever the event now happens — or reports that it never did.

use super::alerts::AlertTimeline;
use super::cluster_at::{cluster_at, ClusterAt, ClusterFold};
use super::names::LabNames;
use crate::history::{Election, Event, History};
use crate::protocol::types::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    At(SimTime),
    IsrShrinks(TopicPartition),
    IsrGrows(TopicPartition),
    LeavesIsr(BrokerId, TopicPartition),
    RejoinsIsr(BrokerId, TopicPartition),
    LeaderChanges(TopicPartition),
    UncleanElection,
    /// A fault of this kind from the schedule is applied.
    Fault(String),
    /// The run enters a phase: workload, settle, quiet, end.
    Phase(String),
    /// A producer gets this error from a leader.
    ProduceError(String),
    /// A replica truncates its log.
    Truncation,
    Rebalance(String),
    LagExceeds(String, Offset),
    AlertFires(String),
}

pub const TRIGGER_FORMS: &str = "ISR of T-P shrinks | ISR of T-P grows | broker-N leaves the ISR of T-P | \
broker-N rejoins the ISR of T-P | leader of T-P changes | unclean election | fault KIND | phase NAME | \
error KAFKA_ERROR | truncation | rebalance of GROUP | lag of GROUP exceeds N | alert NAME fires";

impl Trigger {
    /// Parses the `when` of a checkpoint.
    pub fn parse(text: &str, names: &LabNames) -> Result<Trigger, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let l: Vec<&str> = lower.iter().map(String::as_str).collect();
        let trigger = match l.as_slice() {
            ["isr", "of", _, "shrinks"] => Trigger::IsrShrinks(names.partition(words[2])?),
            ["isr", "of", _, "grows"] => Trigger::IsrGrows(names.partition(words[2])?),
            [_, "leaves", "the", "isr", "of", _] => {
                Trigger::LeavesIsr(names.broker(words[0])?, names.partition(words[5])?)
            }
            [_, "rejoins", "the", "isr", "of", _] => {
                Trigger::RejoinsIsr(names.broker(words[0])?, names.partition(words[5])?)
            }
            ["leader", "of", _, "changes"] => Trigger::LeaderChanges(names.partition(words[2])?),
            ["unclean", "election"] => Trigger::UncleanElection,
            ["fault", kind] => Trigger::Fault(kind.to_string()),
            ["phase", phase @ ("workload" | "settle" | "quiet" | "end")] => Trigger::Phase(phase.to_string()),
            ["error", _] => {
                let name = words[1].to_ascii_uppercase();
                if !crate::protocol::errors::ErrorCode::ALL.iter().any(|e| e.name() == name) {
                    return Err(format!("`{}` is not a Kafka error name (e.g. NOT_ENOUGH_REPLICAS)", words[1]));
                }
                Trigger::ProduceError(name)
            }
            ["truncation"] => Trigger::Truncation,
            ["rebalance", "of", _] => Trigger::Rebalance(names.group(words[2])?),
            ["lag", "of", _, "exceeds", n] => Trigger::LagExceeds(
                names.group(words[2])?,
                n.parse().map_err(|_| format!("`{n}` is not a number of records"))?,
            ),
            ["alert", _, "fires"] => Trigger::AlertFires(names.alert(words[1])?),
            _ => return Err(format!("unknown checkpoint event `{text}`; one of: {TRIGGER_FORMS}")),
        };
        Ok(trigger)
    }
}

/// Walks a History once for a lab's checkpoints, in order: each search continues where the
/// previous checkpoint was found, with the cluster state folded so far (one pass in all).
pub struct Scanner<'h> {
    fold: ClusterFold<'h>,
    /// The next entry to look at.
    next: usize,
}

impl<'h> Scanner<'h> {
    pub fn new(history: &'h History) -> Scanner<'h> {
        Scanner { fold: ClusterFold::new(history), next: 0 }
    }

    fn apply_next(&mut self) {
        let entry = &self.fold.history().entries[self.next];
        self.fold.apply(entry);
        self.next += 1;
    }

    /// The state as of `time_ms`: everything stamped at or before it, including entries at the
    /// same millisecond after the one that triggered (without moving the search past them).
    fn snapshot(&self, time_ms: SimTime) -> ClusterAt {
        let mut fold = self.fold.clone();
        let entries = &self.fold.history().entries;
        for entry in entries[self.next..].iter().take_while(|e| e.time_ms <= time_ms) {
            fold.apply(entry);
        }
        fold.state.time_ms = time_ms;
        fold.state
    }

    /// The next moment `trigger` happens, with the cluster state then; None if it never does.
    pub fn find(&mut self, trigger: &Trigger, alerts: &AlertTimeline) -> Option<(SimTime, ClusterAt)> {
        let history = self.fold.history();
        let entries = &history.entries;
        let at = match trigger {
            Trigger::At(t) => Some(*t),
            Trigger::AlertFires(name) => Some(alerts.first_firing(name, self.fold.state.time_ms)?),
            _ => None,
        };
        if let Some(t) = at {
            if t < self.fold.state.time_ms {
                // Listed after a later checkpoint: look back without moving the scan.
                return Some((t, cluster_at(history, t)));
            }
            while self.next < entries.len() && entries[self.next].time_ms <= t {
                self.apply_next();
            }
            let mut state = self.fold.state.clone();
            state.time_ms = t;
            return Some((t, state));
        }
        while self.next < entries.len() {
            let entry = &entries[self.next];
            let hit = matches(trigger, &self.fold, &entry.event);
            self.apply_next();
            let lag_hit = match trigger {
                Trigger::LagExceeds(group, n) => self.fold.state.group_lag(group) > *n,
                _ => false,
            };
            if hit || lag_hit {
                return Some((entry.time_ms, self.snapshot(entry.time_ms)));
            }
        }
        None
    }
}

/// Whether `event` is the trigger, given the state just before it.
fn matches(trigger: &Trigger, before: &ClusterFold, event: &Event) -> bool {
    let state = &before.state;
    let old_isr = |tp: &TopicPartition| state.partitions.get(tp).map(|p| p.isr.clone());
    match (trigger, event) {
        (Trigger::IsrShrinks(want), Event::PartitionChanged { tp, isr, .. }) if tp == want => {
            old_isr(tp).is_some_and(|old| isr.len() < old.len())
        }
        (Trigger::IsrGrows(want), Event::PartitionChanged { tp, isr, .. }) if tp == want => {
            old_isr(tp).is_some_and(|old| isr.len() > old.len())
        }
        (Trigger::LeavesIsr(broker, want), Event::PartitionChanged { tp, isr, .. }) if tp == want => {
            old_isr(tp).is_some_and(|old| old.contains(broker)) && !isr.contains(broker)
        }
        (Trigger::RejoinsIsr(broker, want), Event::PartitionChanged { tp, isr, .. }) if tp == want => {
            old_isr(tp).is_some_and(|old| !old.contains(broker)) && isr.contains(broker)
        }
        (Trigger::LeaderChanges(want), Event::PartitionChanged { tp, leader, .. }) if tp == want => {
            state.partitions.get(tp).is_some_and(|p| p.leader != *leader)
        }
        (Trigger::UncleanElection, Event::PartitionChanged { election, .. }) => *election == Some(Election::Unclean),
        (Trigger::Fault(kind), Event::Fault { kind: k, detail }) => k == kind && !detail.starts_with("settle:"),
        (Trigger::Phase(phase), Event::Phase { name }) => name == phase,
        (Trigger::ProduceError(name), Event::ProduceError { error, .. }) => error.name() == name,
        (Trigger::Truncation, Event::Truncated { .. }) => true,
        (Trigger::Rebalance(group), Event::GroupStable { group: g, .. }) => g == group,
        _ => false,
    }
}
