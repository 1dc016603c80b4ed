//! Applying the fault schedule: resolving selectors (`leader:T-P`, `follower:T-P`,
//! `controller`) to nodes at the moment a fault fires, and recording what was done.

use super::cluster::SimCluster;
use crate::history::Event;
use crate::protocol::actor::Control;
use crate::protocol::group::coordinator::{partition_for_group, CONSUMER_OFFSETS_TOPIC};
use crate::protocol::types::*;
use crate::scenario::{FaultAction, NodeSelector};
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// The leader and ISR of a partition as the controller holds them now, or, while the
/// controller is down, as it last recorded them.
fn partition_state(cluster: &SimCluster, tp: &TopicPartition) -> Option<(Option<BrokerId>, Vec<BrokerId>)> {
    if let Some(partitions) = cluster.controller_partitions() {
        return partitions.get(tp).map(|r| (r.leader, r.isr.clone()));
    }
    let recorder = cluster.shared.recorder.lock().expect("recorder lock");
    recorder.entries.iter().rev().find_map(|e| match &e.event {
        Event::PartitionChanged { tp: t, leader, isr, .. } if t == tp => Some((*leader, isr.clone())),
        _ => None,
    })
}

/// Resolves a selector; `None` when it names no node right now (a partition without leader).
pub fn resolve(cluster: &SimCluster, selector: &NodeSelector, rng: &mut ChaCha8Rng) -> Option<NodeId> {
    match selector {
        NodeSelector::Name(name) => cluster.node_by_name(name),
        NodeSelector::Controller => Some(NodeId::Controller(1)),
        NodeSelector::Coordinator(group) => {
            let partitions = cluster.scenario().broker_config.offsets_topic_num_partitions;
            let partition = partition_for_group(group, partitions);
            partition_state(cluster, &TopicPartition::new(CONSUMER_OFFSETS_TOPIC, partition))?.0.map(NodeId::Broker)
        }
        NodeSelector::Leader(tp) => partition_state(cluster, tp)?.0.map(NodeId::Broker),
        NodeSelector::Follower(tp) => {
            let (leader, isr) = partition_state(cluster, tp)?;
            let followers: Vec<BrokerId> = isr.into_iter().filter(|b| Some(*b) != leader).collect();
            followers.choose(rng).copied().map(NodeId::Broker)
        }
    }
}

/// Applies one fault now. Returns a human-readable account for the history.
pub fn apply_fault(cluster: &mut SimCluster, action: &FaultAction, rng: &mut ChaCha8Rng) -> String {
    let now = cluster.shared.now_ms();
    let describe = |cluster: &SimCluster, selector: &NodeSelector, node: NodeId| match selector {
        NodeSelector::Name(_) => cluster.node_name(node),
        other => format!("{} ({other})", cluster.node_name(node)),
    };
    match action {
        FaultAction::Crash { node, lose_unflushed } => match resolve(cluster, node, rng) {
            None => format!("{node}: no such node right now, nothing crashed"),
            Some(id) => {
                let what = describe(cluster, node, id);
                if cluster.crash(id, *lose_unflushed) {
                    if *lose_unflushed {
                        format!("{what} lost power (unflushed data lost)")
                    } else {
                        format!("{what} crashed")
                    }
                } else {
                    format!("{what} was already down")
                }
            }
        },
        FaultAction::Restart { node } => match resolve(cluster, node, rng) {
            None => format!("{node}: no such node right now"),
            Some(id) => {
                let what = describe(cluster, node, id);
                if cluster.restart(id) {
                    format!("{what} restarted")
                } else {
                    format!("{what} was not crashed")
                }
            }
        },
        FaultAction::Pause { node } => match resolve(cluster, node, rng) {
            None => format!("{node}: no such node right now"),
            Some(id) => {
                let what = describe(cluster, node, id);
                if cluster.pause(id) {
                    format!("{what} paused")
                } else {
                    format!("{what} was not running")
                }
            }
        },
        FaultAction::Resume { node } => match resolve(cluster, node, rng) {
            None => format!("{node}: no such node right now"),
            Some(id) => {
                let what = describe(cluster, node, id);
                if cluster.resume(id) {
                    format!("{what} resumed")
                } else {
                    format!("{what} was not paused")
                }
            }
        },
        FaultAction::Partition { groups } => {
            let resolved: Vec<Vec<NodeId>> =
                groups.iter().map(|g| g.iter().filter_map(|n| cluster.node_by_name(n)).collect()).collect();
            let all = cluster.all_nodes();
            cluster.network().partition(now, &resolved, &all);
            let text: Vec<String> = groups.iter().map(|g| g.join(" ")).collect();
            format!("network partitioned: {} | everyone else with the last group", text.join(" | "))
        }
        FaultAction::Clog { from, to } => {
            if let (Some(a), Some(b)) = (cluster.node_by_name(from), cluster.node_by_name(to)) {
                cluster.network().clog(a, b);
            }
            format!("{from} -> {to} clogged")
        }
        FaultAction::Unclog { from, to } => {
            if let (Some(a), Some(b)) = (cluster.node_by_name(from), cluster.node_by_name(to)) {
                cluster.network().unclog(now, a, b);
            }
            format!("{from} -> {to} unclogged")
        }
        FaultAction::Heal => {
            cluster.network().heal(now);
            "network healed".to_string()
        }
        FaultAction::Latency { min_ms, max_ms } => {
            cluster.network().set_latency((*min_ms, *max_ms));
            format!("latency now {min_ms}..{max_ms} ms")
        }
        FaultAction::Loss { packet_loss } => {
            cluster.network().set_packet_loss(*packet_loss);
            format!("packet loss now {packet_loss}")
        }
        FaultAction::SlowConsumer { node, processing_ms_per_record } => {
            if let Some(id) = cluster.node_by_name(node) {
                cluster.control(id, Control::SetProcessingMsPerRecord(*processing_ms_per_record));
            }
            format!("{node} now takes {processing_ms_per_record} ms per record")
        }
    }
}
