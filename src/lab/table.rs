//! Plain-text tables with columns as wide as their widest cell, as Kafka's CLI tools print them.

/// How the cells of a column line up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `rows` (the first is usually the header) as lines prefixed by `indent`, cells separated by one
/// space and padded to their column's width; no line ends in spaces.
pub fn render_table(rows: &[Vec<String>], align: Align, indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(String::len).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| match align {
                Align::Left => format!("{cell:<w$}"),
                Align::Right => format!("{cell:>w$}"),
            })
            .collect();
        out.push_str(indent);
        out.push_str(cells.join(" ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let rows = vec![vec!["A".to_string(), "BB".into()], vec!["CCC".into(), "D".into()]];
        assert_eq!(render_table(&rows, Align::Left, ""), "A   BB\nCCC D\n");
        assert_eq!(render_table(&rows, Align::Right, "  "), "    A BB\n  CCC  D\n");
        assert_eq!(render_table(&[], Align::Left, ""), "");
    }
}
