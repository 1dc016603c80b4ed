//! The user-facing runs: executing a scenario with its checks and summary, the Kafka-CLI style
//! views (`kafka-topics --describe`, `kafka-consumer-groups --describe`), and the teaching labs
//! (`labs/NN-topic/lab.toml`): checkpoints located in a recorded run, their views as of that
//! moment, their expected state, and the learner's experiments.

pub mod alerts;
pub mod book_figures;
pub mod catalog;
pub mod cluster_at;
pub mod consumer_groups;
pub mod consumer_metrics;
pub mod describe;
pub mod evidence;
pub mod expectation;
pub mod experiment;
pub mod lab_file;
pub mod names;
pub mod partition_spread;
pub mod producer_metrics;
pub mod rebalances;
pub mod report;
pub mod run;
pub mod session;
pub mod table;
pub mod trigger;
pub mod views;
