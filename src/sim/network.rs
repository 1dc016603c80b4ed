//! The simulated network: one FIFO connection per ordered pair of nodes, with TCP's behaviour
//! where Kafka depends on it.
//!
//! madsim's own `Endpoint` is datagram-like (it reorders, and every send/receive costs at least
//! 1 ms of simulated time, notes/madsim.md). Kafka assumes ordered connections, so the simulator
//! keeps its own links on top of madsim's clock:
//!
//! - Each message gets a latency drawn from the scenario's range; it never arrives before an
//!   earlier message on the same link (FIFO).
//! - Packet loss is TCP retransmission: a lost transmission costs a retransmission timeout
//!   (200 ms, doubling), delaying this message and everything behind it on the link.
//! - A cut link (partition or clog) holds messages, like a connection that keeps retransmitting;
//!   after the heal they arrive in order.
//! - A connection is reset when a process crashes (its peers are told at once, as by an RST,
//!   unless it was a power loss) or when a client closes it after a request timeout. Everything
//!   in flight or held on a reset connection is lost, both ways. With `client_close = "fin"` a
//!   client's close is orderly instead: what it sent still arrives (late), only answers are lost
//!   (the delayed produce of KIP-890's hanging transactions).
//! - Sending to a dead process fails fast: the sender is told the connection was refused.
//! - A response reaches only the process that sent the request. A restarted process numbers its
//!   requests from scratch, and a server may still answer a request of the previous process
//!   (one it held in purgatory through a power loss it was never told about). On a real network
//!   that answer goes to a dead socket; here the network tags each request's correlation id with
//!   the sender's incarnation and drops a response whose tag is not the receiver's.
//!
//! On request (`--messages FROM..TO`) the network also records the messages sent in a window and
//! what became of them ([`MessageLog`]), for the message-sequence diagram. Recording only reads:
//! it draws no random number and moves no clock, so the run is the same with or without it.

use crate::history::{MessageLog, MessageOutcome, MessageRecord, MAX_RECORDED_MESSAGES};
use crate::protocol::actor::Control;
use crate::protocol::message::Message;
use crate::protocol::types::{NodeId, SimTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;
use tokio::sync::Notify;

/// A request's correlation id carries its sender's incarnation above this bit.
const INCARNATION_SHIFT: u32 = 40;

/// The smallest retransmission timeout Linux uses (`TCP_RTO_MIN`).
const RETRANSMISSION_TIMEOUT_MS: SimTime = 200;

/// What a node can receive.
#[derive(Debug)]
pub enum Payload {
    Message(Message),
    /// The connection to `from` was reset or refused.
    Disconnected,
    Control(Control),
}

#[derive(Debug)]
pub struct Delivery {
    pub from: NodeId,
    pub payload: Payload,
}

struct InFlight {
    from: NodeId,
    link_epoch: u64,
    payload: Payload,
    /// The message's index in the recorded [`MessageLog`], if it is recorded.
    traced: Option<usize>,
}

#[derive(Default)]
struct Link {
    /// Bumped by every reset: messages sent on an older connection are dropped.
    epoch: u64,
    last_arrival_ms: SimTime,
    /// Messages sent while the link was cut, waiting for the heal.
    held: VecDeque<(Message, Option<usize>)>,
}

struct NodeNet {
    alive: bool,
    /// How many times the node was registered before this process (0 for the first).
    incarnation: u64,
    inbox: BTreeMap<(SimTime, u64), InFlight>,
    notify: Arc<Notify>,
}

/// Counters for `run --json` stats and benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct NetworkStats {
    pub messages_sent: u64,
    pub messages_delivered: u64,
    pub bytes_delivered: u64,
    pub messages_dropped: u64,
}

pub struct Network {
    nodes: BTreeMap<NodeId, NodeNet>,
    links: BTreeMap<(NodeId, NodeId), Link>,
    /// Directed pairs that cannot talk (partitions and clogs).
    cut: BTreeSet<(NodeId, NodeId)>,
    latency_ms: (SimTime, SimTime),
    packet_loss: f64,
    sequence: u64,
    rng: ChaCha8Rng,
    pub stats: NetworkStats,
    /// `client_close = "fin"` (see `NetworkSpec`).
    client_close_delivers_sent: bool,
    /// The messages of the window being recorded, if any.
    trace: Option<MessageLog>,
}

