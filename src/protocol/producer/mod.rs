//! The producer: partitioners, accumulator, sender, retries, idempotence and transactions.

pub mod accumulator;
pub mod compression;
pub mod config;
pub mod idempotence;
pub mod kafka_producer;
pub mod metrics;
pub mod partitioner;
pub mod transaction_manager;
