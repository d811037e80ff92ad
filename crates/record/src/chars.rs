//! `char::is_alphabetic`, `is_numeric` and `is_alphanumeric` by one table lookup.
//!
//! The clean text is read character by character three times (counts, language, shingles),
//! and outside ASCII the standard library answers these by searching Unicode tables: on CJK
//! and Cyrillic text (full-width punctuation, `、。「」`) that search was ~2.5% of a run. The
//! answers for the Basic Multilingual Plane are read once into two bit sets (16 KB); the
//! other planes, rare in articles, still ask the standard library. The answers are the
//! standard library's, for every character (see the tests), so counts and signatures do not
//! change.
//!
//! ```
//! use lede_record::chars;
//!
//! assert!(chars::is_alphanumeric('ж') && !chars::is_alphanumeric('，'));
//! assert!(chars::is_numeric('３') && !chars::is_alphabetic('３'));
//! ```

use std::sync::LazyLock;

/// Characters of the Basic Multilingual Plane.
const PLANE: usize = 0x1_0000;
const WORD_BITS: usize = u64::BITS as usize;

/// One bit per character of the plane for each class.
struct Classes {
    alphabetic: Box<[u64]>,
    numeric: Box<[u64]>,
}

static CLASSES: LazyLock<Classes> = LazyLock::new(|| {
    let set = |class: fn(char) -> bool| -> Box<[u64]> {
        let mut bits = vec![0u64; PLANE / WORD_BITS];
        for code in 0..PLANE {
            if char::from_u32(code as u32).is_some_and(class) {
                bits[code / WORD_BITS] |= 1 << (code % WORD_BITS);
            }
        }
        bits.into_boxed_slice()
    };
    Classes {
        alphabetic: set(char::is_alphabetic),
        numeric: set(char::is_numeric),
    }
});

fn lookup(bits: &[u64], c: char) -> bool {
    let code = c as usize;
    bits[code / WORD_BITS] >> (code % WORD_BITS) & 1 == 1
}

/// `c.is_alphabetic()`.
pub fn is_alphabetic(c: char) -> bool {
    classed(
        c,
        char::is_ascii_alphabetic,
        |classes| &classes.alphabetic,
        char::is_alphabetic,
    )
}

/// `c.is_numeric()`.
pub fn is_numeric(c: char) -> bool {
    classed(
        c,
        char::is_ascii_digit,
        |classes| &classes.numeric,
        char::is_numeric,
    )
}

/// `c.is_alphanumeric()`, which is the two above.
pub fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || is_numeric(c)
}

/// ASCII by its own test, the plane by its bit set, the other planes by the standard library.
fn classed(
    c: char,
    ascii: fn(&char) -> bool,
    set: fn(&Classes) -> &[u64],
    other_planes: fn(char) -> bool,
) -> bool {
    if c.is_ascii() {
        ascii(&c)
    } else if (c as usize) < PLANE {
        lookup(set(&CLASSES), c)
    } else {
        other_planes(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character, not a sample: a table that differed anywhere would change word counts
    /// and signatures.
    #[test]
    fn every_character_is_classed_as_the_standard_library_classes_it() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{:#x}", u32::from(c));
            assert_eq!(is_numeric(c), c.is_numeric(), "{:#x}", u32::from(c));
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "{:#x}",
                u32::from(c)
            );
        }
    }
}
