//! Consumer groups: the group coordinator's state machine and Kafka's partition assignors.

pub mod assignor;
