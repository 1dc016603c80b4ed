//! The consumer: configs, the fetcher and positions (`kafka_consumer`); group membership comes
//! with the consumer-group work.

pub mod config;
pub mod kafka_consumer;
