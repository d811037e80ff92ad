//! Month names of the European languages archives hold most after English, read as English
//! so one set of date forms parses them all: `25. Dezember 2022`, `12 de marzo de 2024`,
//! `4 févr. 2024`, `04-ago-2021`.

use std::borrow::Cow;

/// English month names, for `25. November 2022`'s day: the whole name or its first three
/// letters (`Nov`, not `Market`).
const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words between a day, a month and a year that English does not write (`12 de marzo de
/// 2024`, `le 4 mars`).
const CONNECTORS: [&str; 4] = ["de", "del", "di", "le"];

/// The longest month name [`foreign_month`] knows, in bytes.
const LONGEST_NAME: usize = 10;

/// The English month that a month name or abbreviation in German, French, Spanish, Italian,
/// Portuguese or Dutch names (those English does not share). Abbreviations that are common
/// words (`set`, `out`, `gen`, `mag`) are left out: `sold out 12 2024` is not a date.
fn foreign_month(word: &str) -> Option<&'static str> {
    let word = word.trim_end_matches(['.', ',']);
    // Dates are read often, month names are few: most words are turned away by length.
    if !(3..=LONGEST_NAME).contains(&word.len()) {
        return None;
    }
    Some(match word.to_lowercase().as_str() {
        "januar" | "janvier" | "janv" | "enero" | "ene" | "gennaio" | "janeiro" | "januari" => {
            "January"
        }
        "februar" | "février" | "fevrier" | "févr" | "fevr" | "febrero" | "febbraio"
        | "fevereiro" | "fev" | "februari" => "February",
        "märz" | "maerz" | "mär" | "mars" | "marzo" | "março" | "marco" | "maart" | "mrt" => {
            "March"
        }
        "avril" | "avr" | "abril" | "abr" | "aprile" => "April",
        "mai" | "mayo" | "maggio" | "maio" | "mei" => "May",
        "juni" | "juin" | "junio" | "giugno" | "junho" => "June",
        "juli" | "juillet" | "juil" | "julio" | "luglio" | "julho" => "July",
        "août" | "aout" | "agosto" | "ago" | "augustus" => "August",
        "septembre" | "septiembre" | "setiembre" | "settembre" | "setembro" => "September",
        "oktober" | "okt" | "octobre" | "octubre" | "ottobre" | "outubro" => "October",
        "noviembre" | "novembro" => "November",
        "dezember" | "dez" | "décembre" | "decembre" | "déc" | "diciembre" | "dic" => "December",
        _ => return None,
    })
}

fn is_month(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',']);
    foreign_month(word).is_some()
        || ENGLISH_MONTHS
            .iter()
            .any(|month| word.eq_ignore_ascii_case(month) || word.eq_ignore_ascii_case(&month[..3]))
}

/// `s` with its month written in English, or `s` as it was when it names no month in another
/// language and writes no `25.` before a month.
pub(super) fn in_english(s: &str) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Cow::Borrowed(s);
    }
    // `04-ago-2021`: a month between dashes is a word of its own.
    let maybe_words = s.split(|c: char| c.is_whitespace() || c == '-');
    if !maybe_words.clone().any(|w| foreign_month(w).is_some())
        && !maybe_words.clone().any(|w| w.ends_with('.'))
    {
        return Cow::Borrowed(s);
    }
    let words: Vec<&str> = s
        .split_whitespace()
        .flat_map(|word| {
            let parts: Vec<&str> = word.split('-').collect();
            let dashed = parts.len() == 3 && foreign_month(parts[1]).is_some();
            if dashed { parts } else { vec![word] }
        })
        .collect();
    let day_dot_before_month = |i: usize| {
        let word = words[i];
        word.ends_with('.')
            && word[..word.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && words.get(i + 1).is_some_and(|next| is_month(next))
    };
    let foreign = words.iter().any(|w| foreign_month(w).is_some());
    if !foreign && !(0..words.len()).any(day_dot_before_month) {
        return Cow::Borrowed(s);
    }
    let english: Vec<String> = (0..words.len())
        .filter(|&i| !CONNECTORS.contains(&words[i].to_lowercase().as_str()))
        .map(|i| match foreign_month(words[i]) {
            Some(month) => month.to_owned(),
            None if day_dot_before_month(i) => words[i].trim_end_matches('.').to_owned(),
            None => words[i].to_owned(),
        })
        .collect();
    Cow::Owned(english.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_languages_months_read_as_english() {
        for (written, english) in [
            ("25. Dezember 2022", "25 December 2022"),
            ("25. November 2022", "25 November 2022"),
            ("12 de marzo de 2024", "12 March 2024"),
            ("4 févr. 2024", "4 February 2024"),
            ("04-ago-2021", "04 August 2021"),
            ("le 3 août 2020", "3 August 2020"),
            ("3 maart 2021", "3 March 2021"),
            ("25. Nov. 2022", "25 Nov. 2022"),
        ] {
            assert_eq!(in_english(written), english, "{written}");
        }
        for same in [
            "March 5, 2024",
            "2024-03-05T10:00:00-05:00",
            "sold out 12 2024",
            "5.3.2024",
            "Top 1. Market 2022",
        ] {
            assert!(matches!(in_english(same), Cow::Borrowed(_)), "{same}");
        }
    }
}
