//! Pieces shared by producers and consumers.

pub mod connections;
pub mod metadata;
