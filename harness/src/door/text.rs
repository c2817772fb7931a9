//! Positions in a config's text.

/// The byte offset of a 1-based line and character column (as the natsconf parser reports
/// them), if the text has it.
///
/// ```ignore
/// assert_eq!(offset("a: 1\nbé: 2", 2, 3), Some(8));
/// ```
pub(crate) fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
    let rest = text.get(start..)?;
    let col = rest.char_indices().nth(column.saturating_sub(1) as usize).map_or(rest.len(), |(i, _)| i);
    Some(start + col)
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_count_characters() {
        assert_eq!(super::offset("a: 1\nbé: 2", 2, 3), Some(8));
        assert_eq!(super::offset("a", 1, 9), Some(1), "past the end of a line: its end");
    }
}
