//! What a shrink preserves: the way the original run failed. A listed check that must find
//! nothing (`expect = "none"`) found something, or the simulation panicked (a kafkasim bug).

use crate::lab::run::{execute, RunReport};
use crate::scenario::{Expect, Scenario};
use crate::sim::RunError;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// This check, listed with `expect = "none"`, finds a violation.
    Violation(String),
    /// The simulation panics.
    Panic,
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Violation(check) => write!(f, "{check} (expected none) finds a violation"),
            Target::Panic => f.write_str("the simulation panics"),
        }
    }
}

impl Target {
    /// The failure of a run to preserve: `requested` names a check, or else the first violated
    /// check in the table's order, or a panic. `Err` says why there is nothing to shrink.
    pub fn pick(
        scenario: &Scenario,
        run: &Result<RunReport, RunError>,
        requested: Option<&str>,
        seed: u64,
    ) -> Result<Target, String> {
        let report = match run {
            Err(RunError::Panic { .. }) => {
                return match requested {
                    None => Ok(Target::Panic),
                    Some(check) => Err(format!(
                        "seed {seed} panics before {check} can be judged: shrink the panic (leave out --check)"
                    )),
                }
            }
            Ok(report) => report,
        };
        let violated =
            |name: &str| report.verdicts.iter().any(|v| v.name == name && !v.ok && v.expect == Some(Expect::None));
        if let Some(check) = requested {
            return match scenario.expectation(check) {
                None => Err(format!("--check {check}: the scenario does not list this check in [[checks]]")),
                Some(Expect::Some) => Err(format!(
                    "--check {check}: it expects \"some\"; only a violation of an expect = \"none\" check can be shrunk"
                )),
                Some(Expect::None) if violated(check) => Ok(Target::Violation(check.to_string())),
                Some(Expect::None) => Err(format!("--check {check}: seed {seed} finds no violation of it")),
            };
        }
        if let Some(v) = report.verdicts.iter().find(|v| violated(&v.name)) {
            return Ok(Target::Violation(v.name.clone()));
        }
        if report.ok() {
            Err(format!("seed {seed} meets every expectation: there is no failure to shrink"))
        } else {
            Err(format!(
                "seed {seed} misses only expect = \"some\" checks (it demonstrates nothing); a shrink would just remove everything"
            ))
        }
    }

    /// Runs the candidate and tells whether it still fails this way.
    pub fn holds(&self, scenario: &Scenario, seed: u64) -> bool {
        match (self, execute(scenario, seed)) {
            (Target::Panic, Err(RunError::Panic { .. })) => true,
            (Target::Violation(check), Ok(report)) => report.verdicts.iter().any(|v| &v.name == check && !v.ok),
            _ => false,
        }
    }
}
