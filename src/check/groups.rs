//! Consumer-group properties.
//!
//! - group-exclusive-assignment: within one generation of a group, no partition is assigned to
//!   two members — neither in what the coordinator handed out nor in what members believed they
//!   owned. (A zombie from an older generation may still fetch; that is a duplicate-delivery
//!   risk, not a violation of this property.)
//! - duplicate consumption (reported under `duplicate`): one group, or one manual reader,
//!   processed the same offset more than once — what at-least-once delivery does after a
//!   rebalance, a crash, or a stale commit (zoo #10).

use super::finding::{CheckOutcome, Finding};
use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub fn group_exclusive_assignment(history: &History) -> CheckOutcome {
    let group_of: BTreeMap<NodeId, String> =
        history.meta.consumers.iter().filter_map(|c| c.group.clone().map(|g| (c.node, g))).collect();
    if group_of.is_empty() {
        return CheckOutcome::not_applicable("group-exclusive-assignment", "no consumer group subscribes");
    }
    let mut findings = Vec::new();
    let mut owner: BTreeMap<(String, i32, TopicPartition), NodeId> = BTreeMap::new();
    for entry in &history.entries {
        match &entry.event {
            Event::Assigned { partitions, generation: Some(generation) } => {
                let Some(group) = group_of.get(&entry.node) else { continue };
                for tp in partitions {
                    let key = (group.clone(), *generation, tp.clone());
                    match owner.get(&key) {
                        Some(other) if *other != entry.node => findings.push(
                            Finding::new(format!(
                                "group {group} generation {generation}: {tp} was assigned to both {} and {}",
                                history.node_name(*other),
                                history.node_name(entry.node)
                            ))
                            .at(entry.time_ms)
                            .partition(tp)
                            .nodes([history.node_name(*other), history.node_name(entry.node)]),
                        ),
                        _ => {
                            owner.insert(key, entry.node);
                        }
                    }
                }
            }
            Event::GroupStable { group, generation_id, members, .. } => {
                let mut seen: BTreeMap<&TopicPartition, &str> = BTreeMap::new();
                for m in members {
                    for tp in &m.partitions {
                        if let Some(other) = seen.insert(tp, &m.member_id) {
                            findings.push(
                                Finding::new(format!(
                                    "the coordinator gave {tp} to both {other} and {} in generation {generation_id} of {group}",
                                    m.member_id
                                ))
                                .at(entry.time_ms)
                                .partition(tp),
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    CheckOutcome::new("group-exclusive-assignment", findings)
}

/// Offsets processed more than once by the same group (or manual reader), one finding per
/// group and partition.
pub fn duplicate_consumption(history: &History) -> Vec<Finding> {
    let reader_of: BTreeMap<NodeId, String> = history
        .meta
        .consumers
        .iter()
        .map(|c| (c.node, c.group.clone().map_or_else(|| format!("reader {}", c.name), |g| format!("group {g}"))))
        .collect();
    // Per reader and partition: every delivery of each offset, with when and by whom.
    type Deliveries = BTreeMap<Offset, Vec<(SimTime, NodeId)>>;
    let mut deliveries: BTreeMap<(String, TopicPartition), Deliveries> = BTreeMap::new();
    for entry in &history.entries {
        let Event::Polled { partitions, .. } = &entry.event else { continue };
        let reader = reader_of.get(&entry.node).cloned().unwrap_or_else(|| history.node_name(entry.node));
        for p in partitions {
            let offsets = deliveries.entry((reader.clone(), p.tp.clone())).or_default();
            for (offset, _) in &p.records {
                offsets.entry(*offset).or_default().push((entry.time_ms, entry.node));
            }
        }
    }
    let mut findings = Vec::new();
    for ((reader, tp), offsets) in deliveries {
        let repeated: Vec<(&Offset, &Vec<(SimTime, NodeId)>)> = offsets.iter().filter(|(_, d)| d.len() > 1).collect();
        let Some((first_offset, first)) = repeated.first() else { continue };
        let (lo, hi) =
            (repeated.first().map(|(o, _)| **o).unwrap_or(0), repeated.last().map(|(o, _)| **o).unwrap_or(0));
        let example: Vec<String> =
            first.iter().map(|(t, node)| format!("{} at t={t} ms", history.node_name(*node))).collect();
        findings.push(
            Finding::new(format!(
                "{reader} processed {} offset(s) of {tp} more than once (between {lo} and {hi}); offset {first_offset} was processed by {}",
                repeated.len(),
                example.join(" and ")
            ))
            .at(first[1].0)
            .partition(&tp)
            .offsets(repeated.iter().map(|(o, _)| **o).take(20)),
        );
    }
    findings
}
