//! `history.jsonl`: one JSON object per line — the run's metadata, then every entry, then the
//! final state — and the trace hash over exactly those bytes. A run that recorded network
//! messages (`--messages`) appends them after the final state: a `messages` line with the window,
//! then one `message` line each. They are not part of the canonical history, so the trace hash
//! stops before them.

use super::{Entry, FinalState, History, MessageLog, MessageRecord, RunMeta};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, Write};

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum Line {
    Meta { meta: RunMeta },
    Entry(Entry),
    Final { final_state: FinalState },
    Messages(MessageLog),
    Message(MessageRecord),
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum LineRef<'a> {
    Meta { meta: &'a RunMeta },
    Entry(&'a Entry),
    Final { final_state: &'a FinalState },
    Messages(&'a MessageLog),
    Message(&'a MessageRecord),
}

/// Writes the canonical JSONL form of a history, then its recorded messages (if any).
pub fn write_jsonl(history: &History, mut out: impl Write) -> io::Result<()> {
    write_canonical(history, &mut out)?;
    if let Some(log) = &history.messages {
        let mut write_line = |line: &LineRef| -> io::Result<()> {
            serde_json::to_writer(&mut out, line)?;
            out.write_all(b"\n")
        };
        write_line(&LineRef::Messages(log))?;
        for record in &log.records {
            write_line(&LineRef::Message(record))?;
        }
    }
    Ok(())
}

/// The canonical lines: metadata, entries, final state (what the trace hash covers).
fn write_canonical(history: &History, mut out: impl Write) -> io::Result<()> {
    let mut write_line = |line: &LineRef| -> io::Result<()> {
        serde_json::to_writer(&mut out, line)?;
        out.write_all(b"\n")
    };
    write_line(&LineRef::Meta { meta: &history.meta })?;
    for entry in &history.entries {
        write_line(&LineRef::Entry(entry))?;
    }
    write_line(&LineRef::Final { final_state: &history.final_state })
}

/// sha256 of the canonical JSONL, as lowercase hex: equal hashes mean equal runs.
pub fn trace_sha256(history: &History) -> String {
    struct HashWriter(Sha256);
    impl Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut writer = io::BufWriter::with_capacity(1 << 16, HashWriter(Sha256::new()));
    write_canonical(history, &mut writer).expect("hashing cannot fail");
    let hasher = writer.into_inner().unwrap_or_else(|_| unreachable!("flush cannot fail")).0;
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum JsonlError {
    #[error("line {line}, column {column}: {message}")]
    Parse { line: usize, column: usize, message: String },
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the file has no metadata line: it is not a kafkasim history")]
    MissingMeta,
}

/// One line. A fault entry carries two `kind` keys — the line's tag (`"entry"`) and the fault's
/// kind (`"crash"`) — because the format was fixed before anyone read it back, and the trace hash
/// is over those bytes; such a line is read by its shape instead, the later `kind` being the
/// fault's.
fn parse_line(line: &str) -> Result<Line, serde_json::Error> {
    match serde_json::from_str::<Line>(line) {
        Ok(parsed) => Ok(parsed),
        Err(e) if e.to_string().starts_with("duplicate field `kind`") => {
            let value: serde_json::Value = serde_json::from_str(line)?;
            let entry: Entry = serde_json::from_value(value)?;
            Ok(Line::Entry(entry))
        }
        Err(e) => Err(e),
    }
}

/// Reads a history written by `write_jsonl`. A missing final line is accepted (a run that
/// crashed still leaves a useful history).
pub fn read_jsonl(input: impl BufRead) -> Result<History, JsonlError> {
    let mut history = History::default();
    let mut saw_meta = false;
    for (index, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = parse_line(&line).map_err(|e| JsonlError::Parse {
            line: index + 1,
            column: e.column(),
            message: e.to_string(),
        })?;
        match parsed {
            Line::Meta { meta } => {
                history.meta = meta;
                saw_meta = true;
            }
            Line::Entry(entry) => history.entries.push(entry),
            Line::Final { final_state } => history.final_state = final_state,
            Line::Messages(log) => history.messages = Some(log),
            Line::Message(record) => match history.messages.as_mut() {
                Some(log) => log.records.push(record),
                None => {
                    return Err(JsonlError::Parse {
                        line: index + 1,
                        column: 1,
                        message: "a message line before the messages line".into(),
                    })
                }
            },
        }
    }
    if !saw_meta {
        return Err(JsonlError::MissingMeta);
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Event;
    use crate::protocol::types::*;

    fn sample() -> History {
        let mut h = History::default();
        h.meta.scenario = "t".into();
        h.meta.seed = 7;
        h.entries.push(Entry {
            time_ms: 1,
            node: NodeId::Supervisor,
            event: Event::Fault { kind: "crash".into(), detail: "broker-2 crashed".into() },
        });
        h.entries.push(Entry {
            time_ms: 5,
            node: NodeId::Client(0),
            event: Event::SendInvoked {
                tp: TopicPartition::new("orders", 0),
                key: Some("k".into()),
                value: ValueId { producer: 0, sequence: 1 },
            },
        });
        h
    }

    #[test]
    fn round_trips_and_hash_is_stable() {
        let h = sample();
        let mut bytes = Vec::new();
        write_jsonl(&h, &mut bytes).unwrap();
        let back = read_jsonl(bytes.as_slice()).unwrap();
        assert_eq!(back, h);
        assert_eq!(trace_sha256(&back), trace_sha256(&h));
        let mut other = h.clone();
        other.entries[0].time_ms = 6;
        assert_ne!(trace_sha256(&other), trace_sha256(&h));
    }

    #[test]
    fn recorded_messages_round_trip_outside_the_trace_hash() {
        use crate::history::MessageOutcome;
        let h = sample();
        let mut with = h.clone();
        let mut log = MessageLog::new(0, 100);
        log.records.push(MessageRecord {
            from: NodeId::Client(0),
            to: NodeId::broker(1),
            api: "Produce".into(),
            request: true,
            correlation_id: 3,
            size_bytes: 120,
            sent_ms: 5,
            outcome: MessageOutcome::Delivered { at_ms: 7 },
        });
        with.messages = Some(log);
        let mut bytes = Vec::new();
        write_jsonl(&with, &mut bytes).unwrap();
        assert_eq!(read_jsonl(bytes.as_slice()).unwrap(), with);
        assert_eq!(trace_sha256(&with), trace_sha256(&h));
    }

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = read_jsonl("{\"kind\":\"meta\",\"meta\":{}}\n{oops".as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("line 2, column"), "{err}");
        assert!(matches!(read_jsonl("".as_bytes()), Err(JsonlError::MissingMeta)));
    }
}
