//! Language of the clean text: the script decides Chinese, Japanese and Korean (statistical
//! detectors confuse them on short or kanji-heavy texts); whatlang decides the rest.

use lede_record::chars::{self, Cjk};

/// Only this much text goes to whatlang: its cost is linear and ~2 KB decide a language.
const SAMPLE_BYTES: usize = 2 * 1024;

/// ISO 639-1 code of `text`, or `None` when there is too little text to tell.
pub(crate) fn detect(text: &str) -> Option<&'static str> {
    detect_counted(&ScriptCounts::of(text), text)
}

/// ISO 639-1 code of `text`, whose script counts are `counts`. Scripts are counted over the
/// whole text (in the clean text's one pass), so an English licence header does not make a
/// Japanese novel English.
pub(crate) fn detect_counted(counts: &ScriptCounts, text: &str) -> Option<&'static str> {
    let cjk = counts.han + counts.kana + counts.hangul;
    let by_script = || {
        if counts.hangul * 2 > cjk {
            "ko"
        } else if counts.kana * 10 >= counts.han + counts.kana {
            // Japanese prose always has kana; a Chinese text quoting a Japanese name has a little.
            "ja"
        } else {
            "zh"
        }
    };
    // A CJK character carries about half an alphabetic word: CJK decides when it outweighs the
    // words in other scripts.
    if cjk > 0 && cjk >= 2 * counts.words {
        return Some(by_script());
    }
    if counts.words == 0 {
        return None;
    }
    let sample = &text[..floor_char_boundary(text, SAMPLE_BYTES)];
    let info = whatlang::detect(sample);
    match info {
        Some(info) if info.is_reliable() || (counts.words >= 8 && info.confidence() >= 0.3) => {
            iso_639_1(info.lang())
        }
        // Mixed text the detector is unsure of: a real amount of CJK decides by script.
        _ if cjk >= MIN_CJK_FOR_SCRIPT => Some(by_script()),
        _ => None,
    }
}

/// CJK characters that make a mixed text CJK when the detector cannot tell.
const MIN_CJK_FOR_SCRIPT: usize = 20;

#[derive(Default)]
pub(crate) struct ScriptCounts {
    /// Runs of letters outside CJK that hold no digit, outside URLs, paths and e-mail addresses.
    words: usize,
    han: usize,
    kana: usize,
    hangul: usize,
}

impl ScriptCounts {
    /// The counts of `text` alone, read in a pass of their own.
    fn of(text: &str) -> ScriptCounts {
        let mut scripts = Scripts::default();
        chars::read(text, &mut scripts);
        scripts.finish()
    }
}

/// Script counts as a [`chars::Reader`] of the clean text's one pass: the counts of each
/// white-space separated token are kept apart until its end shows whether it is an address
/// (an `@`, or two `/` as in `://` and paths), whose letters are not prose.
#[derive(Default)]
pub(crate) struct Scripts {
    scan: Scan,
}

impl chars::Reader for Scripts {
    fn char(&mut self, c: char, class: chars::Class) {
        let scan = &mut self.scan;
        if c.is_ascii() {
            match c {
                'a'..='z' | 'A'..='Z' => scan.letters = true,
                '0'..='9' => scan.digits = true,
                '@' => {
                    scan.address = true;
                    scan.end_run();
                }
                '/' => {
                    scan.slashes += 1;
                    scan.end_run();
                }
                _ if class.is_whitespace() => scan.end_token(),
                _ => scan.end_run(),
            }
            return;
        }
        match class.cjk() {
            Some(script) => {
                scan.end_run();
                match script {
                    Cjk::Han => scan.token.han += 1,
                    Cjk::Kana => scan.token.kana += 1,
                    Cjk::Hangul => scan.token.hangul += 1,
                }
            }
            None if class.is_whitespace() => scan.end_token(),
            None if class.is_alphabetic() => scan.letters = true,
            None if class.is_numeric() => scan.digits = true,
            None => scan.end_run(),
        }
    }
}

