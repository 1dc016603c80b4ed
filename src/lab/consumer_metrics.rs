//! The consumer side of throughput and latency, per consumer group, as a learner tunes
//! `fetch.min.bytes` and `fetch.max.wait.ms`: how many records the group processed per second,
//! how many records each poll brought (bigger fetches, fewer requests), and how long a record took
//! from `send()` to the application's poll (end-to-end latency, Kafka Streams'
//! `record-e2e-latency`). Computed from the recorded History over the workload phase, so it also
//! works on a saved trace; `records-consumed-rate` keeps the name of Kafka's consumer metric.

use super::table::{render_table, Align};
use crate::history::{Event, History};
use crate::protocol::types::{NodeId, SimTime, ValueId};
use serde::Serialize;
use std::collections::BTreeMap;

/// The metric names a lab can assert on (`consumer-metric GROUP NAME`).
pub const CONSUMER_METRICS: &[&str] =
    &["records-consumed-rate", "records-per-poll-avg", "e2e-latency-avg", "e2e-latency-p99", "e2e-latency-max"];

/// One group's rates over the workload phase.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConsumerMetricsRow {
    pub group: String,
    pub records_consumed_rate: f64,
    /// Polls that returned records.
    pub polls: u64,
    pub records_per_poll_avg: f64,
    pub e2e_latency_avg: f64,
    pub e2e_latency_p99: f64,
    pub e2e_latency_max: f64,
}

impl ConsumerMetricsRow {
    pub fn metric(&self, name: &str) -> Option<f64> {
        match name {
            "records-consumed-rate" => Some(self.records_consumed_rate),
            "records-per-poll-avg" => Some(self.records_per_poll_avg),
            "e2e-latency-avg" => Some(self.e2e_latency_avg),
            "e2e-latency-p99" => Some(self.e2e_latency_p99),
            "e2e-latency-max" => Some(self.e2e_latency_max),
            _ => None,
        }
    }
}

#[derive(Default)]
struct GroupTally {
    first_poll_ms: Option<SimTime>,
    records: u64,
    polls: u64,
    latencies_ms: Vec<SimTime>,
}

/// Every consumer group's metrics over the workload phase (polls recorded before
/// `workload_end_ms`), in group name order. The rate is over the time from the group's first poll
/// with records to the end of the workload.
pub fn consumer_metrics(history: &History) -> Vec<ConsumerMetricsRow> {
    let group_of: BTreeMap<NodeId, &str> =
        history.meta.consumers.iter().filter_map(|c| Some((c.node, c.group.as_deref()?))).collect();
    let end_ms = history.meta.workload_end_ms;
    let mut invoked: BTreeMap<ValueId, SimTime> = BTreeMap::new();
    let mut tallies: BTreeMap<&str, GroupTally> = group_of.values().map(|g| (*g, GroupTally::default())).collect();
    for entry in history.entries.iter().take_while(|e| e.time_ms <= end_ms) {
        match &entry.event {
            Event::SendInvoked { value, .. } => {
                invoked.insert(*value, entry.time_ms);
            }
            Event::Polled { partitions, .. } => {
                let Some(tally) = group_of.get(&entry.node).and_then(|g| tallies.get_mut(g)) else { continue };
                let records: Vec<ValueId> = partitions.iter().flat_map(|p| p.records.iter().map(|(_, v)| *v)).collect();
                if records.is_empty() {
                    continue;
                }
                tally.first_poll_ms.get_or_insert(entry.time_ms);
                tally.polls += 1;
                tally.records += records.len() as u64;
                tally.latencies_ms.extend(
                    records.iter().filter_map(|v| invoked.get(v)).map(|sent| entry.time_ms.saturating_sub(*sent)),
                );
            }
            _ => {}
        }
    }
    tallies
        .into_iter()
        .map(|(group, mut t)| {
            t.latencies_ms.sort_unstable();
            let n = t.latencies_ms.len();
            let p99 = if n == 0 { 0 } else { t.latencies_ms[((n * 99).div_ceil(100)).saturating_sub(1)] };
            // From the group's first records on: joining the group is not consuming.
            let seconds = end_ms.saturating_sub(t.first_poll_ms.unwrap_or(end_ms)) as f64 / 1000.0;
            ConsumerMetricsRow {
                group: group.to_string(),
                records_consumed_rate: if seconds > 0.0 { t.records as f64 / seconds } else { 0.0 },
                polls: t.polls,
                records_per_poll_avg: if t.polls == 0 { 0.0 } else { t.records as f64 / t.polls as f64 },
                e2e_latency_avg: if n == 0 { 0.0 } else { t.latencies_ms.iter().sum::<u64>() as f64 / n as f64 },
                e2e_latency_p99: p99 as f64,
                e2e_latency_max: t.latencies_ms.last().copied().unwrap_or(0) as f64,
            }
        })
        .collect()
}

