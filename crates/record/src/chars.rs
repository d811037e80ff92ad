//! The character classes the clean text is read by, and the one pass that reads it.
//!
//! Cleaning counts characters, words and scripts, and the near-duplicate signature cuts the
//! same text into tokens; each asks of every character whether it is white space, a letter, a
//! digit or CJK. [`read`] decodes the text once and answers all four questions with one table
//! lookup ([`Class`]), handing each character and its class to every [`Reader`] at once.
//! Outside ASCII the standard library answers `is_alphabetic` and friends by searching
//! Unicode tables (on CJK and Cyrillic text, with its full-width punctuation, that search was
//! ~2.5% of a run); here the Basic Multilingual Plane is classed once into a 64 KB table, and
//! the other planes, rare in articles, still ask the standard library. The answers are the
//! standard library's for every character (see the tests), so counts and signatures do not
//! depend on the table.
//!
//! ```
//! use lede_record::chars::{self, Cjk, Class, Reader};
//!
//! assert!(chars::is_alphanumeric('ж') && !chars::is_alphanumeric('，'));
//! assert!(chars::is_numeric('３') && !chars::is_alphabetic('３'));
//! assert_eq!(chars::cjk('한'), Some(Cjk::Hangul));
//!
//! /// Counts the Han characters and the blanks in one pass.
//! #[derive(Default)]
//! struct Tally { han: usize, blanks: usize }
//! impl Reader for Tally {
//!     fn char(&mut self, _: char, class: Class) {
//!         self.han += usize::from(class.cjk() == Some(Cjk::Han));
//!         self.blanks += usize::from(class.is_whitespace());
//!     }
//! }
//! let (mut tally, mut other) = (Tally::default(), Tally::default());
//! chars::read("漢字 and kana", &mut (&mut tally, &mut other));
//! assert_eq!((tally.han, tally.blanks), (2, 2));
//! assert_eq!(other.han, 2);
//! ```

use std::sync::LazyLock;

/// The three CJK scripts, each a word of its own per character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cjk {
    /// Han ideographs (Chinese characters, kanji, hanja).
    Han,
    /// Hiragana, katakana and half-width katakana.
    Kana,
    /// Hangul syllables and jamo.
    Hangul,
}

/// The CJK script of `c`, if any: the one list of CJK blocks every pass reads by.
pub fn cjk(c: char) -> Option<Cjk> {
    match c as u32 {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => Some(Cjk::Han),
        0x3040..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => Some(Cjk::Kana),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Some(Cjk::Hangul),
        _ => None,
    }
}

/// What a character is, as the passes over the clean text ask: white space, alphabetic,
/// numeric (a character can be both, as `Ⅻ` is), and its CJK script. One byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Class(u8);

impl Class {
    const WHITESPACE: u8 = 1;
    const ALPHABETIC: u8 = 1 << 1;
    const NUMERIC: u8 = 1 << 2;
    const HAN: u8 = 1 << 3;
    const KANA: u8 = 1 << 4;
    const HANGUL: u8 = 1 << 5;

    /// Asks the standard library and [`cjk`]: what the table holds, and the answer beyond it.
    fn of(c: char) -> Class {
        let bit = |yes: bool, bit: u8| if yes { bit } else { 0 };
        Class(
            bit(c.is_whitespace(), Self::WHITESPACE)
                | bit(c.is_alphabetic(), Self::ALPHABETIC)
                | bit(c.is_numeric(), Self::NUMERIC)
                | match cjk(c) {
                    Some(Cjk::Han) => Self::HAN,
                    Some(Cjk::Kana) => Self::KANA,
                    Some(Cjk::Hangul) => Self::HANGUL,
                    None => 0,
                },
        )
    }

    /// `char::is_whitespace`.
    pub fn is_whitespace(self) -> bool {
        self.0 & Self::WHITESPACE != 0
    }

    /// `char::is_alphabetic`.
    pub fn is_alphabetic(self) -> bool {
        self.0 & Self::ALPHABETIC != 0
    }

