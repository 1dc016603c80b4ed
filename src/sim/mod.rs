//! The simulation host: the ONLY module that uses madsim. One madsim node per broker,
//! controller and client; an ordered transport; fault injection; the history recorder.

pub mod cluster;
pub mod faults;
pub mod network;
pub mod node;
pub mod recorder;
pub mod run;

pub use run::{run_scenario, run_scenario_with, RunError, RunOptions, RunResult, RunStats};
