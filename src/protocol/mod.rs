//! Pure, sans-I/O Kafka logic. No simulator runtime, no async, no clock, no RNG of its own: every state
//! machine here is stepped with an input and `now`, and answers with an `Outbox` of commands.

pub mod actor;
pub mod broker;
pub mod client;
pub mod config;
pub mod consumer;
pub mod controller;
pub mod errors;
pub mod group;
pub mod log;
pub mod message;
pub mod producer;
pub mod replica;
pub mod txn;
pub mod types;
pub mod workload;