/// The rows as an aligned table; empty when there are none.
pub fn render_consumer_metrics(rows: &[ConsumerMetricsRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut table = vec![["GROUP", "records-consumed-rate", "polls", "records-per-poll-avg"]
        .iter()
        .chain(&["e2e-latency-avg", "e2e-latency-p99", "e2e-latency-max"])
        .map(|h| h.to_string())
        .collect::<Vec<_>>()];
    for r in rows {
        table.push(vec![
            r.group.clone(),
            format!("{:.1}", r.records_consumed_rate),
            r.polls.to_string(),
            format!("{:.1}", r.records_per_poll_avg),
            format!("{:.1}", r.e2e_latency_avg),
            format!("{:.0}", r.e2e_latency_p99),
            format!("{:.0}", r.e2e_latency_max),
        ]);
    }
    render_table(&table, Align::Left, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{ClientMeta, Entry, PolledPartition};
    use crate::protocol::types::TopicPartition;

    fn entry(time_ms: SimTime, node: NodeId, event: Event) -> Entry {
        Entry { time_ms, node, event }
    }

    #[test]
    fn latency_runs_from_send_to_poll_and_polls_count_only_with_records() {
        let tp = TopicPartition::new("t", 0);
        let consumer = NodeId::Client(1);
        let mut history = History::default();
        history.meta.workload_end_ms = 2_000;
        history.meta.consumers.push(ClientMeta {
            node: consumer,
            name: "g-1".into(),
            summary: String::new(),
            group: Some("g".into()),
            read_committed: false,
        });
        let value = |sequence| ValueId { producer: 0, sequence };
        let send = |sequence| Event::SendInvoked { tp: tp.clone(), value: value(sequence), key: None };
        let poll = |records: Vec<(i64, ValueId)>| Event::Polled {
            partitions: vec![PolledPartition { tp: tp.clone(), records }],
            generation: Some(1),
        };
        history.entries = vec![
            entry(100, NodeId::Client(0), send(1)),
            entry(110, NodeId::Client(0), send(2)),
            entry(130, consumer, poll(vec![(0, value(1)), (1, value(2))])),
            entry(140, consumer, poll(vec![])),
            entry(500, NodeId::Client(0), send(3)),
            entry(600, consumer, poll(vec![(2, value(3))])),
            // After the workload phase: not counted.
            entry(2_500, consumer, poll(vec![(3, value(4))])),
        ];
        let rows = consumer_metrics(&history);
        assert_eq!(rows.len(), 1);
        let g = &rows[0];
        assert_eq!(g.polls, 2);
        assert_eq!(g.records_per_poll_avg, 1.5);
        assert_eq!(g.records_consumed_rate, 3.0 / 1.87); // 3 records from the first poll (130 ms) to 2 s
        assert_eq!(g.e2e_latency_avg, (30.0 + 20.0 + 100.0) / 3.0);
        assert_eq!(g.e2e_latency_max, 100.0);
        assert_eq!(g.e2e_latency_p99, 100.0);
        assert!(render_consumer_metrics(&rows).starts_with("GROUP records-consumed-rate polls"));
    }
}
