//! A learner's experiment: a fault typed at a checkpoint (`crash broker-2`, `partition broker-1 |
//! broker-2 broker-3`, `heal`, `restart broker-2`) is added to the lab's scenario at the
//! checkpoint's time, and the changed scenario is written down as an ordinary scenario file, so
//! that `kafkasim run FILE` replays exactly the run the lab showed (same seed, same trace hash).

use crate::protocol::types::SimTime;
use crate::scenario::raw::{RawFault, RawScenario};
use crate::scenario::{parse_scenario, to_toml, Scenario, ScenarioError};
use toml::Spanned;

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(0..0, value)
}

/// A fault command as typed, checked against the scenario's node names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultCommand {
    Crash(String),
    Restart(String),
    Pause(String),
    Resume(String),
    Partition(Vec<Vec<String>>),
    Heal,
}

pub const FAULT_COMMANDS: &str =
    "crash NODE | restart NODE | pause NODE | resume NODE | partition A B | C D (groups split by `|`) | heal";

impl FaultCommand {
    /// Parses `line`; Ok(None) when it is not a fault command at all.
    pub fn parse(line: &str, scenario: &Scenario) -> Result<Option<FaultCommand>, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let node = |name: &str| -> Result<String, String> {
            if scenario.node_by_name(name).is_some() {
                Ok(name.to_string())
            } else {
                let known: Vec<String> = scenario.nodes().into_iter().map(|(_, n)| n).collect();
                Err(format!("no node `{name}` in this lab (nodes: {})", known.join(", ")))
            }
        };
        let one = |verb: &str| -> Result<String, String> {
            match words.as_slice() {
                [_, name] => node(name),
                _ => Err(format!("usage: {verb} NODE (e.g. {verb} broker-2)")),
            }
        };
        let command = match words.first().copied() {
            Some("crash") => FaultCommand::Crash(one("crash")?),
            Some("restart") => FaultCommand::Restart(one("restart")?),
            Some("pause") => FaultCommand::Pause(one("pause")?),
            Some("resume") => FaultCommand::Resume(one("resume")?),
            Some("heal") if words.len() == 1 => FaultCommand::Heal,
            Some("partition") => {
                let rest = line.trim_start().strip_prefix("partition").unwrap_or("");
                let groups: Vec<Vec<String>> = rest
                    .split('|')
                    .map(|g| g.split_whitespace().map(node).collect::<Result<Vec<_>, _>>())
                    .collect::<Result<_, _>>()?;
                if groups.len() < 2 || groups.iter().any(Vec::is_empty) {
                    return Err("usage: partition broker-1 | broker-2 broker-3 (two or more groups)".into());
                }
                FaultCommand::Partition(groups)
            }
            _ => return Ok(None),
        };
        Ok(Some(command))
    }

    fn to_raw(&self, at_ms: SimTime) -> RawFault {
        let (kind, node, groups) = match self {
            FaultCommand::Crash(n) => ("crash", Some(n.clone()), None),
            FaultCommand::Restart(n) => ("restart", Some(n.clone()), None),
            FaultCommand::Pause(n) => ("pause", Some(n.clone()), None),
            FaultCommand::Resume(n) => ("resume", Some(n.clone()), None),
            FaultCommand::Heal => ("heal", None, None),
            FaultCommand::Partition(g) => {
                ("partition", None, Some(g.iter().map(|group| group.iter().cloned().map(spanned).collect()).collect()))
            }
        };
        RawFault {
            at_ms: spanned(at_ms),
            kind: spanned(kind.to_string()),
            node: node.map(spanned),
            lose_unflushed: None,
            groups: groups.map(spanned),
            from: None,
            to: None,
            latency_ms: None,
            packet_loss: None,
            processing_ms_per_record: None,
        }
    }
}

/// The lab's scenario with `command` added at `at_ms` (after the faults already scheduled at that
/// time, as a schedule applies same-time faults in file order), named as an experiment and
/// pinned to `seed`. Returns the TOML text and the scenario parsed back from it: the lab runs
/// exactly what the file says.
pub fn add_fault(
    raw: &RawScenario,
    lab_id: &str,
    seed: u64,
    command: &FaultCommand,
    at_ms: SimTime,
    file: &str,
) -> Result<(String, RawScenario, Scenario), ScenarioError> {
    let mut raw = raw.clone();
    let fault = command.to_raw(at_ms);
    let position = raw.faults.iter().position(|f| *f.at_ms.get_ref() > at_ms).unwrap_or(raw.faults.len());
    raw.faults.insert(position, fault);
    if !raw.name.get_ref().ends_with("-experiment") {
        raw.name = spanned(format!("{lab_id}-experiment"));
    }
    raw.seed = Some(seed);
    let text = format!(
        "# Written by `kafkasim lab run`: lab {lab_id} with the faults typed at its checkpoints.\n\
         # Replay it with: kafkasim run {file}\n{}",
        to_toml(&raw)
    );
    let (raw, scenario) = parse_scenario(file, &text)?;
    Ok((text, raw, scenario))
}
