//! Month names of the European languages archives hold most after English, read as English
//! so one set of date forms parses them all: `25. Dezember 2022`, `12 de marzo de 2024`,
//! `4 févr. 2024`, `04-ago-2021`.

use std::borrow::Cow;

/// Lower-case month names and abbreviations (German, French, Spanish, Italian, Portuguese,
/// Dutch) that English does not share, and the English month. Abbreviations that are common
/// words (`set`, `out`, `gen`, `mag`) are left out: `sold out 12 2024` is not a date.
const FOREIGN_MONTHS: [(&str, &str); 73] = [
    ("januar", "January"),
    ("janvier", "January"),
    ("janv", "January"),
    ("enero", "January"),
    ("ene", "January"),
    ("gennaio", "January"),
    ("janeiro", "January"),
    ("januari", "January"),
    ("februar", "February"),
    ("février", "February"),
    ("fevrier", "February"),
    ("févr", "February"),
    ("fevr", "February"),
    ("febrero", "February"),
    ("febbraio", "February"),
    ("fevereiro", "February"),
    ("fev", "February"),
    ("februari", "February"),
    ("märz", "March"),
    ("maerz", "March"),
    ("mär", "March"),
    ("mars", "March"),
    ("marzo", "March"),
    ("março", "March"),
    ("marco", "March"),
    ("maart", "March"),
    ("mrt", "March"),
    ("avril", "April"),
    ("avr", "April"),
    ("abril", "April"),
    ("abr", "April"),
    ("aprile", "April"),
    ("mai", "May"),
    ("mayo", "May"),
    ("maggio", "May"),
    ("maio", "May"),
    ("mei", "May"),
    ("juni", "June"),
    ("juin", "June"),
    ("junio", "June"),
    ("giugno", "June"),
    ("junho", "June"),
    ("juli", "July"),
    ("juillet", "July"),
    ("juil", "July"),
    ("julio", "July"),
    ("luglio", "July"),
    ("julho", "July"),
    ("août", "August"),
    ("aout", "August"),
    ("agosto", "August"),
    ("ago", "August"),
    ("augustus", "August"),
    ("septembre", "September"),
    ("septiembre", "September"),
    ("setiembre", "September"),
    ("settembre", "September"),
    ("setembro", "September"),
    ("oktober", "October"),
    ("okt", "October"),
    ("octobre", "October"),
    ("octubre", "October"),
    ("ottobre", "October"),
    ("outubro", "October"),
    ("noviembre", "November"),
    ("novembro", "November"),
    ("dezember", "December"),
    ("dez", "December"),
    ("décembre", "December"),
    ("decembre", "December"),
    ("déc", "December"),
    ("diciembre", "December"),
    ("dic", "December"),
];

/// English month names and abbreviations, for `25. November 2022`'s day.
const ENGLISH_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Words between a day, a month and a year that English does not write (`12 de marzo de
/// 2024`, `le 4 mars`).
const CONNECTORS: [&str; 4] = ["de", "del", "di", "le"];

fn foreign_month(word: &str) -> Option<&'static str> {
    let key = word.trim_end_matches(['.', ',']).to_lowercase();
    FOREIGN_MONTHS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, english)| *english)
}

fn is_month(word: &str) -> bool {
    foreign_month(word).is_some() || {
        let key = word.trim_end_matches(['.', ',']).to_lowercase();
        ENGLISH_MONTHS.iter().any(|m| key.starts_with(m))
    }
}

/// `s` with its month written in English, or `s` as it was when it names no month in another
/// language and writes no `25.` before a month.
pub(super) fn in_english(s: &str) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Cow::Borrowed(s);
    }
    // `04-ago-2021`: a month between dashes is a word of its own.
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
        ] {
            assert_eq!(in_english(written), english, "{written}");
        }
        for same in [
            "March 5, 2024",
            "2024-03-05T10:00:00-05:00",
            "sold out 12 2024",
            "5.3.2024",
        ] {
            assert!(matches!(in_english(same), Cow::Borrowed(_)), "{same}");
        }
    }
}
