//! Replication: the leader's tracking of followers (ISR, high watermark) and the follower's
//! truncation protocol. Pure functions and state; the broker drives them.

pub mod leader;
pub mod truncation;
