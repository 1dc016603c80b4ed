//! Alert rules evaluated over a run's simulated metrics, as Prometheus evaluates the course's
//! rules (`kafka_consumer_lag_sum > 1000 for 5m`, `underreplicatedpartitions > 0 for 1m`): the
//! expression is sampled every `scrape_interval_ms` of simulated time; while it holds the alert is
//! *pending*, and once it has held for `for_ms` it is *firing*, until a sample finds it false.
//! Durations are scaled to the simulated run (seconds instead of minutes).

use super::cluster_at::ClusterFold;
use super::expectation::Subject;
use crate::history::History;
use crate::protocol::types::SimTime;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct AlertRule {
    pub name: String,
    /// A numeric subject over the cluster state (`lag analytics`, `under-replicated`).
    pub subject: Subject,
    pub op: super::expectation::Op,
    pub threshold: f64,
    pub for_ms: SimTime,
    /// The rule as written, for the views.
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertState {
    Inactive,
    Pending,
    Firing,
}

impl AlertState {
    pub fn name(self) -> &'static str {
        match self {
            AlertState::Inactive => "inactive",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
        }
    }
}

/// Every rule's state changes over the run: (time, new state), in time order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlertTimeline {
    pub scrape_interval_ms: SimTime,
    pub changes: BTreeMap<String, Vec<(SimTime, AlertState)>>,
}

impl AlertTimeline {
    pub fn evaluate(history: &History, rules: &[AlertRule], scrape_interval_ms: SimTime) -> AlertTimeline {
        let mut timeline = AlertTimeline { scrape_interval_ms, changes: BTreeMap::new() };
        if rules.is_empty() {
            return timeline;
        }
        let step = scrape_interval_ms.max(1);
        let mut fold = ClusterFold::new(history);
        let mut next = 0;
        let mut pending_since: BTreeMap<&str, SimTime> = BTreeMap::new();
        let mut state: BTreeMap<&str, AlertState> =
            rules.iter().map(|r| (r.name.as_str(), AlertState::Inactive)).collect();
        let mut at = 0;
        while at <= history.meta.end_ms {
            while next < history.entries.len() && history.entries[next].time_ms <= at {
                fold.apply(&history.entries[next]);
                next += 1;
            }
            for rule in rules {
                let holds =
                    rule.subject.number_at(&fold.state).is_some_and(|v| rule.op.holds_number(v, rule.threshold));
                let new = if holds {
                    let since = *pending_since.entry(&rule.name).or_insert(at);
                    if at - since >= rule.for_ms {
                        AlertState::Firing
                    } else {
                        AlertState::Pending
                    }
                } else {
                    pending_since.remove(rule.name.as_str());
                    AlertState::Inactive
                };
                if state.insert(&rule.name, new) != Some(new) {
                    timeline.changes.entry(rule.name.clone()).or_default().push((at, new));
                }
            }
            at += step;
        }
        timeline
    }

    pub fn state_at(&self, name: &str, at_ms: SimTime) -> AlertState {
        self.changes
            .get(name)
            .and_then(|c| c.iter().take_while(|(t, _)| *t <= at_ms).last())
            .map_or(AlertState::Inactive, |(_, s)| *s)
    }

    /// The first time at or after `from_ms` the alert starts firing.
    pub fn first_firing(&self, name: &str, from_ms: SimTime) -> Option<SimTime> {
        self.changes.get(name)?.iter().find(|(t, s)| *t >= from_ms && *s == AlertState::Firing).map(|(t, _)| *t)
    }

    /// The `alerts` view: every rule, its state at `at_ms`, and when it fired so far.
    pub fn render(&self, rules: &[AlertRule], at_ms: SimTime) -> String {
        let mut out = format!(
            "{:<32} {:<40} {:>8} {:<9} FIRED (simulated ms, scrape every {} ms)\n",
            "ALERT", "EXPR", "FOR", "STATE", self.scrape_interval_ms
        );
        for rule in rules {
            let mut fired = Vec::new();
            let mut start = None;
            for (t, s) in self.changes.get(&rule.name).into_iter().flatten().filter(|(t, _)| *t <= at_ms) {
                match (s, start) {
                    (AlertState::Firing, None) => start = Some(*t),
                    (AlertState::Firing, Some(_)) => {}
                    (_, Some(from)) => {
                        fired.push(format!("{from}-{t}"));
                        start = None;
                    }
                    (_, None) => {}
                }
            }
            if let Some(from) = start {
                fired.push(format!("{from}-"));
            }
            let line = format!(
                "{:<32} {:<40} {:>8} {:<9} {}",
                rule.name,
                rule.text,
                format!("{}ms", rule.for_ms),
                self.state_at(&rule.name, at_ms).name(),
                if fired.is_empty() { "-".to_string() } else { fired.join(", ") }
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Entry, Event};
    use crate::lab::expectation::Op;
    use crate::protocol::types::*;

    fn isr_changed(time_ms: SimTime, isr: &[u32]) -> Entry {
        Entry {
            time_ms,
            node: NodeId::Controller(1),
            event: Event::PartitionChanged {
                tp: TopicPartition::new("orders", 0),
                replicas: vec![BrokerId(1), BrokerId(2), BrokerId(3)],
                leader: Some(BrokerId(1)),
                leader_epoch: 0,
                partition_epoch: 0,
                isr: isr.iter().map(|b| BrokerId(*b)).collect(),
                election: None,
            },
        }
    }

    #[test]
    fn an_alert_is_pending_then_fires_after_its_for_duration_and_resolves() {
        let mut history = History {
            entries: vec![isr_changed(0, &[1, 2, 3]), isr_changed(1200, &[1, 3]), isr_changed(5200, &[1, 2, 3])],
            ..Default::default()
        };
        history.meta.end_ms = 8000;
        let rule = AlertRule {
            name: "UnderReplicated".into(),
            subject: Subject::UnderReplicated(None),
            op: Op::Gt,
            threshold: 0.0,
            for_ms: 1000,
            text: "under-replicated > 0".into(),
        };
        let timeline = AlertTimeline::evaluate(&history, std::slice::from_ref(&rule), 500);
        // Sampled every 500 ms: first seen at 1500, firing once it held for 1000 ms (2500), and
        // inactive at the first sample after the ISR is whole again (5500).
        assert_eq!(
            timeline.changes["UnderReplicated"],
            vec![(1500, AlertState::Pending), (2500, AlertState::Firing), (5500, AlertState::Inactive)]
        );
        assert_eq!(timeline.state_at("UnderReplicated", 2000), AlertState::Pending);
        assert_eq!(timeline.first_firing("UnderReplicated", 0), Some(2500));
        assert!(timeline.render(&[rule], 8000).contains("2500-5500"));
    }
}
