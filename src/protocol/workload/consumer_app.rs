//! A consuming application: a loop of `poll`, process, commit, driving a `KafkaConsumer`.
//!
//! - Subscribe (a consumer group member) or read every partition of its topics from the
//!   beginning by manual assignment.
//! - Processing is simulated: each record costs `processing_ms_per_record`, so slow consumers,
//!   lag and `max.poll.interval.ms` violations happen for real.
//! - Commits follow the scenario: Kafka's auto-commit, or commitSync / commitAsync after every
//!   batch or every record; with at-most-once delivery the batch is committed before it is
//!   processed (a crash mid-batch then loses it from the application's point of view).
//! - A poll is recorded in the history when its records have been processed: a member that
//!   crashes mid-batch never "read" the rest of it.

use crate::history::{Event, PolledPartition};
use crate::protocol::actor::{Actor, Control, Outbox};
use crate::protocol::consumer::config::ConsumerConfig;
use crate::protocol::consumer::kafka_consumer::{ConsumerTimer, KafkaConsumer};
use crate::protocol::message::Message;
use crate::protocol::types::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsumerMode {
    /// `subscribe` as a member of this group.
    Subscribe { group: String },
    /// `assign` every partition of the topics and `seekToBeginning`.
    AssignAll,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitMode {
    /// Kafka's `enable.auto.commit` (configured with the consumer).
    Auto,
    Sync,
    Async,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitEvery {
    Batch,
    Record,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Commit after processing: a crash re-delivers (duplicates).
    AtLeastOnce,
    /// Commit before processing: a crash loses what was being processed.
    AtMostOnce,
}

#[derive(Clone, Debug)]
pub struct ConsumerWorkload {
    pub topics: Vec<TopicName>,
    pub mode: ConsumerMode,
    pub client_id: String,
    pub processing_ms_per_record: u64,
    /// The application starts consuming at this time (a member joining later).
    pub start_ms: SimTime,
    pub commit: CommitMode,
    pub commit_every: CommitEvery,
    pub delivery: Delivery,
}

#[derive(Clone, Debug)]
pub enum ConsumerAppTimer {
    Consumer(ConsumerTimer),
    /// The record (or batch) being processed is done.
    Processed,
    /// The application's start time has come.
    Start,
}

/// A poll being processed, record by record.
struct Processing {
    polled: Vec<PolledPartition>,
    generation: Option<i32>,
    remaining: VecDeque<(TopicPartition, Offset)>,
    next_done_ms: SimTime,
}

pub struct ConsumerApp {
    workload: ConsumerWorkload,
    consumer: KafkaConsumer,
    assigned: bool,
    processing: Option<Processing>,
    /// False until `start_ms`: the process runs but the application has not begun.
    started: bool,
}

/// `assign` every partition of `topics` and `seekToBeginning`, once the metadata knows them all;
/// false while it does not yet.
pub fn assign_all_from_beginning(
    consumer: &mut KafkaConsumer,
    topics: &[TopicName],
    now: SimTime,
    out: &mut Outbox<ConsumerTimer>,
) -> bool {
    let counts = consumer.partition_counts();
    if !topics.iter().all(|t| counts.contains_key(t)) {
        return false;
    }
    let partitions: Vec<TopicPartition> =
        topics.iter().flat_map(|t| (0..counts[t]).map(move |p| TopicPartition::new(t.clone(), p))).collect();
    out.record(Event::Assigned { partitions: partitions.clone(), generation: None });
    consumer.assign(partitions);
    consumer.seek_to_beginning();
    consumer.run(now, out);
    true
}

impl ConsumerApp {
    pub fn new(workload: ConsumerWorkload, config: ConsumerConfig, bootstrap: Vec<BrokerId>, seed: u64) -> ConsumerApp {
        let mut consumer =
            KafkaConsumer::new(config, bootstrap, workload.topics.clone(), ChaCha8Rng::seed_from_u64(seed));
        if let ConsumerMode::Subscribe { group } = &workload.mode {
            consumer.subscribe(group, workload.topics.clone(), workload.client_id.clone());
        }
        ConsumerApp { workload, consumer, assigned: false, processing: None, started: false }
    }

    pub fn consumer(&self) -> &KafkaConsumer {
        &self.consumer
    }

    fn with_consumer(
        &mut self,
        out: &mut Outbox<ConsumerAppTimer>,
        f: impl FnOnce(&mut KafkaConsumer, &mut Outbox<ConsumerTimer>),
    ) {
        let mut inner = Outbox::default();
        f(&mut self.consumer, &mut inner);
        out.absorb(inner, ConsumerAppTimer::Consumer);
    }

    fn manual_commit(
        &mut self,
        now: SimTime,
        offsets: Option<Vec<(TopicPartition, Offset)>>,
        out: &mut Outbox<ConsumerAppTimer>,
    ) {
        let sync = match self.workload.commit {
            CommitMode::Auto => return,
            CommitMode::Sync => true,
            CommitMode::Async => false,
        };
        self.with_consumer(out, |c, o| c.commit(now, offsets, sync, o));
    }

    /// Assigns every partition once the metadata is known (manual mode).
    fn assign_all(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        let mut inner = Outbox::default();
        self.assigned = assign_all_from_beginning(&mut self.consumer, &self.workload.topics, now, &mut inner);
        out.absorb(inner, ConsumerAppTimer::Consumer);
    }

    /// The application loop: finish processing what is due, wait for a sync commit, else poll.
    fn step(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        if !self.started {
            return;
        }
        if self.workload.mode == ConsumerMode::AssignAll && !self.assigned {
            self.assign_all(now, out);
        }
        // A real application's loop polls again as soon as it has processed a batch, and `poll`
        // returns at once while records are buffered: with no processing time, one wake-up
        // drains the buffer `max.poll.records` at a time instead of one poll per wake-up.
        loop {
            self.advance_processing(now, out);
            if self.processing.is_some() || self.consumer.sync_commit_in_flight() {
                return;
            }
            if !self.poll_once(now, out) {
                return;
            }
        }
    }

    /// One `poll`, and the start of processing its records; false when it returned nothing.
    fn poll_once(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) -> bool {
        let mut polled = Vec::new();
        self.with_consumer(out, |c, o| polled = c.poll(now, o));
        if polled.is_empty() {
            return false;
        }
        if self.workload.delivery == Delivery::AtMostOnce {
            self.manual_commit(now, None, out);
        }
        let remaining: VecDeque<(TopicPartition, Offset)> =
            polled.iter().flat_map(|p| p.records.iter().map(move |(o, _)| (p.tp.clone(), *o))).collect();
        let per_record = self.workload.commit_every == CommitEvery::Record;
        let cost = self.workload.processing_ms_per_record;
        let first_done = now + if per_record { cost } else { cost * remaining.len() as u64 };
        self.consumer.set_processing(true);
        let generation = self.consumer.group_generation();
        self.processing = Some(Processing { polled, generation, remaining, next_done_ms: first_done });
        true
    }

    fn advance_processing(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        let per_record = self.workload.commit_every == CommitEvery::Record;
        let at_least_once = self.workload.delivery == Delivery::AtLeastOnce;
        let cost = self.workload.processing_ms_per_record;
        loop {
            let Some(processing) = &mut self.processing else { return };
            if processing.next_done_ms > now {
                out.set_timer(processing.next_done_ms, ConsumerAppTimer::Processed);
                return;
            }
            if per_record {
                let (tp, offset) = processing.remaining.pop_front().expect("processing a non-empty poll");
                processing.next_done_ms += cost;
                let batch_done = processing.remaining.is_empty();
                if at_least_once {
                    self.manual_commit(now, Some(vec![(tp, offset + 1)]), out);
                }
                if !batch_done {
                    if self.consumer.sync_commit_in_flight() {
                        return; // commitSync blocks the application until it returns
                    }
                    continue;
                }
            } else if at_least_once {
                self.manual_commit(now, None, out);
            }
            let done = self.processing.take().expect("checked above");
            out.record(Event::Polled { partitions: done.polled, generation: done.generation });
            self.consumer.set_processing(false);
            return;
        }
    }
}

impl Actor for ConsumerApp {
    type Timer = ConsumerAppTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<ConsumerAppTimer>) {
        if now < self.workload.start_ms {
            out.set_timer(self.workload.start_ms, ConsumerAppTimer::Start);
            return;
        }
        self.started = true;
        self.with_consumer(out, |c, o| c.run(now, o));
    }

    fn on_message(&mut self, now: SimTime, _from: NodeId, message: Message, out: &mut Outbox<ConsumerAppTimer>) {
        if let Message::Response { correlation_id, response } = message {
            self.with_consumer(out, |c, o| c.on_response(now, correlation_id, response, o));
        }
        self.step(now, out);
    }

    fn on_timer(&mut self, now: SimTime, timer: ConsumerAppTimer, out: &mut Outbox<ConsumerAppTimer>) {
        match timer {
            ConsumerAppTimer::Start => return self.on_start(now, out),
            ConsumerAppTimer::Consumer(t) => self.with_consumer(out, |c, o| c.on_timer(now, t, o)),
            ConsumerAppTimer::Processed => {}
        }
        self.step(now, out);
    }

    fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ConsumerAppTimer>) {
        self.with_consumer(out, |c, o| c.on_disconnect(now, peer, o));
        self.step(now, out);
    }

    fn on_control(&mut self, _now: SimTime, control: Control, _out: &mut Outbox<ConsumerAppTimer>) {
        match control {
            Control::SetProcessingMsPerRecord(ms) => self.workload.processing_ms_per_record = ms,
            Control::StopCommitting => self.consumer.stop_committing(),
            Control::StopWorkload => {}
        }
    }
}
