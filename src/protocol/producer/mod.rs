//! The producer: partitioners, accumulator, sender, retries, idempotence and transactions.

pub mod compression;
pub mod partitioner;
