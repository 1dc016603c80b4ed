//! `converged` (liveness): after the faults are undone and the cluster settles, every partition
//! has a leader and a full ISR, every replica holds the same log up to the same high watermark,
//! and every acknowledged write is readable on the leader at the offset it was acknowledged at.

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use crate::history::History;
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub fn converged(history: &History, obs: &Observations) -> CheckOutcome {
    if history.final_state.partitions.is_empty() {
        return CheckOutcome::not_applicable("converged", "the history has no final state");
    }
    let end = history.meta.end_ms;
    let mut findings = Vec::new();
    let mut leader_logs: BTreeMap<&TopicPartition, (Offset, BTreeMap<Offset, ValueId>)> = BTreeMap::new();
    for p in &history.final_state.partitions {
        let tp = &p.tp;
        let Some(leader) = p.leader else {
            findings.push(Finding::new(format!("{tp} has no leader at the end")).at(end).partition(tp));
            continue;
        };
        let mut missing_isr: Vec<BrokerId> = p.replicas.iter().filter(|b| !p.isr.contains(b)).copied().collect();
        missing_isr.sort();
        if !missing_isr.is_empty() {
            findings.push(
                Finding::new(format!("{tp} ends with replicas {missing_isr:?} outside its ISR {:?}", p.isr))
                    .at(end)
                    .partition(tp),
            );
        }
        let replicas: Vec<_> = history.final_state.replicas.iter().filter(|r| &r.tp == tp).collect();
        let Some(leader_log) = replicas.iter().find(|r| r.broker == leader) else {
            findings.push(
                Finding::new(format!("the leader {leader} of {tp} reported no log at the end")).at(end).partition(tp),
            );
            continue;
        };
        for r in &replicas {
            if r.high_watermark != r.log_end_offset {
                findings.push(
                    Finding::new(format!(
                        "broker {} ends with {tp} at high watermark {} below its log end {}",
                        r.broker, r.high_watermark, r.log_end_offset
                    ))
                    .at(end)
                    .partition(tp),
                );
            }
            if r.broker != leader && (r.records != leader_log.records || r.log_end_offset != leader_log.log_end_offset)
            {
                let first_difference = r
                    .records
                    .iter()
                    .zip(&leader_log.records)
                    .find(|(a, b)| a != b)
                    .map(|(a, _)| a.0)
                    .unwrap_or(r.records.len().min(leader_log.records.len()) as Offset);
                findings.push(
                    Finding::new(format!(
                        "broker {}'s log of {tp} differs from leader {leader}'s (log ends {} vs {}, first difference near offset {first_difference})",
                        r.broker, r.log_end_offset, leader_log.log_end_offset
                    ))
                    .at(end)
                    .partition(tp)
                    .offsets([first_difference]),
                );
            }
        }
        leader_logs.insert(tp, (leader_log.log_start_offset, leader_log.records.iter().copied().collect()));
    }
    for (value, ack) in &obs.acked {
        let (Some(offset), Some((tp, ..))) = (ack.offset, obs.invoked.get(value)) else { continue };
        let Some((log_start, log)) = leader_logs.get(tp) else { continue };
        if offset >= *log_start && log.get(&offset) != Some(value) {
            findings.push(
                Finding::new(format!(
                    "{value}, acknowledged at offset {offset} of {tp}, is not there on the final leader"
                ))
                .at(ack.time_ms)
                .partition(tp)
                .offsets([offset])
                .values([*value]),
            );
        }
    }
    CheckOutcome::new("converged", findings)
}
