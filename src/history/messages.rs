//! The network messages of a time window, recorded only when a run asks for them (`kafkasim run
//! --messages FROM..TO`): the raw material of the message-sequence (Lamport) diagram.
//!
//! Messages are not part of the canonical history: a default run records none, and the trace hash
//! covers the history without them, so the same seed has the same trace hash with or without
//! `--messages`. Recording never draws a random number nor costs simulated time.

use crate::protocol::types::{NodeId, SimTime};
use serde::{Deserialize, Serialize};

/// Messages recorded per run at most; past it, sends are counted in [`MessageLog::omitted`].
pub const MAX_RECORDED_MESSAGES: usize = 100_000;

/// What happened to a recorded message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum MessageOutcome {
    /// The receiver took it in at `at_ms`.
    Delivered { at_ms: SimTime },
    /// Lost at `at_ms`: the connection was reset or refused, the receiver crashed, or it was an
    /// answer to a process that no longer exists.
    Dropped { at_ms: SimTime, reason: String },
    /// Still on the wire (or held by a cut link) when the run ended.
    InFlight,
}

/// One request or response between two processes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRecord {
    pub from: NodeId,
    pub to: NodeId,
    /// Kafka's API name, e.g. `Produce`, `Fetch`, `AlterPartition`.
    pub api: String,
    pub request: bool,
    /// The correlation id as its sender numbered it.
    pub correlation_id: u64,
    pub size_bytes: u64,
    pub sent_ms: SimTime,
    #[serde(flatten)]
    pub outcome: MessageOutcome,
}

/// The messages sent in `[from_ms, to_ms)`, in send order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLog {
    pub from_ms: SimTime,
    pub to_ms: SimTime,
    /// Sends in the window past [`MAX_RECORDED_MESSAGES`], not recorded.
    pub omitted: u64,
    #[serde(skip)]
    pub records: Vec<MessageRecord>,
}

impl MessageLog {
    pub fn new(from_ms: SimTime, to_ms: SimTime) -> MessageLog {
        MessageLog { from_ms, to_ms, omitted: 0, records: Vec::new() }
    }

    pub fn covers(&self, time_ms: SimTime) -> bool {
        self.from_ms <= time_ms && time_ms < self.to_ms
    }
}
