//! Consumer-group properties.
//!
//! - group-exclusive-assignment: within one generation of a group, no partition is assigned to
//!   two members — neither in what the coordinator handed out nor in what members believed they
//!   owned. (A zombie from an older generation may still fetch; that is a duplicate-delivery
//!   risk, not a violation of this property.)
//! - duplicate consumption (reported under `duplicate`): one group, or one manual reader,
//!   processed the same offset more than once — what at-least-once delivery does after a
//!   rebalance, a crash, or a stale commit (zoo #10).

use super::dense::OffsetMap;
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

/// Every delivery of one partition's offsets to one reader: the first of each offset, and all
/// of those delivered more than once (rare: at-least-once repeats after a rebalance or a crash),
/// so that the common case is one vector slot per offset.
#[derive(Default)]
struct Deliveries {
    first: OffsetMap<(SimTime, NodeId)>,
    repeated: BTreeMap<Offset, Vec<(SimTime, NodeId)>>,
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
    // Per reader, per partition (nested, so that a poll looks both up without cloning them).
    let mut deliveries: BTreeMap<String, BTreeMap<TopicPartition, Deliveries>> = BTreeMap::new();
    for entry in &history.entries {
        let Event::Polled { partitions, .. } = &entry.event else { continue };
        let reader = match reader_of.get(&entry.node) {
            Some(reader) => std::borrow::Cow::Borrowed(reader.as_str()),
            None => std::borrow::Cow::Owned(history.node_name(entry.node)),
        };
        if !deliveries.contains_key(reader.as_ref()) {
            deliveries.insert(reader.to_string(), BTreeMap::new());
        }
        let by_partition = deliveries.get_mut(reader.as_ref()).expect("inserted above");
        for p in partitions {
            if !by_partition.contains_key(&p.tp) {
                by_partition.insert(p.tp.clone(), Deliveries::default());
            }
            let offsets = by_partition.get_mut(&p.tp).expect("inserted above");
            let delivery = (entry.time_ms, entry.node);
            for (offset, _) in &p.records {
                match offsets.first.get(*offset) {
                    None => {
                        offsets.first.insert(*offset, delivery);
                    }
                    Some(first) => {
                        let first = *first;
                        offsets.repeated.entry(*offset).or_insert_with(|| vec![first]).push(delivery);
                    }
                }
            }
        }
    }
    let mut findings = Vec::new();
    for (reader, by_partition) in deliveries {
        for (tp, offsets) in by_partition {
            let repeated: Vec<(&Offset, &Vec<(SimTime, NodeId)>)> = offsets.repeated.iter().collect();
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
    }
    findings
}
