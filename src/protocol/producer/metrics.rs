//! The producer's own measurements, the ones Kafka's `producer-metrics` group reports
//! (`SenderMetricsRegistry`): records sent, retried and failed, request latency, batch sizes
//! and the compression rate.
//!
//! Kafka samples these in windows (`metrics.sample.window.ms`); here the producer keeps exact
//! totals since its process started, and [`ProducerMetricsTotals::rates`] turns them into Kafka's
//! metric names over the time they cover. Totals are integers so that a run's final state
//! compares and hashes exactly.

use crate::protocol::types::SimTime;
use serde::{Deserialize, Serialize};

/// Exact totals since the producer process started.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerMetricsTotals {
    /// When the producer process started.
    pub started_ms: SimTime,
    /// Records acknowledged (`record-send-total` counts records handed to the network; an
    /// acknowledgement is what a learner waits for, and acks=0 acknowledges on sending).
    pub records_sent: u64,
    /// Records in batches that were retried (`record-retry-total`).
    pub records_retried: u64,
    /// Records whose send failed for good (`record-error-total`).
    pub records_failed: u64,
    /// Produce requests answered (or timed out): the latency samples.
    pub requests: u64,
    pub request_latency_sum_ms: u64,
    pub request_latency_max_ms: u64,
    /// Nearest-rank 99th percentile of the request latencies.
    pub request_latency_p99_ms: u64,
    /// Batches closed and sent for the first time.
    pub batches: u64,
    /// Their sizes on the wire (compressed), headers included.
    pub batch_bytes: u64,
    /// Their records sections before and after compression (headers excluded).
    pub records_bytes_uncompressed: u64,
    pub records_bytes_compressed: u64,
    /// Time those batches waited in the accumulator before their first send: linger.ms, a
    /// full in-flight window, a leader being unknown.
    #[serde(default)]
    pub batch_queue_time_sum_ms: u64,
    #[serde(default)]
    pub batch_queue_time_max_ms: u64,
}

/// Kafka's metric names, computed from totals over `elapsed_ms`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerMetricRates {
    #[serde(rename = "record-send-rate")]
    pub record_send_rate: f64,
    #[serde(rename = "request-latency-avg")]
    pub request_latency_avg: f64,
    /// Not a Kafka metric (Kafka reports avg and max); the course asks for the tail.
    #[serde(rename = "request-latency-p99")]
    pub request_latency_p99: f64,
    #[serde(rename = "request-latency-max")]
    pub request_latency_max: f64,
    /// Average time a batch spent in the accumulator before it was sent.
    #[serde(rename = "record-queue-time-avg")]
    pub record_queue_time_avg: f64,
    #[serde(rename = "record-queue-time-max")]
    pub record_queue_time_max: f64,
    #[serde(rename = "batch-size-avg")]
    pub batch_size_avg: f64,
    #[serde(rename = "compression-rate-avg")]
    pub compression_rate_avg: f64,
    #[serde(rename = "record-retry-rate")]
    pub record_retry_rate: f64,
    #[serde(rename = "record-error-rate")]
    pub record_error_rate: f64,
}

impl ProducerMetricsTotals {
    /// What happened between `earlier` and these totals, as totals (the latency maximum and
    /// p99 are not windowed: they stay those of the whole run so far).
    pub fn since(&self, earlier: &ProducerMetricsTotals) -> ProducerMetricsTotals {
        ProducerMetricsTotals {
            started_ms: earlier.started_ms,
            records_sent: self.records_sent - earlier.records_sent,
            records_retried: self.records_retried - earlier.records_retried,
            records_failed: self.records_failed - earlier.records_failed,
            requests: self.requests - earlier.requests,
            request_latency_sum_ms: self.request_latency_sum_ms - earlier.request_latency_sum_ms,
            request_latency_max_ms: self.request_latency_max_ms,
            request_latency_p99_ms: self.request_latency_p99_ms,
            batches: self.batches - earlier.batches,
            batch_bytes: self.batch_bytes - earlier.batch_bytes,
            records_bytes_uncompressed: self.records_bytes_uncompressed - earlier.records_bytes_uncompressed,
            records_bytes_compressed: self.records_bytes_compressed - earlier.records_bytes_compressed,
            batch_queue_time_sum_ms: self.batch_queue_time_sum_ms - earlier.batch_queue_time_sum_ms,
            batch_queue_time_max_ms: self.batch_queue_time_max_ms,
        }
    }

    /// Rates per second over `elapsed_ms`, averages per request or batch (0 when there was none).
    pub fn rates(&self, elapsed_ms: SimTime) -> ProducerMetricRates {
        let per_second = |n: u64| if elapsed_ms == 0 { 0.0 } else { n as f64 * 1000.0 / elapsed_ms as f64 };
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        ProducerMetricRates {
            record_send_rate: per_second(self.records_sent),
            request_latency_avg: ratio(self.request_latency_sum_ms, self.requests),
            request_latency_p99: self.request_latency_p99_ms as f64,
            request_latency_max: self.request_latency_max_ms as f64,
            record_queue_time_avg: ratio(self.batch_queue_time_sum_ms, self.batches),
            record_queue_time_max: self.batch_queue_time_max_ms as f64,
            batch_size_avg: ratio(self.batch_bytes, self.batches),
            compression_rate_avg: if self.records_bytes_uncompressed == 0 {
                1.0
            } else {
                ratio(self.records_bytes_compressed, self.records_bytes_uncompressed)
            },
            record_retry_rate: per_second(self.records_retried),
            record_error_rate: per_second(self.records_failed),
        }
    }
}

/// How often the producer snapshots its totals, in simulated time. Kafka samples its rates in
/// `metrics.sample.window.ms` windows (30 s); one second shows a fault's effect as it happens.
pub const METRICS_SAMPLE_INTERVAL_MS: SimTime = 1000;