    /// `char::is_numeric`.
    pub fn is_numeric(self) -> bool {
        self.0 & Self::NUMERIC != 0
    }

    /// `char::is_alphanumeric`, which is the two above.
    pub fn is_alphanumeric(self) -> bool {
        self.0 & (Self::ALPHABETIC | Self::NUMERIC) != 0
    }

    /// [`cjk`].
    pub fn cjk(self) -> Option<Cjk> {
        if self.0 & Self::HAN != 0 {
            Some(Cjk::Han)
        } else if self.0 & Self::KANA != 0 {
            Some(Cjk::Kana)
        } else if self.0 & Self::HANGUL != 0 {
            Some(Cjk::Hangul)
        } else {
            None
        }
    }
}

/// Characters of the Basic Multilingual Plane.
const PLANE: usize = 0x1_0000;

/// The class of every character of the plane.
static PLANE_CLASSES: LazyLock<Box<[Class]>> = LazyLock::new(|| {
    (0..PLANE as u32)
        .map(|code| char::from_u32(code).map_or(Class(0), Class::of))
        .collect()
});

/// The class of `c`: one lookup in the plane, the standard library beyond it.
pub fn class(c: char) -> Class {
    match PLANE_CLASSES.get(c as usize) {
        Some(&class) => class,
        None => Class::of(c),
    }
}

/// `c.is_alphabetic()`.
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        class(c).is_alphabetic()
    }
}

/// `c.is_numeric()`.
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        class(c).is_numeric()
    }
}

/// `c.is_alphanumeric()`.
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        class(c).is_alphanumeric()
    }
}

/// One of the readers [`read`] hands the text to, a character at a time.
pub trait Reader {
    /// Reads the next character, with its class.
    fn char(&mut self, c: char, class: Class);
}

impl<R: Reader + ?Sized> Reader for &mut R {
    fn char(&mut self, c: char, class: Class) {
        (**self).char(c, class);
    }
}

/// Two readers read the same pass.
impl<A: Reader, B: Reader> Reader for (A, B) {
    fn char(&mut self, c: char, class: Class) {
        self.0.char(c, class);
        self.1.char(c, class);
    }
}

/// A reader that may not be there (a stage that is switched off).
impl<R: Reader> Reader for Option<R> {
    fn char(&mut self, c: char, class: Class) {
        if let Some(reader) = self {
            reader.char(c, class);
        }
    }
}

/// No reader: what a caller passes when nothing else reads the text.
impl Reader for () {
    fn char(&mut self, _: char, _: Class) {}
}

/// Decodes `text` once and hands every character with its class to `reader` (a tuple of
/// readers reads together).
pub fn read(text: &str, reader: &mut impl Reader) {
    let classes = &**PLANE_CLASSES;
    for c in text.chars() {
        let class = match classes.get(c as usize) {
            Some(&class) => class,
            None => Class::of(c),
        };
        reader.char(c, class);
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
            let class = class(c);
            let code = u32::from(c);
            assert_eq!(class.is_whitespace(), c.is_whitespace(), "{code:#x}");
            assert_eq!(class.is_alphabetic(), c.is_alphabetic(), "{code:#x}");
            assert_eq!(class.is_numeric(), c.is_numeric(), "{code:#x}");
            assert_eq!(class.is_alphanumeric(), c.is_alphanumeric(), "{code:#x}");
            assert_eq!(class.cjk(), cjk(c), "{code:#x}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{code:#x}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{code:#x}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{code:#x}");
        }
    }

    #[test]
    fn a_pass_hands_every_reader_every_character_in_order() {
        #[derive(Default)]
        struct Seen(String);
        impl Reader for Seen {
            fn char(&mut self, c: char, class: Class) {
                assert_eq!(class, super::class(c));
                self.0.push(c);
            }
        }
        let text = "Ⅻ 漢字、한국어 and 𠀋 kana";
        let (mut a, mut b) = (Seen::default(), Seen::default());
        read(text, &mut (&mut a, (&mut b, ())));
        assert_eq!((a.0.as_str(), b.0.as_str()), (text, text));
    }
}