impl Network {
    pub fn new(latency_ms: (SimTime, SimTime), packet_loss: f64, rng: ChaCha8Rng) -> Network {
        Network {
            nodes: BTreeMap::new(),
            links: BTreeMap::new(),
            cut: BTreeSet::new(),
            latency_ms,
            packet_loss,
            sequence: 0,
            rng,
            stats: NetworkStats::default(),
            client_close_delivers_sent: false,
            trace: None,
        }
    }

    /// Records the messages sent in `[from_ms, to_ms)` from now on.
    pub fn record_messages(&mut self, from_ms: SimTime, to_ms: SimTime) {
        self.trace = Some(MessageLog::new(from_ms, to_ms));
    }

    /// The recorded messages (None unless [`Network::record_messages`] was called).
    pub fn take_messages(&mut self) -> Option<MessageLog> {
        self.trace.take()
    }

    /// Starts the record of a message sent at `now`, if it falls in the window.
    fn trace_send(&mut self, now: SimTime, from: NodeId, to: NodeId, message: &Message) -> Option<usize> {
        let log = self.trace.as_mut().filter(|log| log.covers(now))?;
        if log.records.len() >= MAX_RECORDED_MESSAGES {
            log.omitted += 1;
            return None;
        }
        let correlation_id = match message {
            Message::Request { correlation_id, .. } | Message::Response { correlation_id, .. } => {
                correlation_id & ((1 << INCARNATION_SHIFT) - 1)
            }
        };
        log.records.push(MessageRecord {
            from,
            to,
            api: message.api_name().to_string(),
            request: message.is_request(),
            correlation_id,
            size_bytes: message.size_bytes(),
            sent_ms: now,
            outcome: MessageOutcome::InFlight,
        });
        Some(log.records.len() - 1)
    }

    fn trace_outcome(&mut self, traced: Option<usize>, outcome: MessageOutcome) {
        if let (Some(index), Some(log)) = (traced, self.trace.as_mut()) {
            log.records[index].outcome = outcome;
        }
    }

    fn trace_dropped(&mut self, traced: Option<usize>, at_ms: SimTime, reason: &str) {
        if traced.is_some() {
            self.trace_outcome(traced, MessageOutcome::Dropped { at_ms, reason: reason.to_string() });
        }
    }

    /// Marks every recorded message in `inbox` as lost at `now`.
    fn trace_inbox_lost(trace: &mut Option<MessageLog>, inbox: &BTreeMap<(SimTime, u64), InFlight>, now: SimTime) {
        if let Some(log) = trace.as_mut() {
            for index in inbox.values().filter_map(|in_flight| in_flight.traced) {
                log.records[index].outcome =
                    MessageOutcome::Dropped { at_ms: now, reason: "the receiver stopped".into() };
            }
        }
    }

    /// A client closing a timed-out connection still delivers what it sent (TCP's FIN comes
    /// after the data), instead of resetting it.
    pub fn set_client_close_delivers_sent(&mut self, delivers: bool) {
        self.client_close_delivers_sent = delivers;
    }

    /// A node (re)starts: empty inbox, reachable again.
    pub fn register(&mut self, node: NodeId) -> Arc<Notify> {
        let entry = self.nodes.entry(node).or_insert_with(|| NodeNet {
            alive: true,
            incarnation: u64::MAX,
            inbox: BTreeMap::new(),
            notify: Arc::new(Notify::new()),
        });
        entry.alive = true;
        entry.incarnation = entry.incarnation.wrapping_add(1);
        entry.inbox.clear();
        entry.notify.clone()
    }

    pub fn is_alive(&self, node: NodeId) -> bool {
        self.nodes.get(&node).is_some_and(|n| n.alive)
    }

