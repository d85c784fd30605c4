//! Reading record input with a bound on its size, before any of it is parsed.
//!
//! A file or stream may be any size; a record may not ([`MAX_RECORD_BYTES`]). Input is read in
//! small chunks and never held beyond the bound: a record file larger than the bound is refused
//! after reading one byte more than it, and an over-long line of a JSON Lines stream is read to
//! its end and dropped, so memory stays at one record whatever the input, and the lines after it
//! are still read.

use crate::diagnostic::{Code, Diagnostic};
use crate::diagnostic_text::{self as catalogue, Text};
use crate::record::MAX_RECORD_BYTES;
use std::io::{self, BufRead, ErrorKind, Read};

/// Reads a whole record (one `.json` file, or any reader) of at most `max` bytes. An input larger
/// than that is refused with a [`Code::TooLarge`] diagnostic after reading `max + 1` bytes.
pub fn read_record(reader: impl Read, max: usize) -> io::Result<Result<Vec<u8>, Diagnostic>> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(limit).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Ok(Err(Diagnostic::error_text(
            Code::TooLarge,
            Text::new(&catalogue::RECORD_LARGER_THAN).arg("max", max),
        )
        .with_help_text(Text::new(&catalogue::ONE_RECORD_PER_VISIT))));
    }
    Ok(Ok(bytes))
}

/// One line of a JSON Lines stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordLine {
    /// A line within the bound, without its line break.
    Text {
        /// 1-based line number.
        number: u64,
        /// The line's bytes.
        bytes: Vec<u8>,
    },
    /// A line longer than the bound: read to its end and dropped.
    TooLong {
        /// 1-based line number.
        number: u64,
        /// How many bytes the line had (without its line break).
        bytes: u64,
    },
}

impl RecordLine {
    /// The line's 1-based number.
    pub fn number(&self) -> u64 {
        match self {
            RecordLine::Text { number, .. } | RecordLine::TooLong { number, .. } => *number,
        }
    }
}

/// The problem reported for a line over the bound.
pub fn line_too_long(number: u64, bytes: u64, max: usize) -> Diagnostic {
    Diagnostic::error_text(
        Code::TooLarge,
        Text::new(&catalogue::LINE_TOO_LONG)
            .arg("line", number)
            .arg("size", bytes)
            .arg("max", max),
    )
    .with_help_text(Text::new(&catalogue::LINE_TOO_LONG_HELP))
}

/// The lines of a JSON Lines stream, each at most `max` bytes held in memory. Reading errors end
/// the stream after being returned once.
pub struct JsonLines<R> {
    reader: R,
    max: usize,
    number: u64,
    line: Vec<u8>,
    finished: bool,
}

impl<R: BufRead> JsonLines<R> {
    /// Lines of at most [`MAX_RECORD_BYTES`].
    pub fn new(reader: R) -> Self {
        Self::with_max(reader, MAX_RECORD_BYTES)
    }

    /// Lines of at most `max` bytes.
    pub fn with_max(reader: R, max: usize) -> Self {
        JsonLines {
            reader,
            max,
            number: 0,
            line: Vec::new(),
            finished: false,
        }
    }

    /// The longest line held, in bytes.
    pub fn max(&self) -> usize {
        self.max
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = io::Result<RecordLine>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        self.line.clear();
        let mut total: u64 = 0;
        let mut read_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            };
            if chunk.is_empty() {
                self.finished = true;
                if !read_any {
                    return None;
                }
                break;
            }
            read_any = true;
            let (part, used, ends) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (chunk.get(..i).unwrap_or_default(), i + 1, true),
                None => (chunk, chunk.len(), false),
            };
            let fits = total.saturating_add(part.len() as u64) <= self.max as u64;
            if fits {
                self.line.extend_from_slice(part);
            } else if !self.line.is_empty() {
                // INVARIANT: once over the bound, nothing more of this line is kept.
                self.line.clear();
            }
            total = total.saturating_add(part.len() as u64);
            self.reader.consume(used);
            if ends {
                break;
            }
        }
        self.number += 1;
        let number = self.number;
        Some(Ok(if total > self.max as u64 {
            RecordLine::TooLong {
                number,
                bytes: total,
            }
        } else {
            RecordLine::Text {
                number,
                bytes: std::mem::take(&mut self.line),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<RecordLine> {
        JsonLines::with_max(io::BufReader::with_capacity(4, input), max)
            .map(|l| l.expect("reading a slice cannot fail"))
            .collect()
    }

    fn text(number: u64, s: &str) -> RecordLine {
        RecordLine::Text {
            number,
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn splits_lines_across_chunks_and_keeps_the_last_one_without_a_break() {
        assert_eq!(
            lines(b"{\"a\":1}\n\nlonger line\nlast", 20),
            vec![
                text(1, "{\"a\":1}"),
                text(2, ""),
                text(3, "longer line"),
                text(4, "last")
            ]
        );
        assert_eq!(lines(b"", 20), vec![]);
        assert_eq!(lines(b"one\n", 20), vec![text(1, "one")]);
    }

    #[test]
    fn an_over_long_line_is_dropped_and_the_next_is_read() {
        let long = "x".repeat(25);
        let input = format!("ok\n{long}\nexactly ten\n{long}");
        assert_eq!(
            lines(input.as_bytes(), 11),
            vec![
                text(1, "ok"),
                RecordLine::TooLong {
                    number: 2,
                    bytes: 25
                },
                text(3, "exactly ten"),
                RecordLine::TooLong {
                    number: 4,
                    bytes: 25
                },
            ]
        );
    }

    #[test]
    fn a_record_over_the_bound_is_refused_after_max_plus_one_bytes() {
        let ok = read_record(&b"12345"[..], 5).expect("read");
        assert_eq!(ok, Ok(b"12345".to_vec()));
        let mut source = &b"123456789"[..];
        let big = read_record(&mut source, 5).expect("read");
        assert!(big.is_err_and(|d| d.code == Code::TooLarge));
        assert_eq!(source, b"789", "reading stopped one byte past the bound");
    }
}
