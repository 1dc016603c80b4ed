//! Temporary placeholder until compression lands.
