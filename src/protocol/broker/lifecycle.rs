//! The broker's side of KRaft: registration, heartbeats and replicating the metadata log
//! (`BrokerLifecycleManager`, and the broker's metadata log follower).
//!
//! A broker cut off from the controller keeps its last metadata and acts on it: it keeps
//! leading its partitions until it learns otherwise, while the controller fences it when its
//! heartbeats stop and elects other leaders. That window is where the zoo's losses happen.

use super::*;
use crate::protocol::errors::ErrorCode;

impl Broker {
    pub(super) fn start_lifecycle(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        self.send_metadata_fetch(now, out);
        self.send_registration(now, out);
    }

    pub(super) fn send_registration(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        if self.registration_inflight || self.broker_epoch.is_some() {
            return;
        }
        self.registration_inflight = true;
        let request = Request::BrokerRegistration { broker: self.id, incarnation: self.incarnation };
        self.send_request(now, self.controller, request, Pending::Registration, CONTROLLER_REQUEST_TIMEOUT_MS, out);
    }

    pub(super) fn on_registration_response(
        &mut self,
        now: SimTime,
        error: ErrorCode,
        broker_epoch: i64,
        out: &mut Outbox<BrokerTimer>,
    ) {
        self.registration_inflight = false;
        if error.is_none() {
            self.broker_epoch = Some(broker_epoch);
            self.send_heartbeat(now, out);
            self.maybe_finish_initial_catch_up(now, out);
        } else {
            out.set_timer(now + CONTROLLER_RETRY_BACKOFF_MS, BrokerTimer::RegistrationRetry);
        }
    }

    pub(super) fn send_heartbeat(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        let Some(broker_epoch) = self.broker_epoch else { return };
        let request =
            Request::BrokerHeartbeat { broker: self.id, broker_epoch, metadata_offset: self.image.next_offset };
        self.send_request(now, self.controller, request, Pending::Heartbeat, CONTROLLER_REQUEST_TIMEOUT_MS, out);
    }

    pub(super) fn on_heartbeat_response(
        &mut self,
        now: SimTime,
        error: ErrorCode,
        is_fenced: bool,
        out: &mut Outbox<BrokerTimer>,
    ) {
        match error {
            ErrorCode::None => {
                let interval = if is_fenced {
                    FENCED_HEARTBEAT_INTERVAL_MS.min(self.config.broker_heartbeat_interval_ms)
                } else {
                    self.config.broker_heartbeat_interval_ms
                };
                out.set_timer(now + interval, BrokerTimer::Heartbeat);
            }
            // The controller no longer knows this registration: register again.
            _ => {
                self.broker_epoch = None;
                self.send_registration(now, out);
            }
        }
    }

    pub(super) fn send_metadata_fetch(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        if self.metadata_fetch_inflight {
            return;
        }
        self.metadata_fetch_inflight = true;
        let request = Request::MetadataFetch {
            broker: self.id,
            fetch_offset: self.image.next_offset,
            max_wait_ms: METADATA_FETCH_MAX_WAIT_MS,
        };
        self.send_request(
            now,
            self.controller,
            request,
            Pending::MetadataFetch,
            METADATA_FETCH_MAX_WAIT_MS + CONTROLLER_REQUEST_TIMEOUT_MS,
            out,
        );
    }

    /// Whether this broker has replayed the metadata log past its own registration. Until then
    /// it does not act on partition metadata: what it has may predate its restart (a KRaft
    /// broker starts its replica manager only after this initial catch-up).
    fn caught_up(&self) -> bool {
        self.broker_epoch.is_some_and(|epoch| self.image.next_offset > epoch)
    }

    fn maybe_finish_initial_catch_up(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        if self.caught_up() && !self.acting_on_metadata {
            self.acting_on_metadata = true;
            let hosted: Vec<TopicPartition> = self
                .image
                .partitions
                .iter()
                .filter(|(_, r)| r.replicas.contains(&self.id))
                .map(|(tp, _)| tp.clone())
                .collect();
            for tp in hosted {
                self.apply_partition_metadata(now, &tp, out);
            }
        }
    }

    /// Replays fetched metadata records, then acts on every partition they touched.
    pub(super) fn on_metadata_records(
        &mut self,
        now: SimTime,
        records: Vec<(Offset, MetadataRecord)>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        self.metadata_fetch_inflight = false;
        let mut touched: Vec<TopicPartition> = Vec::new();
        for (offset, record) in records {
            if offset != self.image.next_offset {
                continue; // already applied (a retried fetch raced an answer)
            }
            self.image.apply(offset, &record);
            if let MetadataRecord::Partition { tp, .. } = &record {
                if !touched.contains(tp) {
                    touched.push(tp.clone());
                }
            }
        }
        if self.acting_on_metadata {
            for tp in touched {
                self.apply_partition_metadata(now, &tp, out);
            }
        } else {
            self.maybe_finish_initial_catch_up(now, out);
        }
        self.send_metadata_fetch(now, out);
    }
}
