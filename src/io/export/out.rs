//! Where an exporter's bytes go: a buffer that is either kept whole (an
//! export held in memory) or handed to a file a piece at a time, so a
//! 100 MB export never holds 100 MB and never touches 100 MB of fresh
//! memory (on this class of machine first-touching fresh memory costs
//! ~0.8 ms per MB, more than writing it to the page cache).
//!
//! [`Out::in_pieces`] writes a long list of items on two threads without
//! one big second buffer: the list is cut into pieces of about [`CHUNK`]
//! bytes; this thread writes the even pieces straight into the buffer, a
//! helper thread the odd ones into a few recycled buffers that are
//! appended in order.
//!
//! Invariants: bytes reach the file (or the kept buffer) exactly once and
//! in the order they were written, whichever thread wrote them; after the
//! first write error nothing more is written and [`Out::finish`] returns
//! that error; a piece the helper could not write (it could not start, or
//! stopped) is written here, so the output never depends on the helper.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc;

/// Bytes gathered before they are handed to the file.
pub const CHUNK: usize = 1 << 20;

/// Lists with fewer items than this are written on the calling thread.
pub(crate) const PARALLEL_ITEMS: usize = 4096;

/// An exporter's output (see the module docs).
#[derive(Debug)]
pub struct Out {
    buf: Vec<u8>,
    file: Option<File>,
    error: Option<io::Error>,
}

/// What an [`Out`] holds once finished.
#[derive(Debug)]
pub enum Finished {
    /// Everything written, kept in memory.
    Bytes(Vec<u8>),
    /// Everything was written to the file (not yet flushed to disk).
    File,
}

impl Out {
    /// Keeps every byte in memory, with room for `capacity` of them.
    #[must_use]
    pub fn memory(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
            file: None,
            error: None,
        }
    }

    /// Hands the bytes to `file` a piece at a time.
    #[must_use]
    pub fn file(file: File) -> Self {
        Self {
            buf: Vec::with_capacity(2 * CHUNK),
            file: Some(file),
            error: None,
        }
    }

    /// Makes room for `total` bytes in all when kept in memory (a file
    /// output keeps its piece-sized buffer).
    pub fn expect(&mut self, total: usize) {
        if self.file.is_none() {
            self.buf.reserve(total.saturating_sub(self.buf.len()));
        }
    }

    /// The buffer to append to (call [`Out::spill`] now and then).
    pub fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Bytes in the buffer, not yet handed on.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Hands the buffer to the file when it holds a piece's worth; a
    /// no-op for memory outputs.
    pub fn spill(&mut self) {
        if self.buf.len() >= CHUNK && self.file.is_some() {
            self.hand_on();
        }
    }

    fn hand_on(&mut self) {
        if let Some(file) = &mut self.file {
            if self.error.is_none()
                && let Err(e) = file.write_all(&self.buf)
            {
                self.error = Some(e);
            }
            self.buf.clear();
        }
    }

    /// Hands on what is left and says where the bytes are.
    ///
    /// # Errors
    /// The first write error met.
    pub fn finish(mut self) -> io::Result<Finished> {
        self.hand_on();
        if let Some(e) = self.error {
            return Err(e);
        }
        Ok(match self.file {
            Some(_) => Finished::File,
            None => Finished::Bytes(self.buf),
        })
    }

    /// Writes `items` in order as `write(buffer, index of the first item,
    /// items)` would in one pass, on two threads when the list is long;
    /// `item_bytes` is a guess of one item's size (it sets the piece
    /// length). `write` must append the same bytes wherever it runs.
    pub fn in_pieces<T: Sync>(
        &mut self,
        items: &[T],
        item_bytes: usize,
        write: impl Fn(&mut Vec<u8>, usize, &[T]) + Sync,
    ) {
        if items.len() < PARALLEL_ITEMS {
            write(&mut self.buf, 0, items);
            self.spill();
            return;
        }
        let per = (CHUNK / item_bytes.max(1))
            .max(64)
            .min(items.len().div_ceil(2));
        let pieces: Vec<(usize, &[T])> = items
            .chunks(per)
            .enumerate()
            .map(|(k, piece)| (k * per, piece))
            .collect();
        std::thread::scope(|s| {
            let (done_tx, done_rx) = mpsc::sync_channel::<Vec<u8>>(1);
            let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
            let odd: Vec<(usize, &[T])> = pieces.iter().skip(1).step_by(2).copied().collect();
            let write = &write;
            let helper = std::thread::Builder::new().spawn_scoped(s, move || {
                for (first, piece) in odd {
                    let mut buf = free_rx.try_recv().unwrap_or_else(|_| {
                        Vec::with_capacity((piece.len() * item_bytes).min(2 * CHUNK))
                    });
                    buf.clear();
                    write(&mut buf, first, piece);
                    if done_tx.send(buf).is_err() {
                        return;
                    }
                }
            });
            let mut helper_alive = helper.is_ok();
            for (k, &(first, piece)) in pieces.iter().enumerate() {
                let from_helper = if k % 2 == 1 && helper_alive {
                    done_rx.recv().ok()
                } else {
                    None
                };
                match from_helper {
                    Some(buf) => {
                        self.buf.extend_from_slice(&buf);
                        let _ = free_tx.send(buf);
                    }
                    None => {
                        // This thread's piece, or one the helper did not
                        // deliver (then it delivers no later one either).
                        helper_alive &= k % 2 == 0;
                        write(&mut self.buf, first, piece);
                    }
                }
                self.spill();
            }
            drop(done_rx);
            if let Ok(h) = helper {
                let _ = h.join();
            }
        });
    }
}