impl Scripts {
    pub(crate) fn finish(mut self) -> ScriptCounts {
        self.scan.end_token();
        self.scan.total
    }
}

/// The state of [`Scripts`]'s pass.
#[derive(Default)]
struct Scan {
    total: ScriptCounts,
    /// Counts of the token being read.
    token: ScriptCounts,
    /// Whether the run of letters and digits being read has letters, and digits.
    letters: bool,
    digits: bool,
    /// Whether the token holds an `@`, and how many `/`.
    address: bool,
    slashes: usize,
}

impl Scan {
    fn end_run(&mut self) {
        if self.letters && !self.digits {
            self.token.words += 1;
        }
        (self.letters, self.digits) = (false, false);
    }

    fn end_token(&mut self) {
        self.end_run();
        let token = std::mem::take(&mut self.token);
        if !self.address && self.slashes < 2 {
            self.total.words += token.words;
            self.total.han += token.han;
            self.total.kana += token.kana;
            self.total.hangul += token.hangul;
        }
        (self.address, self.slashes) = (false, 0);
    }
}

pub(crate) fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

fn iso_639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_are_told_apart_by_script() {
        assert_eq!(
            detect("腾讯和抖音要互联互通了，巨头间的高墙拆了？"),
            Some("zh")
        );
        assert_eq!(
            detect("東京大学医学部附属病院で会見が行われました。"),
            Some("ja")
        );
        assert_eq!(
            detect("大韓民國 헌법 제1조 대한민국은 민주공화국이다."),
            Some("ko")
        );
    }

    #[test]
    fn chinese_quoting_a_japanese_title_stays_chinese() {
        let text = "据报道，这部名为《おしごと》的作品在中国大陆上映后，获得了观众的广泛好评，票房持续走高，业内人士认为其成功并非偶然。";
        assert_eq!(detect(text), Some("zh"));
    }

    #[test]
    fn latin_languages_come_from_whatlang() {
        assert_eq!(
            detect(
                "Voting is under way for the annual Bloggies which recognise the best web blogs of the year."
            ),
            Some("en")
        );
        assert_eq!(
            detect(
                "Ruby 3.3.0 ist veröffentlicht worden. Diese Version bringt viele Verbesserungen für Entwickler."
            ),
            Some("de")
        );
    }

    #[test]
    fn hashes_and_versions_do_not_outvote_cjk_prose() {
        let text = "Ruby 2.2.4 がリリースされました。これは安定版 2.2 系列の TEENY リリースです。\n\nSHA1: 6fa4b7e2b6d7d4ca5bb8d14d1e1d8a1f\nSHA256: b6eaba7e8f1f0d4a7f5c1e3b2a9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c\nSHA512: 1e2d3c4b5a69788796a5b4c3d2e1f0";
        assert_eq!(detect(text), Some("ja"));
    }

    #[test]
    fn urls_do_not_outvote_cjk_prose() {
        let text = "Ruby 2.2.5 今天发布了。这一版修正了很多缺陷，详情参见更改日志。下载 https://cache.ruby-lang.org/pub/ruby/2.2/ruby-2.2.5.tar.bz2 https://cache.ruby-lang.org/pub/ruby/2.2/ruby-2.2.5.tar.gz https://cache.ruby-lang.org/pub/ruby/2.2/ruby-2.2.5.zip SIZE: bytes";
        assert_eq!(detect(text), Some("zh"));
    }

    #[test]
    fn script_counts_leave_out_addresses_and_runs_with_digits() {
        let counts = ScriptCounts::of(
            "and/or mail me@example.org see /usr/lib or https://a.example/x v2 x86 中文\u{3000}かな 한국",
        );
        // "and", "or", "mail", "see", "or": not the address, the path, the URL or "v2"/"x86".
        assert_eq!(
            (counts.words, counts.han, counts.kana, counts.hangul),
            (5, 2, 2, 2)
        );
    }

    #[test]
    fn no_letters_no_language() {
        assert_eq!(detect("12345 !!! 678"), None);
        assert_eq!(detect(""), None);
    }
}
