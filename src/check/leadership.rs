//! Leadership invariants (the `LeaderInIsr` and single-leader properties of Kafka's TLA+
//! specifications and of `RaftEventSimulationTest`), checked at every recorded change:
//!
//! - leader-in-isr: every partition state the controller commits has its leader in its ISR, and
//!   its ISR within its replicas.
//! - single-leader-per-epoch: no two brokers lead a partition in the same leader epoch, neither
//!   in the controller's records nor in what brokers actually did.
//! - monotonic-high-watermark: while a broker leads a partition, its high watermark never moves
//!   back.

use super::finding::{CheckOutcome, Finding};
use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub fn leader_in_isr(history: &History) -> CheckOutcome {
    let mut findings = Vec::new();
    for entry in &history.entries {
        if let Event::PartitionChanged { tp, leader, isr, replicas, leader_epoch, .. } = &entry.event {
            if let Some(l) = leader {
                if !isr.contains(l) {
                    findings.push(
                        Finding::new(format!("{tp} epoch {leader_epoch}: leader {l} is not in its ISR {isr:?}"))
                            .at(entry.time_ms)
                            .partition(tp),
                    );
                }
            }
            if let Some(b) = isr.iter().find(|b| !replicas.contains(b)) {
                findings.push(
                    Finding::new(format!("{tp} epoch {leader_epoch}: ISR member {b} is not a replica ({replicas:?})"))
                        .at(entry.time_ms)
                        .partition(tp),
                );
            }
        }
    }
    CheckOutcome::new("leader-in-isr", findings)
}

pub fn single_leader_per_epoch(history: &History) -> CheckOutcome {
    let mut findings = Vec::new();
    let mut decided: BTreeMap<(TopicPartition, LeaderEpoch), BrokerId> = BTreeMap::new();
    let mut acted: BTreeMap<(TopicPartition, LeaderEpoch), BrokerId> = BTreeMap::new();
    for entry in &history.entries {
        match &entry.event {
            Event::PartitionChanged { tp, leader: Some(l), leader_epoch, .. } => {
                if let Some(previous) = decided.insert((tp.clone(), *leader_epoch), *l) {
                    if previous != *l {
                        findings.push(
                            Finding::new(format!(
                                "the controller made both {previous} and {l} leader of {tp} in epoch {leader_epoch}"
                            ))
                            .at(entry.time_ms)
                            .partition(tp),
                        );
                    }
                }
            }
            Event::BecameLeader { tp, leader_epoch } => {
                let Some(me) = entry.node.as_broker() else { continue };
                if let Some(previous) = acted.insert((tp.clone(), *leader_epoch), me) {
                    if previous != me {
                        findings.push(
                            Finding::new(format!(
                                "brokers {previous} and {me} both acted as leader of {tp} in epoch {leader_epoch}"
                            ))
                            .at(entry.time_ms)
                            .partition(tp)
                            .nodes([history.node_name(entry.node)]),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    CheckOutcome::new("single-leader-per-epoch", findings)
}

pub fn monotonic_high_watermark(history: &History) -> CheckOutcome {
    let mut findings = Vec::new();
    // Per broker, per partition it leads: the highest high watermark it had as leader. (Keyed
    // by broker first: a high-watermark update, the commonest event, looks up without cloning.)
    let mut leading: BTreeMap<NodeId, BTreeMap<TopicPartition, Offset>> = BTreeMap::new();
    for entry in &history.entries {
        match &entry.event {
            Event::BecameLeader { tp, .. } => {
                leading.entry(entry.node).or_default().insert(tp.clone(), Offset::MIN);
            }
            Event::BecameFollower { tp, .. } => {
                if let Some(led) = leading.get_mut(&entry.node) {
                    led.remove(tp);
                }
            }
            Event::HighWatermark { tp, high_watermark, is_leader: true } => {
                if let Some(previous) = leading.get_mut(&entry.node).and_then(|led| led.get_mut(tp)) {
                    if *high_watermark < *previous {
                        findings.push(
                            Finding::new(format!(
                                "{} as leader of {tp} moved its high watermark back from {previous} to {high_watermark}",
                                history.node_name(entry.node)
                            ))
                            .at(entry.time_ms)
                            .partition(tp)
                            .offsets([*previous, *high_watermark])
                            .nodes([history.node_name(entry.node)]),
                        );
                    }
                    *previous = (*previous).max(*high_watermark);
                }
            }
            Event::Crashed { .. } => {
                // A crashed broker leads nothing until it is told so again.
                leading.remove(&entry.node);
            }
            _ => {}
        }
    }
    CheckOutcome::new("monotonic-high-watermark", findings)
}
