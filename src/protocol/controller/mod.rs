//! The KRaft controller: metadata image, placement, elections and the active controller node.

pub mod election;
pub mod image;
pub mod placement;
pub mod quorum_controller;

pub use quorum_controller::{ControllerDisk, ControllerTimer, QuorumController, TopicSpec};

#[cfg(test)]
mod tests;
