//! The applications that drive the clients: a producer sending unique values at a rate, and a
//! consumer reading and (slowly, if asked) processing what it polls, and the reads a
//! consume-transform-produce producer makes inside its transactions.

pub mod consumer_app;
pub mod keys;
pub mod producer_app;
pub mod transaction_reads;
