//! Hive partitions: `year=YYYY/month=M` of `published_at` in UTC.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The directory name Hive, Spark, DuckDB and pyarrow read back as NULL.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// The partition one article goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartitionKey {
    year_month: Option<(i16, i8)>,
}

impl PartitionKey {
    /// The partition of an article published at `published_at` (`None`: the NULL partition).
    pub fn of(published_at: Option<Timestamp>) -> PartitionKey {
        PartitionKey {
            year_month: published_at.map(|t| {
                let date = t.to_zoned(TimeZone::UTC).date();
                (date.year(), date.month())
            }),
        }
    }
}

/// The relative directory, `year=2021/month=4`: unpadded, as Spark and pyarrow write integer
/// partitions, so that DuckDB, pyarrow, Polars and Spark all read `month` as an integer (a
/// zero-padded `04` is a string to DuckDB). Years are 1800–2199, four digits.
impl fmt::Display for PartitionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year_month {
            Some((year, month)) => write!(f, "year={year}/month={month}"),
            None => write!(f, "year={NULL_PARTITION}/month={NULL_PARTITION}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_paths() {
        let t: Timestamp = "2021-04-24T02:56:28.687Z".parse().unwrap();
        assert_eq!(PartitionKey::of(Some(t)).to_string(), "year=2021/month=4");
        assert_eq!(
            PartitionKey::of(None).to_string(),
            "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"
        );
    }
}
