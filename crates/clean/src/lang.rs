//! Language of the clean text: the script decides Chinese, Japanese and Korean (statistical
//! detectors confuse them on short or kanji-heavy texts); whatlang decides the rest.

/// Only this much text goes to whatlang: its cost is linear and ~2 KB decide a language.
const SAMPLE_BYTES: usize = 2 * 1024;

/// ISO 639-1 code of `text`, or `None` when there is too little text to tell. Scripts are
/// counted over the whole text (a cheap pass), so an English licence header does not make a
/// Japanese novel English.
pub(crate) fn detect(text: &str) -> Option<&'static str> {
    let counts = ScriptCounts::of(text);
    if counts.letters == 0 {
        return None;
    }
    let cjk = counts.han + counts.kana;
    if counts.hangul * 10 >= counts.letters * 3 && counts.hangul >= counts.kana {
        return Some("ko");
    }
    if cjk * 10 >= counts.letters * 3 {
        // Japanese prose always has kana; a Chinese text quoting a Japanese name has a little.
        return Some(if counts.kana * 10 >= cjk { "ja" } else { "zh" });
    }
    let sample = &text[..floor_char_boundary(text, SAMPLE_BYTES)];
    let info = whatlang::detect(sample)?;
    let confident = info.is_reliable() || (counts.letters >= 40 && info.confidence() >= 0.3);
    confident.then(|| iso_639_1(info.lang())).flatten()
}

#[derive(Default)]
struct ScriptCounts {
    letters: usize,
    han: usize,
    kana: usize,
    hangul: usize,
}

impl ScriptCounts {
    fn of(text: &str) -> ScriptCounts {
        let mut counts = ScriptCounts::default();
        for c in text.chars() {
            // ASCII first: `is_alphabetic` on other characters is a table search.
            if c.is_ascii() {
                counts.letters += usize::from(c.is_ascii_alphabetic());
                continue;
            }
            match crate::text::cjk_class(c) {
                Some(crate::text::Cjk::Han) => counts.han += 1,
                Some(crate::text::Cjk::Kana) => counts.kana += 1,
                Some(crate::text::Cjk::Hangul) => counts.hangul += 1,
                None if c.is_alphabetic() => {}
                None => continue,
            }
            counts.letters += 1;
        }
        counts
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
    fn no_letters_no_language() {
        assert_eq!(detect("12345 !!! 678"), None);
        assert_eq!(detect(""), None);
    }
}
