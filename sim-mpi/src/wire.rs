//! Messages as bytes between ranks.

/// A message payload that can cross between processes: written to bytes by the
/// sender, read back by the receiver in the same build of the program.
pub trait Wire: Sized {
    /// Appends the payload's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);
    /// Reads one payload from the front of `input`, advancing it. Panics on bytes
    /// that `encode` did not write: ranks run the same program, so that is a bug.
    fn decode(input: &mut &[u8]) -> Self;
}

macro_rules! little_endian {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }

            fn decode(input: &mut &[u8]) -> Self {
                <$t>::from_le_bytes(crate::take(input))
            }
        }
    )*};
}

little_endian!(u8, u16, u32, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_written_in_sequence() {
        let mut bytes = Vec::new();
        (7u8, 300u16).0.encode(&mut bytes);
        300u16.encode(&mut bytes);
        u64::MAX.encode(&mut bytes);
        let mut input = &bytes[..];
        assert_eq!((u8::decode(&mut input), u16::decode(&mut input), u64::decode(&mut input)), (7, 300, u64::MAX));
        assert!(input.is_empty());
    }
}
