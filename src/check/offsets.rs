//! `duplicate` and `inconsistent-offsets` (Jepsen's Kafka workload).
//!
//! - duplicate: one value sits at more than one offset of its partition — the producer wrote it
//!   twice (a retry of a request that had in fact been appended, without idempotence) — or one
//!   group processed the same offset twice (see `groups::duplicate_consumption`).
//! - inconsistent-offsets: one offset holds different values in different observations — two
//!   replicas' logs diverged and both were read or acknowledged from.

use super::finding::{CheckOutcome, Finding};
use super::observations::Observations;
use crate::history::History;

pub fn duplicate(history: &History, obs: &Observations) -> CheckOutcome {
    let mut findings = Vec::new();
    for part in obs.partitions() {
        let tp = &part.tp;
        for (value, offsets) in part.values_at_several_offsets() {
            let list: Vec<String> = offsets.iter().map(|o| o.to_string()).collect();
            let time = obs.ack(value).map(|a| a.time_ms);
            let mut finding = Finding::new(format!(
                "{value} from {} appears at offsets {} of {tp}: it was written more than once",
                history.producer_name(value),
                list.join(", ")
            ))
            .partition(tp)
            .offsets(offsets.iter().copied())
            .values([value]);
            finding.time_ms = time;
            findings.push(finding);
        }
    }
    findings.extend(super::groups::duplicate_consumption(history));
    CheckOutcome::new("duplicate", findings)
}

pub fn inconsistent_offsets(_history: &History, obs: &Observations) -> CheckOutcome {
    let mut findings = Vec::new();
    for part in obs.partitions() {
        let tp = &part.tp;
        for (offset, values) in part.offsets_with_several_values() {
            let list: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            findings.push(
                Finding::new(format!(
                    "offset {offset} of {tp} was observed holding different values: {} (replicas' logs diverged)",
                    list.join(", ")
                ))
                .partition(tp)
                .offsets([offset])
                .values(values.iter().copied()),
            );
        }
    }
    CheckOutcome::new("inconsistent-offsets", findings)
}
