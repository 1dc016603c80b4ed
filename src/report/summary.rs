//! `summary.md`: the report in Markdown, for a pull request, an issue or a lab notebook. The plots
//! are linked as the SVG files beside it. User-supplied strings are kept out of Markdown syntax:
//! table cells escape `|` and line breaks, and CLI views go in fenced code blocks.

use super::document::{finding_details, seconds, RunDocument};
use std::fmt::Write;

/// A table cell: no line breaks, no column separators, no inline HTML.
fn cell(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    html_escape::encode_text(&one_line).replace('|', "\\|")
}

/// A fence longer than any backtick run in `s`.
fn fence(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

pub fn render_markdown(doc: &RunDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} (seed {})\n", cell(&doc.scenario), doc.seed);
    if !doc.description.trim().is_empty() {
        for line in doc.description.trim().lines() {
            let _ = writeln!(out, "> {}", html_escape::encode_text(line));
        }
        out.push('\n');
    }
    let verdict = match doc.ok {
        Some(true) => "**ok**: every check met its expectation",
        Some(false) => "**FAIL**: a check missed its expectation",
        None => "no expectations known",
    };
    let _ = writeln!(out, "{verdict}\n");
    let f = fence(&doc.replay);
    let _ = writeln!(out, "{f}sh\n{}\n{f}\n", doc.replay);
    let _ = writeln!(out, "| | |\n| --- | --- |\n| trace sha256 | `{}` |", cell(&doc.trace_sha256));
    for (name, value) in &doc.facts {
        let _ = writeln!(out, "| {} | {} |", cell(name), cell(value));
    }
    let c = &doc.config;
    out.push_str("\n## Config\n\n");
    let _ = writeln!(out, "- brokers: {}", cell(&c.brokers.join(", ")));
    if !c.controllers.is_empty() {
        let _ = writeln!(out, "- controllers: {}", cell(&c.controllers.join(", ")));
    }
    for (name, partitions, rf, configs) in &c.topics {
        let configs = if configs.is_empty() { String::new() } else { format!(", {}", cell(configs)) };
        let _ = writeln!(out, "- topic {}: {partitions} partition(s), replication factor {rf}{configs}", cell(name));
    }
    for (name, summary) in &c.producers {
        let _ = writeln!(out, "- producer {}: {}", cell(name), cell(summary));
    }
    for (group, members) in &c.groups {
        for (name, summary) in members {
            let _ = writeln!(out, "- group {}, member {}: {}", cell(group), cell(name), cell(summary));
        }
    }
    out.push_str("\n## Fault timeline\n\n");
    if doc.faults.is_empty() {
        out.push_str("No faults.\n");
    } else {
        out.push_str("| time | event | what happened |\n| ---: | --- | --- |\n");
        for f in &doc.faults {
            let _ = writeln!(out, "| {} | {} | {} |", seconds(f.time_ms), cell(&f.kind), cell(&f.detail));
        }
    }
    out.push_str("\n## Checks\n\n| check | expect | found | count | result |\n| --- | --- | --- | ---: | --- |\n");
    for c in &doc.checks {
        let _ = writeln!(out, "| {} | {} | {} | {} | {} |", cell(&c.name), c.expect, c.found, c.count, c.result);
    }
    for c in doc.checks.iter().filter(|c| c.count > 0) {
        let _ = writeln!(out, "\n### {} ({} found)\n", cell(&c.name), c.count);
        for f in &c.findings {
            let when = f.time_ms.map(|t| format!("**{}** ", seconds(t))).unwrap_or_default();
            let _ = writeln!(out, "- {when}{}", cell(&f.message));
            let details: Vec<String> = finding_details(f).iter().map(|(k, v)| format!("{k}: {}", cell(v))).collect();
            if !details.is_empty() {
                let _ = writeln!(out, "  <br>{}", details.join(" · "));
            }
        }
        if c.more > 0 {
            let _ = writeln!(out, "- … and {} more", c.more);
        }
    }
    if !doc.plots.is_empty() {
        out.push_str("\n## Plots\n\n");
        for p in &doc.plots {
            let _ = writeln!(out, "![{}]({})\n", cell(&p.title), p.svg_file);
        }
    }
    if let Some(m) = &doc.messages {
        let _ = writeln!(out, "\n## Messages\n\n{}\n", cell(&m.title));
        for note in &m.notes {
            let _ = writeln!(out, "_{}_\n", cell(note));
        }
        let _ = writeln!(out, "![message-sequence diagram]({})", m.svg_file);
    }
    out.push_str("\n## Final state\n");
    for t in &doc.tables {
        let command = if t.command.is_empty() { String::new() } else { format!("$ {}\n", t.command) };
        let body = format!("{command}{}", t.text.trim_end());
        let f = fence(&body);
        let _ = writeln!(out, "\n### {}\n\n{f}\n{body}\n{f}", cell(&t.title));
    }
    out
}