/// The totals at one instant: the rates between two samples are the metrics over that window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerMetricsSample {
    pub at_ms: SimTime,
    pub totals: ProducerMetricsTotals,
}

/// Collects the samples behind [`ProducerMetricsTotals`].
#[derive(Clone, Debug, Default)]
pub struct ProducerMetrics {
    totals: ProducerMetricsTotals,
    request_latencies_ms: Vec<u32>,
    samples: Vec<ProducerMetricsSample>,
}

impl ProducerMetrics {
    pub fn new(started_ms: SimTime) -> ProducerMetrics {
        ProducerMetrics { totals: ProducerMetricsTotals { started_ms, ..Default::default() }, ..Default::default() }
    }

    /// Snapshots the totals when a sample interval has passed since the last snapshot (the
    /// producer calls this on every sender pass; a quiet producer takes no samples).
    pub fn maybe_sample(&mut self, now: SimTime) {
        let due = self.samples.last().map_or(self.totals.started_ms, |s| s.at_ms) + METRICS_SAMPLE_INTERVAL_MS;
        if now >= due {
            self.samples.push(ProducerMetricsSample { at_ms: now, totals: self.totals.clone() });
        }
    }

    pub fn samples(&self) -> &[ProducerMetricsSample] {
        &self.samples
    }

    pub fn records_sent(&mut self, records: usize) {
        self.totals.records_sent += records as u64;
    }

    pub fn records_retried(&mut self, records: usize) {
        self.totals.records_retried += records as u64;
    }

    pub fn records_failed(&mut self, records: usize) {
        self.totals.records_failed += records as u64;
    }

    pub fn request_completed(&mut self, latency_ms: SimTime) {
        self.totals.requests += 1;
        self.totals.request_latency_sum_ms += latency_ms;
        self.totals.request_latency_max_ms = self.totals.request_latency_max_ms.max(latency_ms);
        self.request_latencies_ms.push(latency_ms.min(u32::MAX as u64) as u32);
    }

    /// A batch was closed for its first send: `wire_bytes` with its header,
    /// `uncompressed_records_bytes` before compression, after `queue_time_ms` in the accumulator.
    pub fn batch_sent(
        &mut self,
        wire_bytes: u64,
        uncompressed_records_bytes: u64,
        compressed_records_bytes: u64,
        queue_time_ms: SimTime,
    ) {
        self.totals.batches += 1;
        self.totals.batch_queue_time_sum_ms += queue_time_ms;
        self.totals.batch_queue_time_max_ms = self.totals.batch_queue_time_max_ms.max(queue_time_ms);
        self.totals.batch_bytes += wire_bytes;
        self.totals.records_bytes_uncompressed += uncompressed_records_bytes;
        self.totals.records_bytes_compressed += compressed_records_bytes;
    }

    pub fn totals(&self) -> ProducerMetricsTotals {
        let mut totals = self.totals.clone();
        totals.request_latency_p99_ms = nearest_rank_p99(&self.request_latencies_ms);
        totals
    }
}

/// The nearest-rank 99th percentile (0 for no samples).
fn nearest_rank_p99(samples: &[u32]) -> u64 {
    if samples.is_empty() {
        return 0;
    }
    let mut sorted = samples.to_vec();
    let rank = (samples.len() * 99).div_ceil(100).max(1) - 1;
    let (_, p99, _) = sorted.select_nth_unstable(rank);
    *p99 as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_use_kafkas_names_and_exact_totals() {
        let mut m = ProducerMetrics::new(0);
        m.records_sent(300);
        m.records_retried(10);
        m.records_failed(2);
        for latency in 1..=100 {
            m.request_completed(latency);
        }
        m.batch_sent(1061, 4000, 1000, 5);
        m.batch_sent(561, 2000, 500, 15);
        let totals = m.totals();
        assert_eq!((totals.request_latency_p99_ms, totals.request_latency_max_ms), (99, 100));
        let rates = totals.rates(2000);
        assert_eq!(rates.record_send_rate, 150.0);
        assert_eq!(rates.request_latency_avg, 50.5);
        assert_eq!(rates.batch_size_avg, 811.0);
        assert_eq!((rates.record_queue_time_avg, rates.record_queue_time_max), (10.0, 15.0));
        assert_eq!(rates.compression_rate_avg, 0.25);
        assert_eq!((rates.record_retry_rate, rates.record_error_rate), (5.0, 1.0));
        let json = serde_json::to_string(&rates).unwrap();
        assert!(json.contains("\"record-send-rate\":150.0"), "{json}");
    }

    #[test]
    fn samples_are_taken_once_per_interval_and_window_rates_come_from_their_differences() {
        let mut m = ProducerMetrics::new(100);
        m.maybe_sample(500);
        assert!(m.samples().is_empty(), "the first interval has not passed");
        m.records_sent(10);
        m.maybe_sample(1100);
        m.records_sent(30);
        m.maybe_sample(1500);
        m.maybe_sample(2150);
        let samples = m.samples();
        assert_eq!(samples.iter().map(|s| s.at_ms).collect::<Vec<_>>(), vec![1100, 2150]);
        let window = samples[1].totals.since(&samples[0].totals);
        assert_eq!(window.records_sent, 30);
        assert_eq!(window.rates(samples[1].at_ms - samples[0].at_ms).record_send_rate, 30.0 * 1000.0 / 1050.0);
    }

    #[test]
    fn no_samples_give_zeros_not_nan() {
        let rates = ProducerMetrics::new(0).totals().rates(0);
        assert_eq!(rates.record_send_rate, 0.0);
        assert_eq!(rates.request_latency_avg, 0.0);
        assert_eq!(rates.compression_rate_avg, 1.0);
    }
}
