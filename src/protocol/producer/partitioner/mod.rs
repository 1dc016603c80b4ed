//! Producer partitioners: which partition of a topic each record is sent to.

pub mod murmur2;

pub use murmur2::{murmur2, partition_for_key, to_positive};
