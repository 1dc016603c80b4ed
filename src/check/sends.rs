//! `nonmonotonic-send` (Jepsen's Kafka workload): one producer's records to one partition
//! should land in the order it sent them. Without idempotence, a retried batch can land after a
//! later batch that was in flight at the same time (`max.in.flight.requests.per.connection` > 1).

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use crate::history::{Event, History};
use crate::protocol::types::*;
use std::collections::BTreeMap;

pub fn nonmonotonic_send(history: &History, obs: &Observations) -> CheckOutcome {
    let mut findings = Vec::new();
    // Per producer and partition: the offset of the previous acknowledged send, in send order.
    // (Keyed by producer, then partition: a send looks its partition up without cloning it.)
    let mut previous: BTreeMap<NodeId, BTreeMap<TopicPartition, (Offset, ValueId)>> = BTreeMap::new();
    for entry in &history.entries {
        let Event::SendInvoked { tp, value, .. } = &entry.event else { continue };
        let Some(offset) = obs.ack(*value).and_then(|a| a.offset) else { continue };
        let by_partition = previous.entry(entry.node).or_default();
        let Some(last) = by_partition.get_mut(tp) else {
            by_partition.insert(tp.clone(), (offset, *value));
            continue;
        };
        let (before, before_value) = std::mem::replace(last, (offset, *value));
        if offset <= before {
            findings.push(
                Finding::new(format!(
                    "{} sent {before_value} before {value} to {tp}, but {value} landed at offset {offset}, before {before_value} at offset {before}",
                    history.node_name(entry.node)
                ))
                .at(entry.time_ms)
                .partition(tp)
                .offsets([before, offset])
                .values([before_value, *value])
                .nodes([history.node_name(entry.node)]),
            );
        }
    }
    CheckOutcome::new("nonmonotonic-send", findings)
}
