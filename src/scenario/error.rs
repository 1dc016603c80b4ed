//! A user error in a scenario file: where (file, line, column, span) and what.
//! Rendered in rustc's style with the offending source line, via `codespan-reporting`.

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor};
use std::fmt;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub span: Range<usize>,
    pub message: String,
    /// The file's text, to show the offending line.
    source: String,
}

impl ScenarioError {
    pub fn new(file: &str, source: &str, span: Range<usize>, message: impl Into<String>) -> ScenarioError {
        let start = span.start.min(source.len());
        let (line, column) = line_and_column(source, start);
        ScenarioError {
            file: file.to_string(),
            line,
            column,
            span: start..span.end.clamp(start, source.len()),
            message: message.into(),
            source: source.to_string(),
        }
    }

    /// An error about the file as a whole (it could not be read, say).
    pub fn whole_file(file: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: file.to_string(),
            line: 1,
            column: 1,
            span: 0..0,
            message: message.into(),
            source: String::new(),
        }
    }

    /// The rustc-style rendering with the source line, without colours.
    pub fn render(&self) -> String {
        let file = SimpleFile::new(self.file.as_str(), self.source.as_str());
        let diagnostic =
            Diagnostic::error().with_message(&self.message).with_labels(vec![Label::primary((), self.span.clone())]);
        let mut buffer = termcolor::NoColor::new(Vec::new());
        let config = term::Config::default();
        if term::emit_to_write_style(&mut buffer, &config, &file, &diagnostic).is_err() {
            return self.to_string();
        }
        String::from_utf8_lossy(&buffer.into_inner()).into_owned()
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_and_column(src, 0), (1, 1));
        assert_eq!(line_and_column(src, 6), (2, 1));
        assert_eq!(line_and_column(src, 11), (2, 6));
        let e = ScenarioError::new("x.toml", src, 6..8, "bad key");
        assert_eq!(e.to_string(), "x.toml:2:1: bad key");
        let rendered = e.render();
        assert!(rendered.contains("x.toml:2:1"), "{rendered}");
        assert!(rendered.contains("bb = 2"), "{rendered}");
    }
}
