//! What one recorded run offers a lab's expectations and views: the History, the checkers'
//! outcomes, the producers' and consumer groups' metrics, the rebalance summary and the alert timeline — each computed
//! once per run, then read at every checkpoint.

use super::alerts::{AlertRule, AlertTimeline};
use super::cluster_at::ClusterAt;
use super::consumer_metrics::{consumer_metrics, ConsumerMetricsRow};
use super::expectation::{Subject, Value};
use super::producer_metrics::{producer_metrics, ProducerMetricsRow};
use super::rebalances::{rebalances, GroupRebalances};
use crate::check::CheckOutcome;
use crate::history::History;

pub struct Evidence<'h> {
    pub history: &'h History,
    pub outcomes: &'h [CheckOutcome],
    pub producers: Vec<ProducerMetricsRow>,
    pub consumers: Vec<ConsumerMetricsRow>,
    pub rebalances: Vec<GroupRebalances>,
    pub alert_rules: Vec<AlertRule>,
    pub alerts: AlertTimeline,
}

impl<'h> Evidence<'h> {
    pub fn new(
        history: &'h History,
        outcomes: &'h [CheckOutcome],
        alert_rules: &[AlertRule],
        scrape_interval_ms: u64,
    ) -> Evidence<'h> {
        Evidence {
            history,
            outcomes,
            producers: producer_metrics(history),
            consumers: consumer_metrics(history),
            rebalances: rebalances(history),
            alert_rules: alert_rules.to_vec(),
            alerts: AlertTimeline::evaluate(history, alert_rules, scrape_interval_ms),
        }
    }

    /// The subject's value at the moment `state` describes.
    pub fn value(&self, subject: &Subject, state: &ClusterAt) -> Value {
        let number = |n: Option<f64>| n.map_or(Value::Missing, Value::Number);
        match subject {
            Subject::Isr(tp) => {
                state.partitions.get(tp).map_or(Value::Missing, |p| Value::List(p.isr.iter().map(|b| b.0).collect()))
            }
            Subject::Leader(tp) => match state.partitions.get(tp) {
                Some(p) => p.leader.map_or(Value::Word("none".into()), |l| Value::Number(l.0 as f64)),
                None => Value::Missing,
            },
            Subject::UnownedMs(group) => number(
                self.rebalances.iter().find(|g| &g.group == group).map(|g| g.unowned_partition_ms as f64).or(Some(0.0)),
            ),
            Subject::Check(name) => match self.outcomes.iter().find(|o| &o.name == name) {
                Some(o) => Value::Word(if o.count > 0 { "some" } else { "none" }.into()),
                None => Value::Missing,
            },
            Subject::Findings(name) => number(self.outcomes.iter().find(|o| &o.name == name).map(|o| o.count as f64)),
            Subject::Metric(producer, metric) => {
                let row = self.producers.iter().find(|r| &r.producer == producer);
                let json = row.and_then(|r| serde_json::to_value(r).ok());
                number(json.and_then(|j| j.get(metric.as_str()).and_then(serde_json::Value::as_f64)))
            }
            Subject::ConsumerMetric(group, metric) => {
                number(self.consumers.iter().find(|r| &r.group == group).and_then(|r| r.metric(metric)))
            }
            Subject::Alert(name) => Value::Word(self.alerts.state_at(name, state.time_ms).name().into()),
            other => number(other.number_at(state)),
        }
    }
}
