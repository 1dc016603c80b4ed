//! Consumer groups: the group coordinator's state machine and Kafka's partition assignors.

pub mod assignor;
pub mod coordinator;
pub mod group_metadata;

#[cfg(test)]
mod tests;
