//! Values as bytes, to cross between processes: a message between partitions, or a
//! partition's rows and figures gathered to the process that writes them.
//!
//! The encoding is the values' fields in order, integers little-endian: compact,
//! with no schema, for processes running the same build of the program. Structs
//! implement [`Wire`] with [`wire_struct!`], which lists every field: forgetting
//! one does not compile.

use crate::time::{SimDuration, SimTime};

/// A value that can cross between processes: written to bytes by the sender, read
/// back by the receiver in the same build of the program.
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
                <$t>::from_le_bytes(take(input))
            }
        }
    )*};
}

little_endian!(u8, u16, u32, u64, u128, i32, i64, f64);

/// The next `N` bytes of `input`, which it advances.
pub fn take<const N: usize>(input: &mut &[u8]) -> [u8; N] {
    let (head, rest) = input.split_first_chunk::<N>().expect("bytes cut short: not what a Wire value wrote");
    *input = rest;
    *head
}

impl Wire for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }

    fn decode(input: &mut &[u8]) -> Self {
        u8::decode(input) != 0
    }
}

impl Wire for usize {
    fn encode(&self, out: &mut Vec<u8>) {
        (*self as u64).encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        usize::try_from(u64::decode(input)).expect("a count that fits this machine")
    }
}

impl Wire for SimTime {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        SimTime(u64::decode(input))
    }
}

impl Wire for SimDuration {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        SimDuration(u64::decode(input))
    }
}

impl<T: Wire> Wire for Option<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.is_some().encode(out);
        if let Some(v) = self {
            v.encode(out);
        }
    }

    fn decode(input: &mut &[u8]) -> Self {
        bool::decode(input).then(|| T::decode(input))
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.len().encode(out);
        self.iter().for_each(|v| v.encode(out));
    }

    fn decode(input: &mut &[u8]) -> Self {
        let n = usize::decode(input);
        (0..n).map(|_| T::decode(input)).collect()
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
        self.1.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        let a = A::decode(input);
        (a, B::decode(input))
    }
}

/// Implements [`Wire`] for a struct by its fields, in the order listed; every
/// field must be listed (the struct literal of `decode` checks it).
#[macro_export]
macro_rules! wire_struct {
    ($t:ty { $($field:ident),* $(,)? }) => {
        impl $crate::Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                $($crate::Wire::encode(&self.$field, out);)*
            }

            fn decode(input: &mut &[u8]) -> Self {
                Self { $($field: $crate::Wire::decode(input),)* }
            }
        }
    };
}

/// Implements [`Wire`] for a field-less enum by the `u8` of each variant.
#[macro_export]
macro_rules! wire_enum {
    ($t:ty { $($variant:path = $code:literal),* $(,)? }) => {
        impl $crate::Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                let code: u8 = match self { $($variant => $code,)* };
                out.push(code);
            }

            fn decode(input: &mut &[u8]) -> Self {
                match <u8 as $crate::Wire>::decode(input) {
                    $($code => $variant,)*
                    other => panic!("{other} is not a {} on the wire", stringify!($t)),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_written_in_sequence() {
        let mut bytes = Vec::new();
        7u8.encode(&mut bytes);
        300u16.encode(&mut bytes);
        u64::MAX.encode(&mut bytes);
        let value = (Some(SimTime(5)), vec![(1u128 << 100, -2.5f64), (0, 1.0)]);
        value.encode(&mut bytes);
        let mut input = &bytes[..];
        assert_eq!((u8::decode(&mut input), u16::decode(&mut input), u64::decode(&mut input)), (7, 300, u64::MAX));
        assert_eq!(<(Option<SimTime>, Vec<(u128, f64)>)>::decode(&mut input), value);
        assert!(input.is_empty());
    }
}
