//! The `kafkasim` command line: parses arguments, calls the library, maps outcomes to exit
//! codes (0: every check met its expectation; 1: one did not; 2: invalid input; 3: a bug in
//! kafkasim, reported with the seed that reproduces it).

use anyhow::Context;
use clap::{Parser, Subcommand};
use kafkasim::lab::run::{execute, render_text, to_json};
use kafkasim::scenario::{self, parse_scenario, RawScenario, Scenario, ScenarioError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The scenario `cargo run --release` runs with no arguments.
const DEFAULT_SCENARIO_PATH: &str = "scenarios/fault-tolerance.toml";
const DEFAULT_SCENARIO: &str = include_str!("../scenarios/fault-tolerance.toml");

#[derive(Parser)]
#[command(name = "kafkasim", version, about = "A deterministic Apache Kafka cluster simulator and teaching lab")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario, check it, and report.
    Run {
        /// The scenario file (TOML, format v1).
        file: PathBuf,
        /// The seed (overrides the scenario's `seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Where to write the report (default: reports/<scenario>-<seed>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print one JSON object on stdout instead of the text summary.
        #[arg(long)]
        json: bool,
    },
    /// Parse and validate a scenario without running it.
    Validate { file: PathBuf },
    /// The partition Kafka's default partitioner picks for each key (murmur2, as the Java
    /// client): one `key<TAB>partition` line per key.
    Partition {
        #[arg(long)]
        partitions: i64,
        #[arg(long = "key", required = true)]
        keys: Vec<String>,
    },
    /// The assignment a Kafka assignor produces for the members and topics in a JSON file.
    Assign {
        /// range, roundrobin, sticky or cooperative-sticky (or Kafka's class name).
        #[arg(long)]
        strategy: String,
        /// {"topics": {"t": 6}, "members": [{"id": "m1", "topics": ["t"], "owned": [["t", 0]]}]}
        #[arg(long)]
        input: PathBuf,
    },
}

enum Failure {
    /// Invalid input: exit 2.
    Input(String),
    /// A bug in kafkasim: exit 3.
    Bug(String),
}

fn load(path: &Path) -> Result<(RawScenario, Scenario), Failure> {
    scenario::load(path).map_err(|e: ScenarioError| Failure::Input(e.render()))
}

fn run(
    file: &str,
    raw_and_scenario: (RawScenario, Scenario),
    seed: Option<u64>,
    out: Option<PathBuf>,
    json: bool,
) -> Result<ExitCode, Failure> {
    let (_, scenario) = raw_and_scenario;
    let seed = seed.or(scenario.seed).unwrap_or(1);
    let replay = format!("kafkasim run {file} --seed {seed}");
    // The first line a run prints is its seed (on stderr when stdout carries JSON).
    if json {
        eprintln!("seed: {seed}");
    } else {
        println!("seed: {seed}");
    }
    let report = execute(&scenario, seed).map_err(|e| Failure::Bug(format!("{e}\nreproduce with: {replay}")))?;
    let dir = out.unwrap_or_else(|| PathBuf::from("reports").join(format!("{}-{seed}", scenario.name)));
    write_outputs(&dir, &report)
        .map_err(|e| Failure::Input(format!("cannot write the report to {}: {e:#}", dir.display())))?;
    if json {
        println!("{}", to_json(&report));
    } else {
        print!("{}", render_text(&scenario, &report, &replay));
        println!("\nreport: {}", dir.display());
    }
    Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn write_outputs(dir: &Path, report: &kafkasim::lab::run::RunReport) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let history = std::fs::File::create(dir.join("history.jsonl"))?;
    kafkasim::history::write_jsonl(&report.history, std::io::BufWriter::new(history))?;
    std::fs::write(dir.join("result.json"), serde_json::to_string_pretty(&to_json(report))?)?;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => {
            let parsed = parse_scenario(DEFAULT_SCENARIO_PATH, DEFAULT_SCENARIO).map_err(|e| Failure::Bug(e.render()));
            parsed.and_then(|s| run(DEFAULT_SCENARIO_PATH, s, None, None, false))
        }
        Some(Command::Run { file, seed, out, json }) => {
            load(&file).and_then(|s| run(&file.display().to_string(), s, seed, out, json))
        }
        Some(Command::Partition { partitions, keys }) => match kafkasim::tools::partition::run(partitions, &keys) {
            Ok(lines) => {
                print!("{lines}");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => Err(Failure::Input(format!("kafkasim partition: {e}"))),
        },
        Some(Command::Assign { strategy, input }) => std::fs::read_to_string(&input)
            .map_err(|e| Failure::Input(format!("kafkasim assign: cannot read {}: {e}", input.display())))
            .and_then(|text| {
                kafkasim::tools::assign::assign_json(&strategy, &text)
                    .map_err(|e| Failure::Input(format!("kafkasim assign: {}: {e}", input.display())))
            })
            .map(|json| {
                println!("{json}");
                ExitCode::SUCCESS
            }),
        Some(Command::Validate { file }) => load(&file).map(|(_, s)| {
            println!(
                "{}: ok ({} broker(s), {} topic(s), {} fault(s), {} check(s))",
                file.display(),
                s.brokers,
                s.topics.len(),
                s.faults.len(),
                s.checks.len()
            );
            ExitCode::SUCCESS
        }),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Input(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::Bug(message)) => {
            eprintln!("kafkasim: internal error (a bug in kafkasim, please report it): {message}");
            ExitCode::from(3)
        }
    }
}
