//! The consumer: configs, the fetcher and positions (`kafka_consumer`); group membership comes
//! with the consumer-group work.

pub mod assignment;
pub mod config;
pub mod fetched_records;
pub mod group_membership;
pub mod kafka_consumer;
mod position_validation;
