//! The run report in a real browser: headless Chromium opens `report.html` of two scenarios,
//! the page must render every section with no console error, and a screenshot is kept to look
//! at. Needs Debian's `chromium` (`.ci/run` installs it), so it is ignored by a plain
//! `cargo test`; run it with `cargo test --release --test browser -- --ignored`.
//! `KAFKASIM_CHROMIUM` names another browser binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("KAFKASIM_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    path.is_file().then_some(path)
}

/// What the browser did: its exit status, stdout and stderr.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs the browser headless on `page` with `extra` flags, in a fresh empty profile, killed after
/// 90 s. Its output goes to files (a pipe would fill up with a dumped DOM and stall it).
fn headless(browser: &Path, page: &Path, extra: &[String], profile: &Path) -> Run {
    let _ = std::fs::remove_dir_all(profile);
    std::fs::create_dir_all(profile).unwrap();
    let out_path = profile.with_extension("stdout");
    let err_path = profile.with_extension("stderr");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()))
        .spawn()
        .expect("the browser starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the browser") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} did not finish within 90 s", browser.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |path: &Path| String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
    Run { ok: status.success(), stdout: read(&out_path), stderr: read(&err_path) }
}

/// Console errors and failed loads in the browser's log (its own D-Bus and GPU noise is not
/// the page's business).
fn page_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| {
            l.contains("Uncaught")
                || l.contains("ERROR:CONSOLE")
                || l.contains(":CONSOLE(")
                || l.contains("Failed to load resource")
                || l.contains("Refused to")
        })
        .collect()
}

/// The most records one truncation in a run's history removed, if any truncation removed some.
fn largest_truncation(history: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(history).expect("the run wrote its history");
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| entry["type"] == "truncated")
        .filter_map(|entry| entry["removed"].as_array().map(Vec::len))
        .filter(|n| *n > 0)
        .max()
}

#[test]
#[ignore = "needs chromium: cargo test --release --test browser -- --ignored"]
fn reports_render_in_a_headless_browser() {
    let Some(browser) = chromium() else {
        eprintln!("WARNING: no chromium at /usr/bin/chromium (or $KAFKASIM_CHROMIUM): browser test skipped");
        return;
    };
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (scenario, must_show) in [
        ("fault-tolerance", vec!["broker-2 crashed", "fenced broker-2", "Consumer lag", "In-sync replicas"]),
        ("unclean-election-loses", vec!["unclean election", "was acknowledged at offset"]),
    ] {
        let out_dir = root.join(scenario);
        let file = repo.join("scenarios").join(format!("{scenario}.toml"));
        let run = Command::new(env!("CARGO_BIN_EXE_kafkasim"))
            .args(["run".as_ref(), file.as_os_str(), "--out".as_ref(), out_dir.as_os_str(), "--messages".as_ref()])
            .arg(if scenario == "fault-tolerance" { "19.95s..20.15s" } else { "27.1s..27.3s" })
            .output()
            .expect("kafkasim runs");
        assert_eq!(run.status.code(), Some(0), "{scenario}: {}", String::from_utf8_lossy(&run.stderr));
        let page = out_dir.join("report.html").canonicalize().unwrap();

        let dom = headless(&browser, &page, &["--dump-dom".into()], &root.join("profile-dom"));
        let (html, log) = (&dom.stdout, &dom.stderr);
        assert!(dom.ok, "{scenario}: the browser failed:\n{log}");
        let errors = page_errors(log);
        assert!(errors.is_empty(), "{scenario}: the page logged errors:\n{}", errors.join("\n"));
        for section in [
            "id=\"summary\"",
            "id=\"config\"",
            "id=\"faults\"",
            "id=\"checks\"",
            "id=\"plots\"",
            "id=\"messages\"",
            "id=\"state\"",
        ] {
            assert!(html.contains(section), "{scenario}: the rendered page has no {section}");
        }
        assert!(html.matches("<img ").count() >= 6, "{scenario}: the plots are in the page");
        for text in must_show {
            assert!(html.contains(text), "{scenario}: the page does not show {text:?}");
        }
        if scenario == "unclean-election-loses" {
            // The old leader's truncation, with the count the history recorded.
            let removed = largest_truncation(&out_dir.join("history.jsonl")).expect("the old leader truncates");
            let text = format!("removed {removed} record(s)");
            assert!(html.contains(&text), "{scenario}: the page does not show the truncation: {text:?}");
        }

        let png = root.join(format!("{scenario}.png"));
        let shot = headless(
            &browser,
            &page,
            &[format!("--screenshot={}", png.display()), "--window-size=1280,4000".into(), "--hide-scrollbars".into()],
            &root.join("profile-shot"),
        );
        let log = &shot.stderr;
        assert!(shot.ok && png.is_file(), "{scenario}: no screenshot:\n{log}");
        assert!(page_errors(log).is_empty(), "{scenario}: errors while drawing:\n{log}");
        assert!(std::fs::metadata(&png).unwrap().len() > 50_000, "{scenario}: the screenshot is blank");
        eprintln!("{scenario}: screenshot {}", png.display());
    }
}
