//! The library side of the small CLI tools whose contract SCENARIO-FORMAT.md fixes:
//! `kafkasim partition` and `kafkasim assign`.

pub mod assign;
pub mod bench;
pub mod partition;
