//! Kafka configs as the simulator models them: the key tables with Kafka's defaults and
//! validators, and the typed settings the protocol reads.

pub mod broker;
pub mod def;
pub mod planted_bug;
