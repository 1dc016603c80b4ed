//! The partition log: record batches, offsets, high watermark, leader-epoch cache, truncation,
//! retention, and the disk model (what survives a crash and what a power loss takes).

pub mod batch;
pub mod epoch_cache;
pub mod internal;
pub mod partition_log;
pub mod producer_state;
pub mod txn_index;

pub use batch::{ControlType, RecordBatch};
pub use epoch_cache::LeaderEpochCache;
pub use partition_log::PartitionLog;
