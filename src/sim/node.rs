//! One simulated process: a madsim node whose task runs a protocol state machine.
//!
//! The loop drains everything due — messages in arrival order and timers — stepping the actor
//! once per input, then sleeps until the next arrival or timer, or until a new message wakes it.
//! Draining per wake-up (instead of one receive per task wake) avoids madsim's 1 ms cost per
//! receive (notes/madsim.md).
//!
//! The actor lives in a slot shared with the supervisor, so that a crash can take its disk out
//! and the end of the run can read its final state. The task never holds the slot's lock across
//! an await.

use super::network::{Network, Payload};
use super::recorder::Recorder;
use crate::protocol::actor::{Actor, Outbox};
use crate::protocol::types::{NodeId, SimTime};
use futures::future::{select, Either};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where a node's actor lives between steps.
pub type Slot<A> = Arc<Mutex<Option<A>>>;

/// What every node task shares with the supervisor.
#[derive(Clone)]
pub struct Shared {
    pub network: Arc<Mutex<Network>>,
    pub recorder: Arc<Mutex<Recorder>>,
    pub start: Instant,
}

impl Shared {
    pub fn now_ms(&self) -> SimTime {
        Instant::now().saturating_duration_since(self.start).as_millis() as SimTime
    }

    pub fn instant_at(&self, ms: SimTime) -> Instant {
        self.start + Duration::from_millis(ms)
    }
}

/// Applies one step's outbox: messages out, timers in, history appended.
fn apply<T>(shared: &Shared, node: NodeId, now: SimTime, outbox: Outbox<T>, timers: &mut BTreeMap<(SimTime, u64), T>) {
    let mut network = shared.network.lock().expect("network lock");
    for (to, message) in outbox.sends {
        network.send(now, node, to, message);
    }
    for peer in outbox.disconnects {
        network.disconnect(now, node, peer);
    }
    for (at, timer) in outbox.timers {
        let sequence = network.next_sequence();
        timers.insert((at.max(now), sequence), timer);
    }
    drop(network);
    if !outbox.events.is_empty() {
        shared.recorder.lock().expect("recorder lock").record_all(now, node, outbox.events);
    }
}

/// Runs the node until it is killed. Returns if the slot is emptied (the node was crashed).
pub async fn run_node<A: Actor>(shared: Shared, node: NodeId, slot: Slot<A>) {
    let notify = shared.network.lock().expect("network lock").register(node);
    let mut timers: BTreeMap<(SimTime, u64), A::Timer> = BTreeMap::new();
    {
        let now = shared.now_ms();
        let mut outbox = Outbox::default();
        match slot.lock().expect("slot lock").as_mut() {
            Some(actor) => actor.on_start(now, &mut outbox),
            None => return,
        }
        apply(&shared, node, now, outbox, &mut timers);
    }
    loop {
        let now = shared.now_ms();
        // Everything due, in (time, sequence) order across messages and timers.
        loop {
            let next_timer = timers.first_key_value().map(|(k, _)| *k).filter(|(at, _)| *at <= now);
            let mut network = shared.network.lock().expect("network lock");
            let next_message = network.next_arrival(node).filter(|at| *at <= now);
            let take_timer = match (next_timer, next_message) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some((timer_at, _)), Some(message_at)) => timer_at < message_at,
            };
            let mut outbox = Outbox::default();
            if take_timer {
                drop(network);
                let key = next_timer.expect("chosen");
                let timer = timers.remove(&key).expect("due timer");
                let mut guard = slot.lock().expect("slot lock");
                let Some(actor) = guard.as_mut() else { return };
                actor.on_timer(now, timer, &mut outbox);
            } else {
                let Some((_, _, delivery)) = network.pop_due(node, now) else { continue };
                drop(network);
                let mut guard = slot.lock().expect("slot lock");
                let Some(actor) = guard.as_mut() else { return };
                match delivery.payload {
                    Payload::Message(message) => actor.on_message(now, delivery.from, message, &mut outbox),
                    Payload::Disconnected => actor.on_disconnect(now, delivery.from, &mut outbox),
                    Payload::Control(control) => actor.on_control(now, control, &mut outbox),
                }
            }
            apply(&shared, node, now, outbox, &mut timers);
        }
        let next_message = shared.network.lock().expect("network lock").next_arrival(node);
        let next_timer = timers.first_key_value().map(|((at, _), _)| *at);
        let wake = match (next_message, next_timer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let notified = notify.notified();
        match wake {
            Some(at) if at <= now => continue,
            Some(at) => {
                let sleep = madsim::time::sleep_until(shared.instant_at(at));
                futures::pin_mut!(notified);
                futures::pin_mut!(sleep);
                match select(notified, sleep).await {
                    Either::Left(_) | Either::Right(_) => {}
                }
            }
            None => notified.await,
        }
    }
}
