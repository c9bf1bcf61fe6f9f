//! The fuzzer's choices, read from bytes: once the bytes run out every choice is 0, so a short
//! input still means one well-defined run.

pub struct Control<'a> {
    bytes: &'a [u8],
}

impl<'a> Control<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Control { bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((b, rest)) => {
                self.bytes = rest;
                *b
            }
            None => 0,
        }
    }

    /// An index below `len` (0 when `len` is 0).
    pub fn below(&mut self, len: usize) -> usize {
        if len == 0 {
            0
        } else {
            usize::from(self.byte()) % len
        }
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

/// Splits an input at its first NUL: the text before it, the control bytes after it.
pub fn split_at_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}
