//! What a checker reports: each violation explained with the records, offsets, nodes and times
//! involved, so that a learner can see why.

use crate::protocol::types::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// One or two sentences: what happened, in Kafka's terms.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_ms: Option<SimTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tp: Option<TopicPartition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offsets: Vec<Offset>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
}

impl Finding {
    pub fn new(message: impl Into<String>) -> Finding {
        Finding { message: message.into(), ..Default::default() }
    }

    pub fn at(mut self, time_ms: SimTime) -> Finding {
        self.time_ms = Some(time_ms);
        self
    }

    pub fn partition(mut self, tp: &TopicPartition) -> Finding {
        self.tp = Some(tp.clone());
        self
    }

    pub fn offsets(mut self, offsets: impl IntoIterator<Item = Offset>) -> Finding {
        self.offsets = offsets.into_iter().collect();
        self
    }

    pub fn values(mut self, values: impl IntoIterator<Item = ValueId>) -> Finding {
        self.values = values.into_iter().collect();
        self
    }

    pub fn nodes(mut self, nodes: impl IntoIterator<Item = String>) -> Finding {
        self.nodes = nodes.into_iter().collect();
        self
    }
}

/// The result of one checker over one history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub name: String,
    /// How many violations were found (findings may list fewer).
    pub count: usize,
    pub findings: Vec<Finding>,
    /// Set when the history holds nothing this check can judge (e.g. `unseen` with no
    /// consumers); the check then counts as finding nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<String>,
}

/// Findings kept per check; the count still covers all of them.
pub const MAX_FINDINGS: usize = 50;

impl CheckOutcome {
    pub fn new(name: &str, mut findings: Vec<Finding>) -> CheckOutcome {
        findings.sort_by_key(|f| f.time_ms.unwrap_or(0));
        let count = findings.len();
        findings.truncate(MAX_FINDINGS);
        CheckOutcome { name: name.to_string(), count, findings, not_applicable: None }
    }

    /// Like `new`, for a check that may find a great many violations (every record of a lost
    /// partition): `found` holds them unrendered, and `render` makes findings of only those kept
    /// (in order). `time_ms` must be the time `render` gives each, so that the same findings are
    /// kept, in the same order, as `new` would keep.
    pub fn rendering<T>(
        name: &str,
        mut found: Vec<T>,
        time_ms: impl Fn(&T) -> Option<SimTime>,
        render: impl FnOnce(Vec<T>) -> Vec<Finding>,
    ) -> CheckOutcome {
        found.sort_by_key(|f| time_ms(f).unwrap_or(0));
        let count = found.len();
        found.truncate(MAX_FINDINGS);
        let times: Vec<Option<SimTime>> = found.iter().map(&time_ms).collect();
        let findings = render(found);
        debug_assert_eq!(
            findings.iter().map(|f| f.time_ms).collect::<Vec<_>>(),
            times,
            "rendered in order, same times"
        );
        CheckOutcome { name: name.to_string(), count, findings, not_applicable: None }
    }

    pub fn not_applicable(name: &str, why: impl Into<String>) -> CheckOutcome {
        CheckOutcome { name: name.to_string(), count: 0, findings: Vec::new(), not_applicable: Some(why.into()) }
    }
}
