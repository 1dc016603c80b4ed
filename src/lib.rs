//! kafkasim: a deterministic Apache Kafka cluster simulator and teaching lab.
//!
//! Dependencies point one way: `sim -> protocol`; `check` and `report` read only the recorded
//! `history`. See ARCHITECTURE.md for the map.

pub mod check;
pub mod history;
pub mod lab;
pub mod protocol;
pub mod report;
pub mod scenario;
pub mod shrink;
pub mod sim;
pub mod sweep;
pub mod tools;
