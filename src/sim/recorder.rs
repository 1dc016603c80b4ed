//! Appends history entries as the simulation produces them, in the order they happen.

use crate::history::{Entry, Event};
use crate::protocol::types::{NodeId, SimTime};

#[derive(Default)]
pub struct Recorder {
    pub entries: Vec<Entry>,
}

impl Recorder {
    pub fn record(&mut self, time_ms: SimTime, node: NodeId, event: Event) {
        self.entries.push(Entry { time_ms, node, event });
    }

    pub fn record_all(&mut self, time_ms: SimTime, node: NodeId, events: Vec<Event>) {
        self.entries.extend(events.into_iter().map(|event| Entry { time_ms, node, event }));
    }
}