/// For writers that take an `io::Write` (the CSV writer): appends, and
/// hands on a piece when one is full; errors come from [`Out::finish`].
impl Write for Out {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        self.spill();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek};

    fn numbers(buf: &mut Vec<u8>, first: usize, items: &[u32]) {
        for (k, n) in items.iter().enumerate() {
            if first + k > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes());
        }
    }

    fn one_pass(items: &[u32]) -> Vec<u8> {
        let mut buf = Vec::new();
        numbers(&mut buf, 0, items);
        buf
    }

    #[test]
    fn pieces_give_the_bytes_of_one_pass_in_memory_and_in_a_file() {
        for n in [0, 1, 4095, 4096, 4097, 10_000, 123_457] {
            let items: Vec<u32> = (0..n).map(|k| k * 7919 % 100_003).collect();
            let want = one_pass(&items);
            // Small pieces too: many hand-overs between the threads.
            for item_bytes in [1, 7, CHUNK / 100, CHUNK] {
                let mut out = Out::memory(0);
                out.in_pieces(&items, item_bytes, numbers);
                match out.finish().unwrap() {
                    Finished::Bytes(b) => assert!(b == want, "{n} items, {item_bytes}"),
                    Finished::File => panic!("memory output"),
                }
                let mut file = tempfile::tempfile().unwrap();
                let mut out = Out::file(file.try_clone().unwrap());
                out.buf().extend_from_slice(b"[");
                out.in_pieces(&items, item_bytes, numbers);
                out.buf().extend_from_slice(b"]");
                assert!(matches!(out.finish().unwrap(), Finished::File));
                let mut got = Vec::new();
                file.rewind().unwrap();
                file.read_to_end(&mut got).unwrap();
                assert!(got.len() == want.len() + 2 && got[1..got.len() - 1] == want[..]);
            }
        }
    }

    #[test]
    fn a_file_output_never_holds_much_more_than_a_chunk() {
        let items: Vec<u32> = (0..2_000_000).collect();
        let mut out = Out::file(tempfile::tempfile().unwrap());
        out.in_pieces(&items, 8, |buf, first, piece| {
            numbers(buf, first, piece);
        });
        assert!(out.pending() < 3 * CHUNK, "{}", out.pending());
        assert!(out.buf.capacity() < 4 * CHUNK, "{}", out.buf.capacity());
    }

    #[test]
    fn a_write_error_is_returned_once_and_stops_writing() {
        // A read-only handle: every write fails.
        let path = tempfile::NamedTempFile::new().unwrap();
        let file = File::open(path.path()).unwrap();
        let mut out = Out::file(file);
        out.buf().resize(CHUNK + 1, b'x');
        out.spill();
        assert_eq!(out.pending(), 0);
        out.buf().extend_from_slice(b"more");
        assert!(out.finish().is_err());
        assert_eq!(std::fs::metadata(path.path()).unwrap().len(), 0);
    }
}
