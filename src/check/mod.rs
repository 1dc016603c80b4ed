//! Checkers: pure functions over a recorded History, one module per property. They read nothing
//! else, so they judge a saved `history.jsonl` exactly as they judge a live run, and they never
//! panic on a history they do not expect (empty, truncated, from a crashed run): what they cannot
//! judge they report as not applicable.

mod aborted_read;
mod converged;
mod dense;
mod final_logs;
pub mod finding;
mod groups;
mod int_send_skip;
mod leadership;
mod lost_write;
pub mod names;
pub mod observations;
mod offsets;
mod polls;
mod replica_logs;
mod sends;
pub mod transactions;
mod txn_cycles;
#[cfg(test)]
mod txn_test_support;

pub use aborted_read::uncommitted_reads_of_aborted;
pub use finding::{CheckOutcome, Finding};

use crate::history::History;
use crate::scenario::{CheckExpectation, Expect};
use observations::Observations;
use serde::{Deserialize, Serialize};

/// Runs every checker. Outcomes come in the order of `names::all_checks()`.
pub fn run_all(history: &History) -> Vec<CheckOutcome> {
    let txns = transactions::Transactions::from_history(history);
    let obs = Observations::from_history_with(history, &txns);
    let polls = polls::poll_order(history, &obs);
    let finals = final_logs::FinalLogs::from_history(history);
    let logs = replica_logs::replica_logs(history, &finals);
    let mut outcomes = vec![
        lost_write::lost_write(history, &obs, &finals),
        lost_write::unseen(history, &obs),
        offsets::duplicate(history, &obs),
        offsets::inconsistent_offsets(history, &obs),
        polls.poll_skip,
        polls.nonmonotonic_poll,
        sends::nonmonotonic_send(history, &obs),
        polls.int_poll_skip,
        polls.int_nonmonotonic_poll,
        int_send_skip::int_send_skip(history, &txns, &obs),
        txn_cycles::g0(&txns, &obs),
        aborted_read::aborted_read(history, &txns),
        txn_cycles::g1c(&txns, &obs),
        leadership::leader_in_isr(history),
        leadership::single_leader_per_epoch(history),
        leadership::monotonic_high_watermark(history),
        logs.log_matching,
        logs.committed_data_loss,
        groups::group_exclusive_assignment(history),
        converged::converged(history, &obs, &finals),
    ];
    let order: Vec<&str> = names::all_checks().collect();
    outcomes.sort_by_key(|o| order.iter().position(|n| *n == o.name).unwrap_or(usize::MAX));
    debug_assert_eq!(outcomes.len(), order.len(), "every named check has a checker");
    outcomes
}

/// One line of the verdict: what the scenario expected and what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckVerdict {
    pub name: String,
    /// "none", "some", or null when the scenario does not list the check.
    pub expect: Option<Expect>,
    /// "none" or "some".
    pub found: Expect,
    pub count: usize,
    /// True when the expectation holds (or there was none).
    pub ok: bool,
}

pub fn verdicts(outcomes: &[CheckOutcome], expectations: &[CheckExpectation]) -> Vec<CheckVerdict> {
    outcomes
        .iter()
        .map(|o| {
            let expect = expectations.iter().find(|e| e.name == o.name).map(|e| e.expect);
            let found = if o.count > 0 { Expect::Some } else { Expect::None };
            CheckVerdict { name: o.name.clone(), expect, found, count: o.count, ok: expect.is_none_or(|e| e == found) }
        })
        .collect()
}
