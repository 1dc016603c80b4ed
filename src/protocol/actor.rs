//! The shape every protocol state machine has: it is stepped with one input (a message, a timer,
//! a lost connection, a control command) and the current simulated time, and it answers only by
//! filling an `Outbox`. It never sleeps, sends or reads a clock itself (the sans-I/O rule), which
//! is what lets the same code run in the simulator, in unit tests, and in property tests.

use crate::history::Event;
use crate::protocol::message::Message;
use crate::protocol::types::{NodeId, SimTime};

/// What one step asks the host to do.
#[derive(Debug)]
pub struct Outbox<T> {
    /// Messages to send, in order (the transport keeps each link FIFO).
    pub sends: Vec<(NodeId, Message)>,
    /// Timers to fire at an absolute simulated time. Timers cannot be cancelled: a state machine
    /// checks on firing whether the timer still matters.
    pub timers: Vec<(SimTime, T)>,
    /// Facts for the history (the host stamps them with time and node).
    pub events: Vec<Event>,
    /// Connections to close (Kafka's `NetworkClient.disconnect`): whatever is in flight on them,
    /// both ways, is lost.
    pub disconnects: Vec<NodeId>,
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox { sends: Vec::new(), timers: Vec::new(), events: Vec::new(), disconnects: Vec::new() }
    }
}

impl<T> Outbox<T> {
    pub fn send(&mut self, to: NodeId, message: Message) {
        self.sends.push((to, message));
    }

    pub fn set_timer(&mut self, at: SimTime, timer: T) {
        self.timers.push((at, timer));
    }

    pub fn record(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Moves everything an inner state machine asked for into this outbox, wrapping its timers.
    pub fn absorb<U>(&mut self, inner: Outbox<U>, wrap: impl Fn(U) -> T) {
        self.sends.extend(inner.sends);
        self.timers.extend(inner.timers.into_iter().map(|(at, t)| (at, wrap(t))));
        self.events.extend(inner.events);
        self.disconnects.extend(inner.disconnects);
    }

    pub fn is_empty(&self) -> bool {
        self.sends.is_empty() && self.timers.is_empty() && self.events.is_empty() && self.disconnects.is_empty()
    }
}

/// Commands from the simulation's supervisor (the fault schedule, the lab), not from the network.
#[derive(Clone, Debug, PartialEq)]
pub enum Control {
    /// The workload phase is over: clients stop producing new records (in-flight ones finish).
    StopWorkload,
    /// A consumer member processes each record this slowly from now on (`slow-consumer` fault).
    SetProcessingMsPerRecord(u64),
    /// The run is about to end: stop writing what only keeps coming (consumers stop committing
    /// offsets, which auto-commit does every interval even when nothing changed), so the final
    /// state is read from replicas that had time to agree.
    StopCommitting,
}

pub trait Actor {
    type Timer: Clone + std::fmt::Debug;

    /// The node (re)starts: set the first timers, send the first requests.
    fn on_start(&mut self, now: SimTime, out: &mut Outbox<Self::Timer>);

    fn on_message(&mut self, now: SimTime, from: NodeId, message: Message, out: &mut Outbox<Self::Timer>);

    fn on_timer(&mut self, now: SimTime, timer: Self::Timer, out: &mut Outbox<Self::Timer>);

    /// The connection to `peer` was reset (the peer's process died, or we closed it): requests
    /// in flight to it will never be answered.
    fn on_disconnect(&mut self, _now: SimTime, _peer: NodeId, _out: &mut Outbox<Self::Timer>) {}

    fn on_control(&mut self, _now: SimTime, _control: Control, _out: &mut Outbox<Self::Timer>) {}
}