    pub fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }

    fn latency(&mut self) -> SimTime {
        let (a, b) = self.latency_ms;
        let mut latency = if a == b { a } else { self.rng.gen_range(a..=b) };
        let mut rto = RETRANSMISSION_TIMEOUT_MS;
        while self.packet_loss > 0.0 && self.rng.gen_bool(self.packet_loss) {
            latency += rto;
            rto = (rto * 2).min(60_000);
        }
        latency
    }

    fn enqueue(&mut self, now: SimTime, from: NodeId, to: NodeId, payload: Payload, traced: Option<usize>) {
        let latency = self.latency();
        let link = self.links.entry((from, to)).or_default();
        let arrival = (now + latency).max(link.last_arrival_ms);
        link.last_arrival_ms = arrival;
        let link_epoch = link.epoch;
        let sequence = self.next_sequence();
        if let Some(target) = self.nodes.get_mut(&to) {
            target.inbox.insert((arrival, sequence), InFlight { from, link_epoch, payload, traced });
            target.notify.notify_one();
        }
    }

    pub fn send(&mut self, now: SimTime, from: NodeId, to: NodeId, mut message: Message) {
        self.stats.messages_sent += 1;
        if let Message::Request { correlation_id, .. } = &mut message {
            assert!(*correlation_id < 1 << INCARNATION_SHIFT, "{from:?} ran out of correlation ids");
            *correlation_id |= self.nodes.get(&from).map_or(0, |n| n.incarnation) << INCARNATION_SHIFT;
        }
        let traced = if self.trace.is_some() { self.trace_send(now, from, to, &message) } else { None };
        if !self.is_alive(to) {
            // Connection refused: the sender learns it one network hop later.
            self.stats.messages_dropped += 1;
            self.trace_dropped(traced, now, "connection refused");
            self.enqueue(now, to, from, Payload::Disconnected, None);
            return;
        }
        if self.cut.contains(&(from, to)) {
            self.links.entry((from, to)).or_default().held.push_back((message, traced));
            return;
        }
        self.enqueue(now, from, to, Payload::Message(message), traced);
    }

    /// A command from the supervisor, delivered at once and never cut.
    pub fn control(&mut self, now: SimTime, to: NodeId, control: Control) {
        let sequence = self.next_sequence();
        if let Some(target) = self.nodes.get_mut(&to) {
            let link_epoch = 0;
            let in_flight = InFlight { from: to, link_epoch, payload: Payload::Control(control), traced: None };
            target.inbox.insert((now, sequence), in_flight);
            target.notify.notify_one();
        }
    }

    /// The next delivery due at or before `now`, if any. Messages from a connection that was
    /// reset since they were sent are dropped here.
    pub fn pop_due(&mut self, node: NodeId, now: SimTime) -> Option<(SimTime, u64, Delivery)> {
        loop {
            let target = self.nodes.get_mut(&node)?;
            let (&(arrival, sequence), _) = target.inbox.first_key_value()?;
            if arrival > now {
                return None;
            }
            let in_flight = target.inbox.remove(&(arrival, sequence)).expect("first key exists");
            let current_epoch = match &in_flight.payload {
                Payload::Message(_) => self.links.get(&(in_flight.from, node)).map_or(0, |l| l.epoch),
                _ => in_flight.link_epoch,
            };
            if current_epoch != in_flight.link_epoch {
                self.stats.messages_dropped += 1;
                self.trace_dropped(in_flight.traced, now, "connection reset");
                continue;
            }
            let mut in_flight = in_flight;
            if let Payload::Message(Message::Response { correlation_id, .. }) = &mut in_flight.payload {
                if *correlation_id >> INCARNATION_SHIFT != self.nodes[&node].incarnation {
                    self.stats.messages_dropped += 1;
                    self.trace_dropped(in_flight.traced, now, "an answer to the process this one replaced");
                    continue; // an answer to the process this one replaced
                }
                *correlation_id &= (1 << INCARNATION_SHIFT) - 1;
            }
            if let Payload::Message(m) = &in_flight.payload {
                self.stats.messages_delivered += 1;
                self.stats.bytes_delivered += m.size_bytes();
                self.trace_outcome(in_flight.traced, MessageOutcome::Delivered { at_ms: now });
            }
            return Some((arrival, sequence, Delivery { from: in_flight.from, payload: in_flight.payload }));
        }
    }

    pub fn next_arrival(&self, node: NodeId) -> Option<SimTime> {
        self.nodes.get(&node).and_then(|n| n.inbox.first_key_value()).map(|((t, _), _)| *t)
    }

    fn reset_link(&mut self, now: SimTime, a: NodeId, b: NodeId) {
        for key in [(a, b), (b, a)] {
            let link = self.links.entry(key).or_default();
            link.epoch += 1;
            self.stats.messages_dropped += link.held.len() as u64;
            let held = std::mem::take(&mut link.held);
            for (_, traced) in held {
                self.trace_dropped(traced, now, "connection reset");
            }
        }
    }

    /// `from` closes its connection to `to` (after a request timeout). `to` notices if the
    /// close can reach it.
    pub fn disconnect(&mut self, now: SimTime, from: NodeId, to: NodeId) {
        if self.client_close_delivers_sent {
            // An orderly close (FIN): what `from` sent still arrives, answers to it are lost.
            self.links.entry((to, from)).or_default().epoch += 1;
        } else {
            self.reset_link(now, from, to);
        }
        if self.is_alive(to) && !self.cut.contains(&(from, to)) {
            self.enqueue(now, from, to, Payload::Disconnected, None);
        }
    }

    /// A process dies. Its connections reset; with `notify_peers` (a process crash, not a power
    /// loss) the peers' kernels see the reset at once.
    pub fn crash(&mut self, now: SimTime, node: NodeId, notify_peers: bool) {
        if let Some(n) = self.nodes.get_mut(&node) {
            n.alive = false;
            Self::trace_inbox_lost(&mut self.trace, &n.inbox, now);
            n.inbox.clear();
        }
        let peers: BTreeSet<NodeId> = self
            .links
            .keys()
            .filter_map(|&(a, b)| {
                if a == node {
                    Some(b)
                } else if b == node {
                    Some(a)
                } else {
                    None
                }
            })
            .collect();
        for peer in peers {
            self.reset_link(now, node, peer);
            if notify_peers && self.is_alive(peer) && !self.cut.contains(&(node, peer)) {
                self.enqueue(now, node, peer, Payload::Disconnected, None);
            }
        }
    }

    /// Nodes in different groups cannot reach each other (both directions). Every node not
    /// listed belongs to the last group.
    pub fn partition(&mut self, now: SimTime, groups: &[Vec<NodeId>], all_nodes: &[NodeId]) {
        let group_of = |n: NodeId| groups.iter().position(|g| g.contains(&n)).unwrap_or(groups.len() - 1);
        for &a in all_nodes {
            for &b in all_nodes {
                if a != b && group_of(a) != group_of(b) {
                    self.cut.insert((a, b));
                }
            }
        }
        let _ = now;
    }

    pub fn clog(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }

    pub fn unclog(&mut self, now: SimTime, from: NodeId, to: NodeId) {
        self.cut.remove(&(from, to));
        self.release_held(now, from, to);
    }

    /// Undoes every partition and clog; held messages go out in order.
    pub fn heal(&mut self, now: SimTime) {
        let cut: Vec<(NodeId, NodeId)> = std::mem::take(&mut self.cut).into_iter().collect();
        let held: Vec<(NodeId, NodeId)> =
            self.links.iter().filter(|(_, l)| !l.held.is_empty()).map(|(k, _)| *k).collect();
        for (from, to) in cut.into_iter().chain(held) {
            self.release_held(now, from, to);
        }
    }

    fn release_held(&mut self, now: SimTime, from: NodeId, to: NodeId) {
        let held = match self.links.get_mut(&(from, to)) {
            Some(link) => std::mem::take(&mut link.held),
            None => return,
        };
        for (message, traced) in held {
            if self.is_alive(to) {
                self.enqueue(now, from, to, Payload::Message(message), traced);
            } else {
                self.trace_dropped(traced, now, "the receiver stopped");
            }
        }
    }

    pub fn set_latency(&mut self, latency_ms: (SimTime, SimTime)) {
        self.latency_ms = latency_ms;
    }

    pub fn set_packet_loss(&mut self, packet_loss: f64) {
        self.packet_loss = packet_loss;
    }

    pub fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut.contains(&(from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::message::{Message, Request, Response};
    use rand::SeedableRng;

    fn msg(n: u64) -> Message {
        Message::Request { correlation_id: n, request: Request::Metadata { topics: vec![] } }
    }

    fn ids(net: &mut Network, node: NodeId, now: SimTime) -> Vec<u64> {
        let mut out = Vec::new();
        while let Some((_, _, d)) = net.pop_due(node, now) {
            if let Payload::Message(Message::Request { correlation_id, .. }) = d.payload {
                out.push(correlation_id);
            }
        }
        out
    }

    fn net() -> (Network, NodeId, NodeId) {
        let mut net = Network::new((1, 50), 0.0, ChaCha8Rng::seed_from_u64(3));
        let (a, b) = (NodeId::Client(0), NodeId::broker(1));
        net.register(a);
        net.register(b);
        (net, a, b)
    }

    #[test]
    fn links_are_fifo_despite_random_latency() {
        let (mut net, a, b) = net();
        for n in 0..100 {
            net.send(n, a, b, msg(n));
        }
        assert_eq!(ids(&mut net, b, 10_000), (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn cut_links_hold_messages_until_heal() {
        let (mut net, a, b) = net();
        net.partition(0, &[vec![a], vec![b]], &[a, b]);
        net.send(0, a, b, msg(1));
        net.send(1, a, b, msg(2));
        assert_eq!(ids(&mut net, b, 10_000), Vec::<u64>::new());
        net.heal(20_000);
        assert_eq!(ids(&mut net, b, 30_000), vec![1, 2]);
    }

    #[test]
    fn a_reset_connection_loses_what_was_in_flight() {
        let (mut net, a, b) = net();
        net.send(0, a, b, msg(1));
        net.disconnect(0, a, b);
        net.send(1, a, b, msg(2));
        assert_eq!(ids(&mut net, b, 10_000), vec![2]);
    }

    #[test]
    fn sending_to_a_crashed_node_is_refused() {
        let (mut net, a, b) = net();
        net.crash(0, b, true);
        net.send(5, a, b, msg(1));
        let (_, _, d) = net.pop_due(a, 10_000).expect("a refusal");
        assert!(matches!(d.payload, Payload::Disconnected));
        assert_eq!(d.from, b);
    }

    fn response(n: u64) -> Message {
        Message::Response { correlation_id: n, response: Response::Metadata { brokers: vec![], topics: vec![] } }
    }

    /// The correlation ids of the requests (as the server sees them) and responses due at `node`.
    fn received(net: &mut Network, node: NodeId, now: SimTime) -> (Vec<u64>, Vec<u64>) {
        let (mut requests, mut responses) = (Vec::new(), Vec::new());
        while let Some((_, _, d)) = net.pop_due(node, now) {
            match d.payload {
                Payload::Message(Message::Request { correlation_id, .. }) => requests.push(correlation_id),
                Payload::Message(Message::Response { correlation_id, .. }) => responses.push(correlation_id),
                _ => {}
            }
        }
        (requests, responses)
    }

    #[test]
    fn an_answer_to_a_request_of_the_previous_process_is_lost() {
        let (mut net, a, b) = net();
        net.send(0, a, b, msg(7));
        let (old_request, _) = received(&mut net, b, 100);
        // The client loses power while the server holds request 7; the server is not told.
        net.crash(100, a, false);
        net.register(a);
        net.send(200, a, b, msg(7));
        let (new_request, _) = received(&mut net, b, 300);
        assert_ne!(old_request, new_request, "the server can tell the two requests apart");
        net.send(300, b, a, response(old_request[0]));
        net.send(301, b, a, response(new_request[0]));
        assert_eq!(received(&mut net, a, 1_000).1, vec![7], "only the answer to its own request, under its own id");
    }
}
