//! `converged` (liveness): after the faults are undone and the cluster settles, every partition
//! has a leader and a full ISR, every replica holds the same log up to the same high watermark,
//! and every acknowledged write is readable on the leader at the offset it was acknowledged at.

use super::final_logs::{FinalLogs, RecordsByOffset};
use super::finding::{CheckOutcome, Finding};
use super::observations::{AckedWrite, Observations};
use crate::history::History;
use crate::protocol::types::*;

pub fn converged(history: &History, obs: &Observations, finals: &FinalLogs) -> CheckOutcome {
    if history.final_state.partitions.is_empty() {
        return CheckOutcome::not_applicable("converged", "the history has no final state");
    }
    let end = history.meta.end_ms;
    let mut findings = Vec::new();
    // Per observed partition (by its index, for the lookup of every acknowledged record): the
    // final leader's log start and records.
    let mut leader_logs: Vec<Option<(Offset, RecordsByOffset)>> = Vec::new();
    leader_logs.resize_with(obs.partition_count(), || None);
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
        let replicas = finals.replicas(tp);
        let Some(leader_log) = replicas.iter().find(|r| r.broker == leader) else {
            findings.push(
                Finding::new(format!("the leader {leader} of {tp} reported no log at the end")).at(end).partition(tp),
            );
            continue;
        };
        for r in replicas {
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
        if let Some(part) = obs.partition(tp) {
            leader_logs[part.index] = Some((leader_log.log_start_offset, RecordsByOffset::new(&leader_log.records)));
        }
    }
    for AckedWrite { value, ack, sent_to, .. } in obs.acked_writes() {
        let (Some(offset), Some(part)) = (ack.offset, sent_to) else { continue };
        let Some((log_start, log)) = &leader_logs[part.index] else { continue };
        let tp = &part.tp;
        if offset >= *log_start && log.get(offset) != Some(value) {
            findings.push(
                Finding::new(format!(
                    "{value}, acknowledged at offset {offset} of {tp}, is not there on the final leader"
                ))
                .at(ack.time_ms)
                .partition(tp)
                .offsets([offset])
                .values([value]),
            );
        }
    }
    CheckOutcome::new("converged", findings)
}
