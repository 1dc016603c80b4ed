//! Transactions (KIP-98, KIP-890): the transaction coordinator with its `__transaction_state`
//! log, and the COMMIT/ABORT markers it writes. The partition side (open transactions, the last
//! stable offset, the aborted-transaction index) lives with the log (`log::txn_index`), and the
//! producer side in `producer::transaction_manager`.

pub mod coordinator;
pub mod metadata;

#[cfg(test)]
mod tests;
