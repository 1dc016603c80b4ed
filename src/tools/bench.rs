//! `kafkasim bench FILE`: how fast the simulator runs a scenario, as ratios and rates measured in
//! one run (absolute times on shared machines are noise; a ratio of simulated to wall time, and
//! events per wall-second, compare across runs and machines far better).
//!
//! The simulation and the checks are timed apart: the simulation's speed bounds how many seeds
//! a sweep can run, and the checks' share says whether checking or simulating is the bottleneck.

use crate::check::run_all;
use crate::history::Event;
use crate::scenario::Scenario;
use crate::sim::{run_scenario, RunError};
use serde::Serialize;
use std::time::Instant;

#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    pub scenario: String,
    pub seed: u64,
    /// Simulated time of the whole run (workload and settle).
    pub sim_ms: u64,
    /// Wall time of the simulation alone.
    pub wall_ms: u64,
    /// Simulated time per wall time: 200 means a simulated minute takes 0.3 s.
    pub sim_to_wall_ratio: f64,
    /// Wall time of every checker over the history.
    pub check_wall_ms: u64,
    pub messages_delivered: u64,
    pub messages_per_wall_second: f64,
    pub records_produced: u64,
    pub records_acknowledged: u64,
    /// History entries recorded: every send, ack, poll, append, ISR and HW change.
    pub events: u64,
    pub events_per_wall_second: f64,
    /// The process's peak resident memory (Linux `VmHWM`), None where it cannot be read.
    pub peak_memory_bytes: Option<u64>,
}

/// Runs `scenario` at `seed`, then its checks, and reports how fast each went.
pub fn bench(scenario: &Scenario, seed: u64) -> Result<BenchReport, RunError> {
    let result = run_scenario(&scenario.for_seed(seed), seed)?;
    let checks_started = Instant::now();
    let outcomes = run_all(&result.history);
    let check_wall_ms = checks_started.elapsed().as_millis() as u64;
    debug_assert!(!outcomes.is_empty(), "every run is checked");
    let (mut produced, mut acknowledged) = (0, 0);
    for entry in &result.history.entries {
        match entry.event {
            Event::SendInvoked { .. } => produced += 1,
            Event::SendAcked { .. } => acknowledged += 1,
            _ => {}
        }
    }
    let stats = result.stats;
    let wall_s = (stats.wall_ms.max(1)) as f64 / 1000.0;
    Ok(BenchReport {
        scenario: scenario.name.clone(),
        seed,
        sim_ms: stats.sim_ms,
        wall_ms: stats.wall_ms,
        sim_to_wall_ratio: stats.sim_ms as f64 / stats.wall_ms.max(1) as f64,
        check_wall_ms,
        messages_delivered: stats.network.messages_delivered,
        messages_per_wall_second: stats.network.messages_delivered as f64 / wall_s,
        records_produced: produced,
        records_acknowledged: acknowledged,
        events: stats.history_entries,
        events_per_wall_second: stats.history_entries as f64 / wall_s,
        peak_memory_bytes: peak_memory_bytes(),
    })
}

/// `VmHWM` from `/proc/self/status`: the peak resident set size.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vm_hwm(&status)
}

fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

impl BenchReport {
    pub fn render_text(&self) -> String {
        let memory =
            self.peak_memory_bytes.map_or("unknown".to_string(), |b| format!("{:.0} MiB", b as f64 / 1048576.0));
        format!(
            "bench {} (seed {})\n\
             simulated          {:.1} s\n\
             simulation wall    {:.2} s   ({:.0}x real time)\n\
             checks wall        {:.2} s   ({:.0}% of the simulation)\n\
             messages delivered {}   ({:.0} per wall-second)\n\
             records            {} produced, {} acknowledged\n\
             history events     {}   ({:.0} per wall-second)\n\
             peak memory        {memory}\n",
            self.scenario,
            self.seed,
            self.sim_ms as f64 / 1000.0,
            self.wall_ms as f64 / 1000.0,
            self.sim_to_wall_ratio,
            self.check_wall_ms as f64 / 1000.0,
            100.0 * self.check_wall_ms as f64 / self.wall_ms.max(1) as f64,
            self.messages_delivered,
            self.messages_per_wall_second,
            self.records_produced,
            self.records_acknowledged,
            self.events,
            self.events_per_wall_second,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_read_from_vm_hwm() {
        let status = "Name:\tkafkasim\nVmPeak:\t  900 kB\nVmHWM:\t  12345 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(12345 * 1024));
        assert_eq!(parse_vm_hwm("Name:\tx\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\tlots kB\n"), None);
    }

    #[test]
    fn a_small_run_reports_consistent_figures() {
        let text = r#"
            name = "tiny"
            duration_ms = 2000
            settle_ms = 2000
            [cluster]
            brokers = 1
            [[topics]]
            name = "t"
            partitions = 1
            replication_factor = 1
            [[producers]]
            name = "p1"
            topic = "t"
            messages_per_sec = 100
        "#;
        let (_, scenario) = crate::scenario::parse_scenario("tiny.toml", text).unwrap();
        let report = bench(&scenario, 1).unwrap();
        assert_eq!(report.sim_ms, 4000);
        assert!(report.records_produced >= 150, "{report:?}");
        assert!(report.records_acknowledged <= report.records_produced);
        assert!(report.messages_delivered > report.records_acknowledged / 100);
        assert!(report.sim_to_wall_ratio > 0.0);
        assert!(report.render_text().contains("x real time"));
    }
}
