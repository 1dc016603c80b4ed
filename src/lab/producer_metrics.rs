//! The producers' `producer-metrics` at the end of a run, as a table a learner can compare
//! across configurations (batching, compression, acks): one row per producer, Kafka's metric
//! names as columns, computed over the part of the workload phase each producer process ran
//! (the producers stop sending when the workload ends; the settle phase would dilute the rates).

use super::table::{render_table, Align};
use crate::history::History;
use crate::protocol::producer::metrics::ProducerMetricRates;
use serde::Serialize;

/// One producer's rates at the end of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProducerMetricsRow {
    pub producer: String,
    #[serde(flatten)]
    pub rates: ProducerMetricRates,
    /// The same metrics per sample window (about a second of simulated time each), ending at
    /// `end_ms`: how a fault shows in the send rate, latency and retries as it happens.
    pub over_time: Vec<WindowRates>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WindowRates {
    pub end_ms: u64,
    #[serde(flatten)]
    pub rates: ProducerMetricRates,
}

/// The rates of every producer still running at the end of `history`.
pub fn producer_metrics(history: &History) -> Vec<ProducerMetricsRow> {
    history
        .final_state
        .producers
        .iter()
        .map(|p| ProducerMetricsRow {
            producer: p.name.clone(),
            rates: p.metrics.rates(history.meta.workload_end_ms.saturating_sub(p.metrics.started_ms)),
            over_time: p
                .samples
                .windows(2)
                .map(|w| WindowRates {
                    end_ms: w[1].at_ms,
                    rates: w[1].totals.since(&w[0].totals).rates(w[1].at_ms - w[0].at_ms),
                })
                .collect(),
        })
        .collect()
}

/// The rows as an aligned table; empty when there are none.
pub fn render_producer_metrics(rows: &[ProducerMetricsRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let header = [
        "PRODUCER",
        "record-send-rate",
        "request-latency-avg",
        "request-latency-p99",
        "request-latency-max",
        "record-queue-time-avg",
        "batch-size-avg",
        "compression-rate-avg",
        "record-retry-rate",
        "record-error-rate",
    ];
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for row in rows {
        let r = &row.rates;
        table.push(vec![
            row.producer.clone(),
            format!("{:.1}", r.record_send_rate),
            format!("{:.1}", r.request_latency_avg),
            format!("{:.0}", r.request_latency_p99),
            format!("{:.0}", r.request_latency_max),
            format!("{:.1}", r.record_queue_time_avg),
            format!("{:.0}", r.batch_size_avg),
            format!("{:.3}", r.compression_rate_avg),
            format!("{:.1}", r.record_retry_rate),
            format!("{:.1}", r.record_error_rate),
        ]);
    }
    render_table(&table, Align::Left, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::ProducerFinal;
    use crate::protocol::producer::metrics::ProducerMetricsTotals;

    #[test]
    fn rates_cover_the_time_the_producer_ran() {
        let mut history = History::default();
        history.meta.workload_end_ms = 10_000;
        history.meta.end_ms = 40_000;
        history.final_state.producers.push(ProducerFinal {
            name: "p1".into(),
            metrics: ProducerMetricsTotals {
                started_ms: 5_000,
                records_sent: 1_000,
                requests: 10,
                request_latency_sum_ms: 50,
                request_latency_max_ms: 9,
                request_latency_p99_ms: 9,
                batches: 10,
                batch_bytes: 20_000,
                records_bytes_uncompressed: 40_000,
                records_bytes_compressed: 10_000,
                ..Default::default()
            },
            samples: Vec::new(),
        });
        let rows = producer_metrics(&history);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].rates.record_send_rate, 200.0, "1000 records over the 5 s it ran");
        assert_eq!(rows[0].rates.request_latency_avg, 5.0);
        assert_eq!(rows[0].rates.batch_size_avg, 2000.0);
        assert_eq!(rows[0].rates.compression_rate_avg, 0.25);
        let text = render_producer_metrics(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("PRODUCER record-send-rate"), "{text}");
        assert!(lines[1].starts_with("p1       200.0"), "{text}");
        assert_eq!(render_producer_metrics(&[]), "");
    }
}
