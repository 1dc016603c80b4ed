//! The views a checkpoint prints, each as of the checkpoint's time: Kafka's CLI tables
//! (`kafka-topics --describe`, `kafka-consumer-groups --describe`), the replica positions (LEO and
//! high watermark, what `kafka-log-dirs`/JMX would tell), alerts, rebalances, checks and plots.

use super::cluster_at::ClusterAt;
use super::consumer_groups::{describe_group_at, group_names, render_group};
use super::describe::describe_topics;
use super::evidence::Evidence;
use super::lab_file::View;
use super::producer_metrics::render_producer_metrics;
use crate::protocol::types::SimTime;
use std::path::Path;

/// The shell line a learner would type for a view, printed above it.
fn command(view: &View, group: Option<&str>) -> String {
    match (view, group) {
        (View::Describe, _) => "$ kafka-topics.sh --bootstrap-server broker-1:9092 --describe".into(),
        (View::Groups, Some(g)) => {
            format!("$ kafka-consumer-groups.sh --bootstrap-server broker-1:9092 --describe --group {g}")
        }
        (View::ProducerMetrics, _) => "producer-metrics (over the workload phase):".into(),
        (View::ConsumerMetrics, _) => "consumer metrics per group (over the workload phase):".into(),
        (View::Replicas, _) => "replica positions (log end offset and high watermark of every replica):".into(),
        (View::Alerts, _) => "alert rules:".into(),
        (View::Rebalances, _) => "rebalances (whole run):".into(),
        (View::Checks, _) => "checks (whole run):".into(),
        (View::Plot(_), _) | (View::Groups, None) => String::new(),
    }
}

/// Renders `view` as of `state.time_ms`. Plots are read from `plots_dir` when given (rendered
/// once per run by the caller); without it the view says where `kafkasim run` would write them.
pub fn render_view(view: &View, evidence: &Evidence, state: &ClusterAt, plots_dir: Option<&Path>) -> String {
    let h = evidence.history;
    let at = state.time_ms;
    let mut out = String::new();
    match view {
        View::Describe => {
            out.push_str(&command(view, None));
            out.push('\n');
            let partitions: Vec<_> = state.partitions.values().cloned().collect();
            out.push_str(&describe_topics(&h.meta.topics, &partitions));
        }
        View::Groups => {
            for group in group_names(h) {
                out.push_str(&command(view, Some(&group)));
                out.push_str(&render_group(&describe_group_at(h, &group, at)));
            }
        }
        View::ProducerMetrics => {
            out.push_str(&command(view, None));
            out.push('\n');
            out.push_str(&render_producer_metrics(&evidence.producers));
        }
        View::ConsumerMetrics => {
            out.push_str(&command(view, None));
            out.push('\n');
            out.push_str(&super::consumer_metrics::render_consumer_metrics(&evidence.consumers));
        }
        View::Replicas => {
            out.push_str(&command(view, None));
            out.push('\n');
            out.push_str(&render_replicas(state));
        }
        View::Alerts => {
            out.push_str(&command(view, None));
            out.push('\n');
            out.push_str(&evidence.alerts.render(&evidence.alert_rules, at));
        }
        View::Rebalances => {
            out.push_str(&command(view, None));
            out.push('\n');
            out.push_str(&super::rebalances::render(&evidence.rebalances));
        }
        View::Checks => {
            out.push_str(&command(view, None));
            out.push('\n');
            for o in evidence.outcomes {
                out.push_str(&format!(
                    "  {:<28} {}\n",
                    o.name,
                    if o.count > 0 { o.count.to_string() } else { "-".into() }
                ));
            }
        }
        View::Plot(name) => match plots_dir {
            Some(dir) => {
                let svg = dir.join(format!("{name}.svg"));
                if svg.exists() {
                    out.push_str(&format!(
                        "plot: {} (the whole run; this checkpoint is at {} ms)\n",
                        svg.display(),
                        at
                    ));
                } else {
                    out.push_str(&format!("plot: this run has no `{name}` plot\n"));
                }
            }
            None => out.push_str(&format!("plot: {name} (rendered by `kafkasim lab run`)\n")),
        },
    }
    out
}

/// Every replica's log end offset and high watermark, with its lag behind the leader's LEO.
pub fn render_replicas(state: &ClusterAt) -> String {
    let mut out = format!(
        "{:<16} {:<10} {:<8} {:<10} {:>15} {:>15} {:>10}\n",
        "TOPIC", "PARTITION", "BROKER", "ROLE", "LOG-END-OFFSET", "HIGH-WATERMARK", "LAG"
    );
    // Internal topics (`__consumer_offsets`) would bury the lab's own partitions.
    for (tp, p) in state.partitions.iter().filter(|(tp, _)| !tp.topic.starts_with("__")) {
        let leader_leo = p.leader.and_then(|l| state.replicas.get(&(tp.clone(), l))).map(|r| r.log_end_offset);
        for broker in &p.replicas {
            let r = state.replicas.get(&(tp.clone(), *broker)).copied().unwrap_or_default();
            let role = if Some(*broker) == p.leader {
                "leader"
            } else if state.down.contains(&crate::protocol::types::NodeId::Broker(*broker)) {
                "down"
            } else if p.isr.contains(broker) {
                "in-sync"
            } else {
                "out-of-sync"
            };
            let lag = leader_leo.map_or("-".to_string(), |l| (l - r.log_end_offset).max(0).to_string());
            out.push_str(&format!(
                "{:<16} {:<10} {:<8} {:<10} {:>15} {:>15} {:>10}\n",
                tp.topic, tp.partition, broker.0, role, r.log_end_offset, r.high_watermark, lag
            ));
        }
    }
    out
}

/// Leader and ISR changes of every partition between two times: how a fault played out.
pub fn render_partition_changes(evidence: &Evidence, from_ms: SimTime, to_ms: SimTime) -> String {
    let mut out = String::new();
    for e in evidence.history.entries.iter().filter(|e| e.time_ms >= from_ms && e.time_ms <= to_ms) {
        match &e.event {
            // Internal topics (`__consumer_offsets`: 50 partitions) would bury the lab's own.
            crate::history::Event::PartitionChanged { tp, .. } if tp.topic.starts_with("__") => {}
            crate::history::Event::PartitionChanged { tp, leader, isr, leader_epoch, election, .. } => {
                let isr: Vec<String> = isr.iter().map(|b| b.0.to_string()).collect();
                let election = election.map_or(String::new(), |el| format!(" ({el:?} election)").to_lowercase());
                out.push_str(&format!(
                    "  {:>8} ms  {tp}: Leader: {}  Isr: {}  LeaderEpoch: {leader_epoch}{election}\n",
                    e.time_ms,
                    leader.map_or("none".to_string(), |l| l.0.to_string()),
                    isr.join(",")
                ));
            }
            crate::history::Event::Fault { detail, .. } => {
                out.push_str(&format!("  {:>8} ms  fault: {detail}\n", e.time_ms));
            }
            _ => {}
        }
    }
    out
}
