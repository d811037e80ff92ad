//! The shape of a `pipeline.toml`: every unknown table or key and every value of the wrong type,
//! found in one pass so that a user fixes them all at once (serde stops at the first). The keys
//! a table takes are read from its struct, so this file names no key itself.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Visitor};

use super::{DedupOptions, InputOptions, LimitOptions, Options, OutputOptions, RunOptions};
use super::{SiteOptions, site_label};

/// Every problem of the file's shape, each naming the key as the file spells it.
pub(super) fn problems(file: &toml::Table) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in file {
        match name.as_str() {
            "input" => table::<InputOptions>(name, value, &mut problems),
            "output" => table::<OutputOptions>(name, value, &mut problems),
            "run" => table::<RunOptions>(name, value, &mut problems),
            "limits" => table::<LimitOptions>(name, value, &mut problems),
            "dedup" => table::<DedupOptions>(name, value, &mut problems),
            "site" => match value.as_array() {
                Some(sites) => {
                    for (i, site) in sites.iter().enumerate() {
                        table::<SiteOptions>(&site_label(i), site, &mut problems);
                    }
                }
                None => problems.push("site is a list of [[site]] tables".to_owned()),
            },
            _ if value.is_table() || value.is_array() => problems.push(format!(
                "unknown table [{name}]{}",
                suggestion(name, fields::<Options>())
            )),
            _ => problems.push(format!(
                "unknown key {name} outside any table{}",
                suggestion(name, &[])
            )),
        }
    }
    problems
}

/// The problems of one table, checked against the struct `T` it is read into: each key alone,
/// so that one wrong value does not hide the next.
fn table<T: DeserializeOwned>(name: &str, value: &toml::Value, problems: &mut Vec<String>) {
    let Some(entries) = value.as_table() else {
        problems.push(format!("{name} is a table ([{name}]), not a single value"));
        return;
    };
    let known = fields::<T>();
    for (key, value) in entries {
        if !known.contains(&key.as_str()) {
            problems.push(format!(
                "unknown key {name}.{key}{}",
                suggestion(key, known)
            ));
            continue;
        }
        let alone = toml::Table::from_iter([(key.clone(), value.clone())]);
        if let Err(err) = toml::Value::Table(alone).try_into::<T>() {
            problems.push(format!("{name}.{key}: {}", err.message().trim_end()));
        }
    }
}

/// `; did you mean …?` for the nearest known name within two edits (or a third of the name).
fn suggestion(name: &str, known: &[&str]) -> String {
    let allowed = (name.chars().count() / 3).max(2);
    known
        .iter()
        .map(|candidate| (edits(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min()
        .map_or_else(String::new, |(_, candidate)| {
            format!("; did you mean {candidate}?")
        })
}

/// Levenshtein distance, by characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The field names serde reads struct `T` with: a deserializer that only records them.
fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs are probed"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _probed = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(text: &str) -> Vec<String> {
        problems(&toml::from_str(text).unwrap())
    }

    #[test]
    fn every_unknown_key_and_wrong_value_at_once_with_the_nearest_key() {
        let found = problems_of(
            "[output]\nzstd_levl = 3\nmax_fil_mb = 2\n[ouput]\ndir = \"x\"\n[run]\nthreads = \"two\"\ntimezone = 5\n[[site]]\nhost = [\"a\"]\n",
        );
        let expected = [
            "unknown key output.zstd_levl; did you mean zstd_level?",
            "unknown key output.max_fil_mb; did you mean max_file_mb?",
            "unknown table [ouput]; did you mean output?",
            "run.threads: invalid type: string \"two\", expected usize",
            "run.timezone: invalid type: integer `5`, expected a string",
            "unknown key [[site]] #1.host; did you mean hosts?",
        ];
        for needle in expected {
            assert!(
                found.iter().any(|p| p == needle),
                "{needle} not in {found:#?}"
            );
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn a_right_file_has_no_problems_and_far_names_get_no_guess() {
        assert!(problems_of("[input]\npaths = [\"a\"]\n[[site]]\nhosts = [\"x\"]\n").is_empty());
        assert_eq!(
            problems_of("[run]\nparallelism = 2\n"),
            ["unknown key run.parallelism"]
        );
    }

    #[test]
    fn the_probe_reads_the_structs_fields() {
        assert!(fields::<RunOptions>().contains(&"threads"));
        assert!(fields::<Options>().contains(&"site"));
        assert_eq!(edits("kitten", "sitting"), 3);
    }
}
