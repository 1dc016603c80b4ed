//! `report.html`: one self-contained page per run. Styles are inline in the page, plots are SVG
//! embedded as `data:` URIs (an embedded SVG cannot run script), and nothing is fetched from a
//! network. Every string that came from a user (scenario names and descriptions, keys, node
//! names, finding messages) goes through `html-escape`.

use super::document::{finding_details, seconds, CheckSection, RunDocument};
use base64::Engine;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0 auto; max-width: 1100px;
  padding: 1em 2em 4em; color: #1d2330; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #d5d9e0; padding-bottom: 0.2em; margin-top: 2em; }
pre, code { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, monospace; font-size: 0.88em; }
pre { background: #f4f6f9; padding: 0.8em; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #d5d9e0; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ok { color: #17753a; font-weight: 600; } .fail { color: #b3261e; font-weight: 600; }
.verdict { display: inline-block; padding: 0.15em 0.7em; border-radius: 1em; color: white; }
.verdict.ok { background: #17753a; } .verdict.fail { background: #b3261e; } .verdict.none { background: #6b7280; }
.description { white-space: pre-line; }
nav a { margin-right: 1em; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #e3e6eb; }
figcaption { font-size: 0.9em; color: #4b5563; }
.finding { margin: 0.4em 0 0.8em; } .finding .when { color: #4b5563; font-variant-numeric: tabular-nums; }
.details { font-size: 0.88em; color: #374151; }
.note { color: #92400e; }
";

fn svg_data_uri(svg: &str) -> String {
    format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
}

/// Renders the page.
pub fn render_html(doc: &RunDocument) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("{} — seed {}", doc.scenario, doc.seed);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>{STYLE}</style>\n</head>\n<body>\n",
        text(&title)
    );
    header(&mut out, doc);
    config(&mut out, doc);
    faults(&mut out, doc);
    checks(&mut out, doc);
    plots(&mut out, doc);
    messages(&mut out, doc);
    tables(&mut out, doc);
    out.push_str("</body>\n</html>\n");
    out
}

fn header(out: &mut String, doc: &RunDocument) {
    let (class, verdict) = match doc.ok {
        Some(true) => ("ok", "every check met its expectation"),
        Some(false) => ("fail", "a check missed its expectation"),
        None => ("none", "no expectations known"),
    };
    let _ = write!(
        out,
        "<header id=\"summary\">\n<h1>{}</h1>\n<p><span class=\"verdict {class}\">{verdict}</span> seed <b>{}</b></p>\n",
        text(&doc.scenario),
        doc.seed
    );
    if !doc.description.trim().is_empty() {
        let _ = writeln!(out, "<p class=\"description\">{}</p>", text(doc.description.trim()));
    }
    let _ = writeln!(out, "<p>Replay:</p>\n<pre><code>{}</code></pre>", text(&doc.replay));
    out.push_str("<table>\n");
    let _ = writeln!(out, "<tr><th>trace sha256</th><td><code>{}</code></td></tr>", text(&doc.trace_sha256));
    for (name, value) in &doc.facts {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", text(name), text(value));
    }
    out.push_str("</table>\n");
    out.push_str("<nav><a href=\"#config\">config</a><a href=\"#faults\">faults</a><a href=\"#checks\">checks</a>");
    if !doc.plots.is_empty() {
        out.push_str("<a href=\"#plots\">plots</a>");
    }
    if doc.messages.is_some() {
        out.push_str("<a href=\"#messages\">messages</a>");
    }
    out.push_str("<a href=\"#state\">final state</a></nav>\n</header>\n");
}

fn config(out: &mut String, doc: &RunDocument) {
    let c = &doc.config;
    out.push_str("<section id=\"config\">\n<h2>Config</h2>\n<table>\n");
    let _ = writeln!(out, "<tr><th>brokers</th><td>{}</td></tr>", text(&c.brokers.join(", ")));
    if !c.controllers.is_empty() {
        let _ = writeln!(out, "<tr><th>controllers</th><td>{}</td></tr>", text(&c.controllers.join(", ")));
    }
    out.push_str("</table>\n");
    if !c.topics.is_empty() {
        out.push_str("<h3>Topics</h3>\n<table>\n<tr><th>topic</th><th>partitions</th><th>replication factor</th><th>configs</th></tr>\n");
        for (name, partitions, rf, configs) in &c.topics {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{partitions}</td><td class=\"num\">{rf}</td><td><code>{}</code></td></tr>",
                text(name),
                text(configs)
            );
        }
        out.push_str("</table>\n");
    }
    if !c.producers.is_empty() {
        out.push_str("<h3>Producers</h3>\n<table>\n<tr><th>producer</th><th>settings</th></tr>\n");
        for (name, summary) in &c.producers {
            let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", text(name), text(summary));
        }
        out.push_str("</table>\n");
    }
    if !c.groups.is_empty() {
        out.push_str("<h3>Consumer groups</h3>\n<table>\n<tr><th>group</th><th>member</th><th>settings</th></tr>\n");
        for (group, members) in &c.groups {
            for (name, summary) in members {
                let _ =
                    writeln!(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", text(group), text(name), text(summary));
            }
        }
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
}

fn faults(out: &mut String, doc: &RunDocument) {
    out.push_str("<section id=\"faults\">\n<h2>Fault timeline</h2>\n<p>The faults as they fired, and what the cluster did that can lose data: unclean elections, truncations, fencing.</p>\n");
    if doc.faults.is_empty() {
        out.push_str("<p>No faults.</p>\n</section>\n");
        return;
    }
    out.push_str("<table>\n<tr><th>time</th><th>event</th><th>what happened</th></tr>\n");
    for f in &doc.faults {
        let _ = writeln!(
            out,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            seconds(f.time_ms),
            text(&f.kind),
            text(&f.detail)
        );
    }
    out.push_str("</table>\n</section>\n");
}

fn result_class(result: &str) -> &'static str {
    match result {
        "ok" => "ok",
        "FAIL" => "fail",
        _ => "",
    }
}

fn checks(out: &mut String, doc: &RunDocument) {
    out.push_str("<section id=\"checks\">\n<h2>Checks</h2>\n<table>\n");
    out.push_str("<tr><th>check</th><th>expect</th><th>found</th><th>count</th><th>result</th></tr>\n");
    for c in &doc.checks {
        let name = if c.count > 0 {
            format!("<a href=\"#check-{}\">{}</a>", attr(&c.name), text(&c.name))
        } else {
            text(&c.name).into_owned()
        };
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
            text(&c.expect),
            text(&c.found),
            c.count,
            result_class(&c.result),
            text(&c.result)
        );
    }
    out.push_str("</table>\n");
    for c in doc.checks.iter().filter(|c| c.count > 0) {
        findings(out, c);
    }
    out.push_str("</section>\n");
}

fn findings(out: &mut String, c: &CheckSection) {
    let _ = writeln!(out, "<h3 id=\"check-{}\">{} ({} found)</h3>", attr(&c.name), text(&c.name), c.count);
    out.push_str("<ol>\n");
    for f in &c.findings {
        out.push_str("<li class=\"finding\">");
        if let Some(t) = f.time_ms {
            let _ = write!(out, "<span class=\"when\">{}</span> ", seconds(t));
        }
        out.push_str(&text(&f.message));
        let details = finding_details(f);
        if !details.is_empty() {
            out.push_str("<div class=\"details\">");
            let parts: Vec<String> =
                details.iter().map(|(k, v)| format!("{}: <code>{}</code>", text(k), text(v))).collect();
            out.push_str(&parts.join(" · "));
            out.push_str("</div>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    if c.more > 0 {
        let _ = writeln!(out, "<p>… and {} more (result.json and the history have them all).</p>", c.more);
    }
}

fn plots(out: &mut String, doc: &RunDocument) {
    if doc.plots.is_empty() {
        return;
    }
    out.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    out.push_str("<p>Time in seconds across; shaded bands are the faults.</p>\n");
    for p in &doc.plots {
        let _ = writeln!(
            out,
            "<figure id=\"plot-{}\"><img alt=\"{}\" src=\"{}\"><figcaption>{} — <a href=\"{}\">SVG</a> · <a href=\"{}\">PNG</a></figcaption></figure>",
            attr(&p.name),
            attr(&p.title),
            svg_data_uri(&p.svg),
            text(&p.title),
            attr(&p.svg_file),
            attr(&p.png_file)
        );
    }
    out.push_str("</section>\n");
}

fn messages(out: &mut String, doc: &RunDocument) {
    let Some(m) = &doc.messages else { return };
    let _ = writeln!(out, "<section id=\"messages\">\n<h2>Messages</h2>\n<p>{}</p>", text(&m.title));
    for note in &m.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", text(note));
    }
    let _ = writeln!(
        out,
        "<figure><img alt=\"message-sequence diagram\" src=\"{}\"><figcaption><a href=\"{}\">SVG</a></figcaption></figure>\n</section>",
        svg_data_uri(&m.svg),
        attr(&m.svg_file)
    );
}

fn tables(out: &mut String, doc: &RunDocument) {
    out.push_str("<section id=\"state\">\n<h2>Final state</h2>\n");
    for t in &doc.tables {
        let command = if t.command.is_empty() { String::new() } else { format!("<b>$ {}</b>\n", text(&t.command)) };
        let _ = writeln!(out, "<h3>{}</h3>\n<pre><code>{command}{}</code></pre>", text(&t.title), text(&t.text));
    }
    out.push_str("</section>\n");
}
