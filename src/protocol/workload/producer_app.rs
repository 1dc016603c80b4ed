//! A producing application: sends records with unique values at `messages_per_sec` to one topic
//! (or round-robin over several) through a `KafkaProducer`, until the workload phase ends.
//!
//! A transactional producer (`transactional.id`) runs transactions back to back: begin, send
//! `transaction_records` records, flush, then abort with probability `abort_ratio` (drawn from
//! the run's seed) or commit. A failed send forces an abort; a fenced producer stops for good.
//! With `read_topics` it also polls those topics (read_committed) while each transaction is open,
//! as a consume-transform-produce application does (`transaction_reads`).

use super::keys::{KeyChooser, KeyDistribution};
use super::transaction_reads::TransactionReads;
use crate::protocol::actor::{Actor, Control, Outbox};
use crate::protocol::consumer::kafka_consumer::ConsumerTimer;
use crate::protocol::message::Message;
use crate::protocol::producer::config::ProducerConfig;
use crate::protocol::producer::kafka_producer::{KafkaProducer, ProducerTimer};
use crate::protocol::producer::transaction_manager::TxnState;
use crate::protocol::types::*;
use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug)]
pub struct ProducerWorkload {
    pub topic: TopicName,
    pub messages_per_sec: f64,
    pub keys: u64,
    pub key_names: Vec<String>,
    pub key_distribution: KeyDistribution,
    pub value_bytes: u32,
    /// Every topic written, `topic` first; records go round-robin over them.
    pub topics: Vec<TopicName>,
    /// Records per transaction (transactional producers only).
    pub transaction_records: u64,
    /// Fraction of transactions aborted instead of committed.
    pub abort_ratio: f64,
    /// Topics read inside each transaction (transactional producers only; empty: none).
    pub read_topics: Vec<TopicName>,
    /// When the application starts sending (the process runs from the start).
    pub start_ms: SimTime,
}

#[derive(Clone, Debug)]
pub enum ProducerAppTimer {
    Tick,
    Producer(ProducerTimer),
    /// A timer of the consumer that makes the transactions' reads.
    Reads(ConsumerTimer),
}

pub struct ProducerApp {
    workload: ProducerWorkload,
    keys: KeyChooser,
    producer: KafkaProducer,
    start_ms: Option<SimTime>,
    /// Records handed to the producer since this process started (paces the rate).
    sent: u64,
    /// The sequence of the next value (unique across restarts of this application).
    next_sequence: u64,
    stopped: bool,
    rng: ChaCha8Rng,
    /// Records sent in the current transaction.
    sent_in_transaction: u64,
    /// The consumer polled inside transactions (`read_topics`).
    reads: Option<TransactionReads>,
}

