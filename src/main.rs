//! The `kafkasim` command line: parses arguments, calls the library, maps outcomes to exit
//! codes (0: every check met its expectation; 1: one did not; 2: invalid input; 3: a bug in
//! kafkasim, reported with the seed that reproduces it).

use clap::{Parser, Subcommand};
use kafkasim::lab::report::{write_report, ReportFiles, ReportRequest};
use kafkasim::lab::run::{execute_with, render_text, report_for_checks, to_json, RunReport};
use kafkasim::report::messages::{parse_window, DiagramOptions};
use kafkasim::report::paths::default_report_dir;
use kafkasim::report::PlotOptions;
use kafkasim::scenario::{self, parse_scenario, RawScenario, Scenario, ScenarioError};
use kafkasim::shrink::ShrinkOptions;
use kafkasim::sim::{RunOptions, RunStats};
use kafkasim::sweep::{SweepError, SweepPlan, SweepResult};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Re-render the plots and the report of a saved run from its history.jsonl.
    Plot {
        /// The history.jsonl a run wrote.
        history: PathBuf,
        /// Where to write (default: the history's directory).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Parse and validate a scenario without running it.
    Validate { file: PathBuf },
    /// How fast a scenario runs: simulated-to-wall ratio, messages and events per wall-second,
    /// the checks' share, peak memory.
    Bench {
        /// The scenario file (TOML, format v1), e.g. scenarios/bench/reference.toml.
        file: PathBuf,
        /// The seed (overrides the scenario's `seed`).
        #[arg(long)]
        seed: Option<u64>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
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
    /// Run many seeds of a scenario in parallel and list the seeds that miss an expectation
    /// (or, with --merge, join the --json results of several sweeps).
    Sweep {
        /// The scenario file (TOML, format v1).
        #[arg(required_unless_present = "merge", conflicts_with = "merge")]
        file: Option<PathBuf>,
        /// The seeds: A..B (B left out), A..=B (B included), or one seed N.
        #[arg(long, value_name = "A..B", required_unless_present = "merge", conflicts_with = "merge")]
        seeds: Option<String>,
        /// At most this many runs at once (default: the number of CPUs).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// Run only shard i of n (1-based): every n-th seed of the range from its i-th.
        #[arg(long, value_name = "i/n", conflicts_with = "merge")]
        shard: Option<String>,
        /// Print the result as JSON (mergeable with --merge) instead of the table.
        #[arg(long)]
        json: bool,
        /// Join the --json results of several sweeps (e.g. the shards of one range).
        #[arg(long, value_name = "FILE.json", num_args = 1..)]
        merge: Vec<PathBuf>,
    },
    /// Minimise a failing scenario: the smallest one that fails the same way at the same seed.
    Shrink {
        /// The scenario file (TOML, format v1).
        file: PathBuf,
        /// The seed whose run fails (default: the scenario's `seed`, else 1).
        #[arg(long)]
        seed: Option<u64>,
        /// Where to write the smallest scenario (default: reports/<scenario>-<seed>-shrunk.toml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// At most this many runs (each candidate is one run).
        #[arg(long, value_name = "N", default_value_t = kafkasim::shrink::DEFAULT_MAX_RUNS)]
        max_runs: usize,
        /// The violated check to preserve (default: the first one violated, or a panic).
        #[arg(long, value_name = "NAME")]
        check: Option<String>,
    },
    /// The teaching labs (labs/NN-topic/): list them, step through one, or check them all.
    Lab {
        #[command(subcommand)]
        command: LabCommand,
    },
}

#[derive(Subcommand)]
enum LabCommand {
    /// List the labs.
    List {
        #[arg(long, default_value = "labs")]
        dir: PathBuf,
    },
    /// Step through a lab's checkpoints (waits for Enter at each; type `help` there).
    Run {
        /// The lab's number (4, 04) or directory name (04-fault-tolerance).
        lab: String,
        /// Run straight through without waiting (also when stdin is not a terminal).
        #[arg(long)]
        no_pause: bool,
        #[arg(long, default_value = "labs")]
        dir: PathBuf,
        /// Where experiment files and plots go.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// Run every lab (or the ones named) and assert each checkpoint's expected state: exit 1 on a miss.
    Check {
        labs: Vec<String>,
        #[arg(long, default_value = "labs")]
        dir: PathBuf,
        /// At most this many labs at once (default: the number of CPUs).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// Regenerate the book's figures (book/src/generated/), or with --check fail when they are stale.
    BookFigures {
        #[arg(long, default_value = "labs")]
        dir: PathBuf,
        #[arg(long, default_value = "book/src/generated")]
        out: PathBuf,
        #[arg(long)]
        check: bool,
    },
}

/// Report options shared by `run` and `plot`.
#[derive(clap::Args)]
struct ReportArgs {
    /// Record the network messages sent in this window (ms, or with a unit: 19.5s..21s) and
    /// draw them as a message-sequence diagram, messages.svg (`plot`: draw that part of what
    /// the run recorded).
    #[arg(long, value_name = "FROM..TO")]
    messages: Option<String>,
    /// The nodes the message diagram shows, in this order (default: every node that sent or
    /// received a message in the window).
    #[arg(long, value_name = "NODE,NODE", value_delimiter = ',')]
    message_nodes: Vec<String>,
    /// At most this many arrows in the message diagram (the first ones; the diagram says so).
    #[arg(long, value_name = "N", default_value_t = kafkasim::report::messages::DEFAULT_MAX_ARROWS)]
    max_arrows: usize,
    /// Print on stderr how long the run, the plots and the report took.
    #[arg(long)]
    timings: bool,
}

impl ReportArgs {
    fn window(&self) -> Result<Option<(u64, u64)>, Failure> {
        self.messages.as_deref().map(parse_window).transpose().map_err(|e| Failure::Input(format!("--messages: {e}")))
    }

    fn diagram(&self) -> Result<DiagramOptions, Failure> {
        if self.max_arrows == 0 {
            return Err(Failure::Input("--max-arrows must be at least 1".into()));
        }
        Ok(DiagramOptions { window: self.window()?, nodes: self.message_nodes.clone(), max_arrows: self.max_arrows })
    }
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

struct RunArgs {
    seed: Option<u64>,
    out: Option<PathBuf>,
    json: bool,
    report: ReportArgs,
}

fn run(
    file: &str,
    scenario_text: Option<&str>,
    raw_and_scenario: (RawScenario, Scenario),
    args: RunArgs,
) -> Result<ExitCode, Failure> {
    let (_, scenario) = raw_and_scenario;
    let RunArgs { seed, out, json, report: report_args } = args;
    let seed = seed.or(scenario.seed).unwrap_or(1);
    let replay = format!("kafkasim run {file} --seed {seed}");
    let diagram = report_args.diagram()?;
    let dir = match out {
        Some(dir) => dir,
        None => default_report_dir(&scenario.name, seed)
            .map_err(|e| Failure::Input(format!("{e}; choose one with --out DIR")))?,
    };
    // The first line a run prints is its seed (on stderr when stdout carries JSON).
    if json {
        eprintln!("seed: {seed}");
    } else {
        println!("seed: {seed}");
    }
    let options = RunOptions { messages: diagram.window };
    let report =
        execute_with(&scenario, seed, &options).map_err(|e| Failure::Bug(format!("{e}\nreproduce with: {replay}")))?;
    let request = ReportRequest {
        report: &report,
        description: &scenario.description,
        replay: replay.clone(),
        plots: PlotOptions::default(),
        diagram,
        write_history: true,
        result_json: Some(to_json(&report)),
        scenario_text,
    };
    let files = write_report(&dir, &request)
        .map_err(|e| Failure::Input(format!("cannot write the report to {}: {e}", dir.display())))?;
    if report_args.timings {
        print_timings(&report, &files);
    }
    if json {
        println!("{}", to_json(&report));
    } else {
        print!("{}", render_text(&scenario, &report, &replay));
        println!("\nreport: {}", dir.join("report.html").display());
    }
    Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `--timings`: what plotting and reporting cost, next to the run's own wall time.
fn print_timings(report: &RunReport, files: &ReportFiles) {
    let t = files.timings;
    let run_ms = report.stats.wall_ms as f64;
    let mut line = format!(
        "timings: history.jsonl and result.json {:.0} ms, plots {:.0} ms, report.html and summary.md {:.0} ms",
        t.history_ms, t.plots_ms, t.report_ms
    );
    if run_ms > 0.0 {
        line.push_str(&format!(
            "; the run {run_ms:.0} ms: plots and report add {:.2}x the run's wall time",
            (t.plots_ms + t.report_ms) / run_ms
        ));
    }
    eprintln!("{line}");
}

/// `kafkasim plot`: the report of a saved history, with the expectations and description of the
/// `scenario.toml` beside it when there is one.
fn plot(history_path: &Path, out: Option<PathBuf>, report_args: ReportArgs) -> Result<ExitCode, Failure> {
    let name = history_path.display().to_string();
    let diagram = report_args.diagram()?;
    let file = std::fs::File::open(history_path).map_err(|e| Failure::Input(format!("cannot read {name}: {e}")))?;
    let history = kafkasim::history::read_jsonl(std::io::BufReader::new(file))
        .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    if diagram.window.is_some() && history.messages.is_none() {
        return Err(Failure::Input(format!(
            "{name} recorded no messages: run the scenario again with --messages FROM..TO"
        )));
    }
    let source_dir = history_path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let scenario_path = source_dir.join("scenario.toml");
    let scenario = if scenario_path.is_file() {
        match scenario::load(&scenario_path) {
            Ok((_, s)) if s.name == history.meta.scenario => Some(s),
            Ok(_) => None,
            Err(e) => {
                eprintln!("warning: ignoring {}: {}", scenario_path.display(), e.render());
                None
            }
        }
    } else {
        None
    };
    let seed = history.meta.seed;
    let replay = match &scenario {
        Some(_) => format!("kafkasim run {} --seed {seed}", scenario_path.display()),
        None => format!("kafkasim run scenarios/{}.toml --seed {seed}", history.meta.scenario),
    };
    let checks = scenario.as_ref().map(|s| s.checks.clone()).unwrap_or_default();
    let report = report_for_checks(&checks, history, RunStats::default());
    let dir = out.unwrap_or_else(|| source_dir.to_path_buf());
    let request = ReportRequest {
        report: &report,
        description: scenario.as_ref().map_or("", |s| s.description.as_str()),
        replay,
        plots: PlotOptions::default(),
        diagram,
        write_history: false,
        result_json: None,
        scenario_text: None,
    };
    let files = write_report(&dir, &request)
        .map_err(|e| Failure::Input(format!("cannot write the report to {}: {e}", dir.display())))?;
    if report_args.timings {
        print_timings(&report, &files);
    }
    println!("report: {}", dir.join("report.html").display());
    Ok(ExitCode::SUCCESS)
}

fn sweep(
    file: Option<PathBuf>,
    seeds: Option<String>,
    jobs: Option<usize>,
    shard: Option<String>,
    json: bool,
    merge: Vec<PathBuf>,
) -> Result<ExitCode, Failure> {
    let input = |e: SweepError| Failure::Input(e.to_string());
    let result = if merge.is_empty() {
        let file = file.ok_or_else(|| Failure::Input("sweep needs a scenario FILE (or --merge)".into()))?;
        let seeds = seeds.ok_or_else(|| Failure::Input("sweep needs --seeds A..B".into()))?;
        let name = file.display().to_string();
        let plan = SweepPlan::parse(&name, &seeds, shard.as_deref(), jobs).map_err(input)?;
        let (_, scenario) = load(&file)?;
        let started = Instant::now();
        let result = kafkasim::sweep::sweep(&scenario, &plan);
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "swept {} seed(s) in {secs:.1} s: {:.2} seeds/s with {} job(s)",
            result.seeds.len(),
            result.seeds.len() as f64 / secs.max(1e-9),
            plan.jobs
        );
        result
    } else {
        let mut parts = Vec::new();
        for path in &merge {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("cannot read {name}: {e}")))?;
            parts.push((name.clone(), SweepResult::from_json(&name, &text).map_err(input)?));
        }
        kafkasim::sweep::merge(&parts).map_err(input)?
    };
    if json {
        println!("{}", result.to_json());
    } else {
        print!("{}", kafkasim::sweep::render_text(&result));
    }
    Ok(if result.ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn shrink(
    file: &Path,
    seed: Option<u64>,
    out: Option<PathBuf>,
    max_runs: usize,
    check: Option<String>,
) -> Result<ExitCode, Failure> {
    let (raw, scenario) = load(file)?;
    let seed = seed.or(scenario.seed).unwrap_or(1);
    let name = file.display().to_string();
    println!("seed: {seed}");
    let options = ShrinkOptions { seed, max_runs, check };
    let outcome = kafkasim::shrink::shrink(&raw, &scenario, &options, |line| {
        println!("{line}");
        // The first run showed its panic, if any; candidates that panic the same way would
        // print the same backtrace hundreds of times.
        std::panic::set_hook(Box::new(|_| {}));
    })
    .map_err(|e| Failure::Input(e.to_string()))?;
    let out = out.unwrap_or_else(|| PathBuf::from("reports").join(format!("{}-{seed}-shrunk.toml", scenario.name)));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Input(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&out, outcome.to_toml(&name, seed))
        .map_err(|e| Failure::Input(format!("cannot write {}: {e}", out.display())))?;
    let budget =
        if outcome.budget_exhausted { " (the --max-runs budget ran out: a larger one may shrink further)" } else { "" };
    println!("\nshrunk in {} run(s){budget}: {}", outcome.runs, outcome.target);
    for line in outcome.summary() {
        println!("  {line}");
    }
    println!("wrote {}\nreplay: kafkasim run {} --seed {seed}", out.display(), out.display());
    Ok(ExitCode::SUCCESS)
}

fn load_lab(dir: &Path) -> Result<kafkasim::lab::lab_file::Lab, Failure> {
    kafkasim::lab::lab_file::load_lab(dir).map_err(|e| Failure::Input(e.render()))
}

fn lab_dirs(dir: &Path, which: &[String]) -> Result<Vec<PathBuf>, Failure> {
    use kafkasim::lab::catalog;
    if which.is_empty() {
        catalog::lab_dirs(dir).map_err(|e| Failure::Input(format!("cannot list the labs in {}: {e}", dir.display())))
    } else {
        which.iter().map(|w| catalog::find_lab(dir, w).map_err(Failure::Input)).collect()
    }
}

fn lab(command: LabCommand) -> Result<ExitCode, Failure> {
    use kafkasim::lab::session;
    match command {
        LabCommand::List { dir } => {
            for d in lab_dirs(&dir, &[])? {
                let lab = load_lab(&d)?;
                println!("{:<36} {} ({} checkpoints)", lab.id, lab.title, lab.checkpoints.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        LabCommand::Run { lab, no_pause, dir, out } => {
            use std::io::IsTerminal;
            let lab = load_lab(&lab_dirs(&dir, &[lab])?[0])?;
            let pause = !no_pause && std::io::stdin().is_terminal();
            let options = session::WalkOptions { pause, reports_dir: out, plots: true };
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            let mut stdout = std::io::stdout();
            session::walk(&lab, &options, &mut input, &mut stdout).map_err(|e| match e {
                session::WalkError::Run(e) => Failure::Bug(e.to_string()),
                session::WalkError::Io(e) => Failure::Input(format!("kafkasim lab run: {e}")),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        LabCommand::Check { labs, dir, jobs } => {
            let started = Instant::now();
            let labs = lab_dirs(&dir, &labs)?.iter().map(|d| load_lab(d)).collect::<Result<Vec<_>, _>>()?;
            let jobs = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .clamp(1, labs.len().max(1));
            // Labs are independent runs: check them `jobs` at a time, print in lab order.
            let next = std::sync::atomic::AtomicUsize::new(0);
            let results: Vec<(usize, Result<session::LabOutcome, String>, f64)> = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..jobs)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut done = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                let Some(lab) = labs.get(i) else { break };
                                let lab_started = Instant::now();
                                let outcome = session::check_lab(lab).map_err(|e| e.to_string());
                                done.push((i, outcome, lab_started.elapsed().as_secs_f64()));
                            }
                            done
                        })
                    })
                    .collect();
                let mut all: Vec<_> = workers.into_iter().flat_map(|w| w.join().expect("a lab check thread")).collect();
                all.sort_by_key(|(i, _, _)| *i);
                all
            });
            let mut failed = false;
            for (i, outcome, secs) in results {
                let outcome = outcome.map_err(|e| Failure::Bug(format!("lab {}: {e}", labs[i].id)))?;
                let misses = outcome.misses();
                if misses.is_empty() {
                    println!(
                        "ok   {:<36} {} checkpoints, {} expectations ({secs:.1} s)",
                        labs[i].id,
                        outcome.checkpoints.len(),
                        outcome.expectations()
                    );
                } else {
                    failed = true;
                    for m in misses {
                        println!("FAIL {m}");
                    }
                }
            }
            println!(
                "lab check: {} ({} labs, {jobs} at a time) in {:.1} s",
                if failed { "FAILED" } else { "ok" },
                labs.len(),
                started.elapsed().as_secs_f64()
            );
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        LabCommand::BookFigures { dir, out, check } => {
            let scratch = std::env::temp_dir().join(format!("kafkasim-book-figures-{}", std::process::id()));
            let mut stale = Vec::new();
            for d in lab_dirs(&dir, &[])? {
                let lab = load_lab(&d)?;
                let files = kafkasim::lab::book_figures::lab_figures(&lab, &scratch)
                    .map_err(|e| Failure::Bug(e.to_string()))?;
                for (name, bytes) in files {
                    let path = out.join(&name);
                    if check {
                        if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
                            stale.push(path.display().to_string());
                        }
                    } else {
                        std::fs::create_dir_all(&out)
                            .map_err(|e| Failure::Input(format!("cannot create {}: {e}", out.display())))?;
                        std::fs::write(&path, bytes)
                            .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))?;
                        println!("wrote {}", path.display());
                    }
                }
            }
            let _ = std::fs::remove_dir_all(&scratch);
            if stale.is_empty() {
                if check {
                    println!("the book's figures are current");
                }
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "stale figures (regenerate with `kafkasim lab book-figures` and commit): {}",
                    stale.join(", ")
                );
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// A reader that stops early (`kafkasim run FILE | head`) closes the pipe: like other command-line
/// tools, end quietly there instead of panicking on the next `println!`. Rust ignores SIGPIPE
/// by default; this puts back the default action (terminate) before anything is printed.
fn exit_quietly_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first in main, before any other thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    exit_quietly_on_closed_pipe();
    let cli = Cli::parse();
    let result = match cli.command {
        None => {
            let parsed = parse_scenario(DEFAULT_SCENARIO_PATH, DEFAULT_SCENARIO).map_err(|e| Failure::Bug(e.render()));
            let args = RunArgs {
                seed: None,
                out: None,
                json: false,
                report: ReportArgs {
                    messages: None,
                    message_nodes: Vec::new(),
                    max_arrows: kafkasim::report::messages::DEFAULT_MAX_ARROWS,
                    timings: false,
                },
            };
            parsed.and_then(|s| run(DEFAULT_SCENARIO_PATH, Some(DEFAULT_SCENARIO), s, args))
        }
        Some(Command::Bench { file, seed, json }) => load(&file).and_then(|(_, scenario)| {
            let seed = seed.or(scenario.seed).unwrap_or(1);
            let replay = format!("kafkasim bench {} --seed {seed}", file.display());
            let report = kafkasim::tools::bench::bench(&scenario, seed)
                .map_err(|e| Failure::Bug(format!("{e}\nreproduce with: {replay}")))?;
            if json {
                println!("{}", serde_json::to_string(&report).expect("the bench report serializes"));
            } else {
                print!("{}", report.render_text());
            }
            Ok(ExitCode::SUCCESS)
        }),
        Some(Command::Run { file, seed, out, json, report }) => load(&file).and_then(|s| {
            let text = std::fs::read_to_string(&file).ok();
            run(&file.display().to_string(), text.as_deref(), s, RunArgs { seed, out, json, report })
        }),
        Some(Command::Plot { history, out, report }) => plot(&history, out, report),
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
            let nemesis = if s.nemesis.is_some() { " and a nemesis" } else { "" };
            println!(
                "{}: ok ({} broker(s), {} topic(s), {} fault(s){nemesis}, {} check(s))",
                file.display(),
                s.brokers,
                s.topics.len(),
                s.faults.len(),
                s.checks.len()
            );
            ExitCode::SUCCESS
        }),
        Some(Command::Sweep { file, seeds, jobs, shard, json, merge }) => sweep(file, seeds, jobs, shard, json, merge),
        Some(Command::Shrink { file, seed, out, max_runs, check }) => shrink(&file, seed, out, max_runs, check),
        Some(Command::Lab { command }) => lab(command),
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
