//! The user-facing runs: executing a scenario with its checks and summary, and the Kafka-CLI
//! style views (`kafka-topics --describe`).

pub mod consumer_groups;
pub mod describe;
pub mod partition_spread;
pub mod producer_metrics;
pub mod rebalances;
pub mod report;
pub mod run;