impl ProducerApp {
    pub fn new(
        index: u32,
        workload: ProducerWorkload,
        config: ProducerConfig,
        bootstrap: Vec<BrokerId>,
        seed: u64,
    ) -> ProducerApp {
        let keys = KeyChooser::new(workload.keys, &workload.key_distribution, &workload.key_names);
        let transactional = config.transactional_id.is_some();
        let reads = (transactional && !workload.read_topics.is_empty()).then(|| {
            let client_id = format!("{}-reads", config.transactional_id.as_deref().unwrap_or_default());
            TransactionReads::new(workload.read_topics.clone(), client_id, bootstrap.clone(), seed ^ 0x5eed_0002)
        });
        let producer = KafkaProducer::new(
            index,
            config,
            bootstrap,
            workload.topics.clone(),
            ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_0001),
        );
        ProducerApp {
            workload,
            keys,
            producer,
            start_ms: None,
            sent: 0,
            next_sequence: 0,
            stopped: false,
            rng: ChaCha8Rng::seed_from_u64(seed),
            sent_in_transaction: 0,
            reads,
        }
    }

    pub fn producer(&self) -> &KafkaProducer {
        &self.producer
    }

    /// The sequence of the next value this application will write.
    pub fn next_value(&self) -> u64 {
        self.next_sequence
    }

    /// After a restart, continue numbering values where the crashed process left off.
    pub fn resume_values_from(&mut self, next_sequence: u64) {
        self.next_sequence = next_sequence;
    }

    fn tick_interval_ms(&self) -> SimTime {
        if self.workload.messages_per_sec <= 0.0 {
            return SimTime::MAX / 4;
        }
        ((1000.0 / self.workload.messages_per_sec).floor() as SimTime).max(1)
    }

    fn with_producer(
        &mut self,
        out: &mut Outbox<ProducerAppTimer>,
        f: impl FnOnce(&mut KafkaProducer, &mut Outbox<ProducerTimer>),
    ) {
        let mut inner = Outbox::default();
        f(&mut self.producer, &mut inner);
        out.absorb(inner, ProducerAppTimer::Producer);
    }

    fn with_reads(
        &mut self,
        out: &mut Outbox<ProducerAppTimer>,
        f: impl FnOnce(&mut TransactionReads, &mut Outbox<ConsumerTimer>),
    ) {
        let Some(reads) = &mut self.reads else { return };
        let mut inner = Outbox::default();
        f(reads, &mut inner);
        out.absorb(inner, ProducerAppTimer::Reads);
    }

    /// The topic of the `n`th record.
    fn topic_for(&self, n: u64) -> TopicName {
        self.workload.topics[(n % self.workload.topics.len() as u64) as usize].clone()
    }

    /// Moves the transaction along; true when records may be sent now.
    fn drive_transaction(&mut self, now: SimTime, out: &mut Outbox<ProducerAppTimer>) -> bool {
        let Some(state) = self.producer.txn_state() else { return true };
        match state {
            TxnState::Uninitialized => {
                self.with_producer(out, |p, o| p.init_transactions(now, o));
                false
            }
            TxnState::Ready if !self.stopped => {
                self.sent_in_transaction = 0;
                let mut began = false;
                self.with_producer(out, |p, o| began = p.begin_transaction(o));
                began
            }
            TxnState::InTransaction => {
                let full = self.sent_in_transaction >= self.workload.transaction_records;
                if !(full || self.stopped) {
                    return true;
                }
                // The application flushes before it decides (`producer.flush()`), so the records
                // of an aborted transaction are in the log, with their ABORT marker after them.
                if !self.producer.is_idle() {
                    return false;
                }
                let abort = self.rng.gen_bool(self.workload.abort_ratio.clamp(0.0, 1.0));
                self.with_producer(out, |p, o| {
                    if abort {
                        p.abort_transaction(now, o);
                    } else {
                        p.commit_transaction(now, o);
                    }
                });
                false
            }
            TxnState::AbortableError => {
                self.with_producer(out, |p, o| {
                    p.abort_transaction(now, o);
                });
                false
            }
            _ => false,
        }
    }

    fn on_tick(&mut self, now: SimTime, out: &mut Outbox<ProducerAppTimer>) {
        if now < self.workload.start_ms {
            out.set_timer(self.workload.start_ms, ProducerAppTimer::Tick);
            return;
        }
        let transactional = self.producer.txn_state().is_some();
        if transactional {
            let may_send = self.drive_transaction(now, out);
            match self.producer.txn_state() {
                // Fenced: this producer is done for good.
                Some(TxnState::FatalError) => return,
                // Keep driving until the last transaction has ended.
                Some(state) if self.stopped => {
                    if state != TxnState::Ready {
                        out.set_timer(now + self.tick_interval_ms(), ProducerAppTimer::Tick);
                    }
                    return;
                }
                _ => {}
            }
            if !may_send {
                // No catch-up burst after waiting for a commit or abort.
                let start = *self.start_ms.get_or_insert(now);
                let due = (((now - start) as f64 + 1.0) * self.workload.messages_per_sec / 1000.0).floor() as u64;
                self.sent = self.sent.max(due);
                out.set_timer(now + self.tick_interval_ms(), ProducerAppTimer::Tick);
                return;
            }
            // The transaction is open and sending: read what is committed so far.
            self.with_reads(out, |r, o| r.poll(now, o));
        } else if self.stopped {
            return;
        }
        let start = *self.start_ms.get_or_insert(now);
        let due = (((now - start) as f64 + 1.0) * self.workload.messages_per_sec / 1000.0).floor() as u64;
        // `send` blocks the application thread while the producer waits for metadata or
        // memory; the sends it would have made meanwhile never happen (no catch-up burst).
        if self.producer.is_blocked() {
            self.sent = self.sent.max(due);
        }
        while self.sent < due && !self.producer.is_blocked() {
            if transactional && self.sent_in_transaction >= self.workload.transaction_records {
                self.sent = due;
                break;
            }
            let value = ValueId { producer: self.producer.index, sequence: self.next_sequence };
            let record = Record::data(self.keys.choose(&mut self.rng), value, self.workload.value_bytes, now);
            let topic = self.topic_for(self.sent);
            self.sent += 1;
            self.sent_in_transaction += 1;
            self.next_sequence += 1;
            self.with_producer(out, |p, o| p.send(now, topic, record, o));
        }
        out.set_timer(now + self.tick_interval_ms(), ProducerAppTimer::Tick);
    }
}

impl Actor for ProducerApp {
    type Timer = ProducerAppTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<ProducerAppTimer>) {
        self.producer.start(now);
        self.with_producer(out, |p, o| p.run(now, o));
        self.with_reads(out, |r, o| r.start(now, o));
        self.on_tick(now, out);
    }

    fn on_message(&mut self, now: SimTime, _from: NodeId, message: Message, out: &mut Outbox<ProducerAppTimer>) {
        if let Message::Response { correlation_id, response } = message {
            if TransactionReads::owns(correlation_id) {
                self.with_reads(out, |r, o| r.on_response(now, correlation_id, response, o));
            } else {
                self.with_producer(out, |p, o| p.on_response(now, correlation_id, response, o));
            }
        }
    }

    fn on_timer(&mut self, now: SimTime, timer: ProducerAppTimer, out: &mut Outbox<ProducerAppTimer>) {
        match timer {
            ProducerAppTimer::Tick => self.on_tick(now, out),
            ProducerAppTimer::Producer(t) => self.with_producer(out, |p, o| p.on_timer(now, t, o)),
            ProducerAppTimer::Reads(t) => self.with_reads(out, |r, o| r.on_timer(now, t, o)),
        }
    }

    fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ProducerAppTimer>) {
        self.with_producer(out, |p, o| p.on_disconnect(now, peer, o));
        self.with_reads(out, |r, o| r.on_disconnect(now, peer, o));
    }

    fn on_control(&mut self, now: SimTime, control: Control, out: &mut Outbox<ProducerAppTimer>) {
        if control == Control::StopWorkload {
            self.stopped = true;
            // A transaction in progress still ends (commit or abort, as the ratio says).
            if self.producer.txn_state().is_some() {
                self.drive_transaction(now, out);
                out.set_timer(now + self.tick_interval_ms(), ProducerAppTimer::Tick);
            }
        }
    }
}
