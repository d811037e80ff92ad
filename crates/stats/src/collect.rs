//! One pass over the part files.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, ListArray, RecordBatch, StringArray};
use lede_write::{ARTICLES_DIR, REJECTS_DIR, columns, part_files};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{Stats, StatsError, TextSize};

/// The columns read (everything else comes from file statistics).
const READ: [&str; 10] = [
    columns::ID,
    columns::SOURCE_PATH,
    columns::TITLE,
    columns::AUTHOR,
    columns::SITE,
    columns::LANG,
    columns::PUBLISHED_AT,
    columns::CHAR_COUNT,
    columns::DUPLICATE_OF,
    columns::WARNINGS,
];

/// Reads the dataset under `out`.
pub fn collect(out: &Path) -> Result<Stats, StatsError> {
    let articles_dir = out.join(ARTICLES_DIR);
    let rejects_dir = out.join(REJECTS_DIR);
    if !articles_dir.is_dir() && !rejects_dir.is_dir() {
        return Err(StatsError::NotADataset {
            path: out.to_owned(),
        });
    }
    let mut acc = Accumulator::default();
    for file in part_files(&articles_dir) {
        acc.read_articles(&file)?;
    }
    for file in part_files(&rejects_dir) {
        acc.read_rejects(&file)?;
    }
    Ok(acc.finish(out))
}

#[derive(Default)]
struct Accumulator {
    articles: u64,
    rejects: u64,
    by_site: HashMap<String, u64>,
    by_author: HashMap<String, u64>,
    by_lang: HashMap<String, u64>,
    by_month_and_site: BTreeMap<String, HashMap<String, u64>>,
    nulls: BTreeMap<String, u64>,
    duplicates: u64,
    canonicals: HashSet<String>,
    warnings: BTreeMap<String, u64>,
    rejects_by_stage: BTreeMap<String, BTreeMap<String, u64>>,
    histogram: Vec<u64>,
    /// Max-heap of the smallest (so its top is the largest of them) and min-heap of the largest.
    smallest: BinaryHeap<TextSize>,
    largest: BinaryHeap<std::cmp::Reverse<TextSize>>,
}

impl PartialOrd for TextSize {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TextSize {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.chars, &self.id).cmp(&(other.chars, &other.id))
    }
}

fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>, StatsError> {
    let file = File::open(path).map_err(|source| StatsError::Io {
        path: path.to_owned(),
        source,
    })?;
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|source| StatsError::Parquet {
        path: path.to_owned(),
        source,
    })
}

fn batches(
    builder: ParquetRecordBatchReaderBuilder<File>,
    path: &Path,
) -> Result<Vec<RecordBatch>, StatsError> {
    let parquet = |source| StatsError::Parquet {
        path: path.to_owned(),
        source,
    };
    builder
        .build()
        .map_err(parquet)?
        .map(|b| b.map_err(|e| parquet(e.into())))
        .collect()
}

fn strings<'a>(
    batch: &'a RecordBatch,
    name: &str,
    path: &Path,
) -> Result<&'a StringArray, StatsError> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| StatsError::Column {
            path: path.to_owned(),
            column: name.to_owned(),
        })
}

fn value(array: &StringArray, row: usize) -> Option<&str> {
    array.is_valid(row).then(|| array.value(row))
}

impl Accumulator {
    fn read_articles(&mut self, path: &Path) -> Result<(), StatsError> {
        let builder = open(path)?;
        self.count_nulls(&builder);
        let schema = builder.parquet_schema();
        let leaves: Vec<usize> = schema
            .columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| READ.contains(&c.path().parts()[0].as_str()))
            .map(|(i, _)| i)
            .collect();
        let mask = ProjectionMask::leaves(schema, leaves);
        for batch in batches(builder.with_projection(mask), path)? {
            self.add_articles(&batch, path)?;
        }
        Ok(())
    }

    /// NULL counts of scalar columns from the files' statistics: no data is read for them.
    fn count_nulls(&mut self, builder: &ParquetRecordBatchReaderBuilder<File>) {
        for group in builder.metadata().row_groups() {
            for column in group.columns() {
                let path = column.column_path().parts();
                if path.len() != 1 {
                    continue; // list columns: counted as empty lists while reading
                }
                if let Some(nulls) = column.statistics().and_then(|s| s.null_count_opt()) {
                    *self.nulls.entry(path[0].clone()).or_default() += nulls;
                }
            }
        }
    }

    fn add_articles(&mut self, batch: &RecordBatch, path: &Path) -> Result<(), StatsError> {
        let ids = strings(batch, columns::ID, path)?;
        let paths = strings(batch, columns::SOURCE_PATH, path)?;
        let titles = strings(batch, columns::TITLE, path)?;
        let authors = strings(batch, columns::AUTHOR, path)?;
        let sites = strings(batch, columns::SITE, path)?;
        let langs = strings(batch, columns::LANG, path)?;
        let duplicates = strings(batch, columns::DUPLICATE_OF, path)?;
        let missing = |name: &str| StatsError::Column {
            path: path.to_owned(),
            column: name.to_owned(),
        };
        let published = batch
            .column_by_name(columns::PUBLISHED_AT)
            .and_then(|c| c.as_primitive_opt::<TimestampMicrosecondType>())
            .ok_or_else(|| missing(columns::PUBLISHED_AT))?;
        let chars = batch
            .column_by_name(columns::CHAR_COUNT)
            .and_then(|c| c.as_primitive_opt::<Int64Type>())
            .ok_or_else(|| missing(columns::CHAR_COUNT))?;
        let warnings = batch
            .column_by_name(columns::WARNINGS)
            .and_then(|c| c.as_any().downcast_ref::<ListArray>())
            .ok_or_else(|| missing(columns::WARNINGS))?;
        if self.histogram.is_empty() {
            self.histogram = vec![0; Stats::LENGTH_BUCKETS.len()];
        }
        for row in 0..batch.num_rows() {
            self.articles += 1;
            let site = value(sites, row).unwrap_or("(none)");
            *self.by_site.entry(site.to_owned()).or_default() += 1;
            if let Some(author) = value(authors, row) {
                *self.by_author.entry(author.to_owned()).or_default() += 1;
            }
            *self
                .by_lang
                .entry(value(langs, row).unwrap_or("(none)").to_owned())
                .or_default() += 1;
            let month = published
                .is_valid(row)
                .then(|| jiff::Timestamp::from_microsecond(published.value(row)).ok())
                .flatten()
                .map_or_else(|| "undated".to_owned(), |t| t.strftime("%Y-%m").to_string());
            *self
                .by_month_and_site
                .entry(month)
                .or_default()
                .entry(site.to_owned())
                .or_default() += 1;
            if let Some(canonical) = value(duplicates, row) {
                self.duplicates += 1;
                if !self.canonicals.contains(canonical) {
                    self.canonicals.insert(canonical.to_owned());
                }
            }
            if warnings.is_valid(row) {
                let list = warnings.value(row);
                let list = list.as_string::<i32>();
                for i in 0..list.len() {
                    let kind = list.value(i).split(':').next().unwrap_or_default();
                    *self.warnings.entry(kind.to_owned()).or_default() += 1;
                }
            }
            let size = if chars.is_valid(row) {
                chars.value(row)
            } else {
                0
            };
            let bucket = Stats::LENGTH_BUCKETS
                .iter()
                .position(|&bound| size < bound)
                .unwrap_or(Stats::LENGTH_BUCKETS.len() - 1);
            self.histogram[bucket] += 1;
            self.rank(TextSize {
                chars: size,
                id: ids.value(row).to_owned(),
                title: value(titles, row).map(str::to_owned),
                source_path: paths.value(row).to_owned(),
            });
        }
        Ok(())
    }

    fn rank(&mut self, entry: TextSize) {
        if self.smallest.len() < Stats::RANKED
            || self.smallest.peek().is_some_and(|top| entry < *top)
        {
            self.smallest.push(entry.clone());
            if self.smallest.len() > Stats::RANKED {
                self.smallest.pop();
            }
        }
        if self.largest.len() < Stats::RANKED
            || self.largest.peek().is_some_and(|top| entry > top.0)
        {
            self.largest.push(std::cmp::Reverse(entry));
            if self.largest.len() > Stats::RANKED {
                self.largest.pop();
            }
        }
    }

    fn read_rejects(&mut self, path: &Path) -> Result<(), StatsError> {
        for batch in batches(open(path)?, path)? {
            let stages = strings(&batch, columns::STAGE, path)?;
            let errors = strings(&batch, columns::ERROR, path)?;
            for row in 0..batch.num_rows() {
                self.rejects += 1;
                let reason = errors
                    .value(row)
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .trim();
                *self
                    .rejects_by_stage
                    .entry(stages.value(row).to_owned())
                    .or_default()
                    .entry(reason.to_owned())
                    .or_default() += 1;
            }
        }
        Ok(())
    }

    fn finish(self, out: &Path) -> Stats {
        let articles = self.articles;
        let ranked = |map: HashMap<String, u64>| {
            let mut list: Vec<(String, u64)> = map.into_iter().collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            list
        };
        let by_site = ranked(self.by_site);
        let mut by_author = ranked(self.by_author);
        by_author.truncate(50);
        let chart_sites: HashSet<&str> = by_site
            .iter()
            .take(Stats::CHART_SITES)
            .map(|(s, _)| s.as_str())
            .collect();
        let mut by_month = BTreeMap::new();
        let mut by_month_and_site = BTreeMap::new();
        for (month, sites) in self.by_month_and_site {
            let mut series: BTreeMap<String, u64> = BTreeMap::new();
            for (site, n) in sites {
                *by_month.entry(month.clone()).or_default() += n;
                let name = if chart_sites.contains(site.as_str()) {
                    site
                } else {
                    "other".to_owned()
                };
                *series.entry(name).or_default() += n;
            }
            by_month_and_site.insert(month, series);
        }
        let share = |n: u64| {
            if articles == 0 {
                0.0
            } else {
                n as f64 / articles as f64
            }
        };
        let schema = lede_write::article_schema();
        // No articles, no rates: a 0.0% of nothing would read as "never NULL".
        let null_rate = schema
            .fields()
            .iter()
            .filter(|f| f.is_nullable() && articles > 0)
            .map(|f| {
                let nulls = self.nulls.get(f.name()).copied().unwrap_or(0);
                (f.name().clone(), share(nulls))
            })
            .collect();
        let bucket_names = bucket_names();
        let mut smallest = self.smallest.into_sorted_vec();
        smallest.truncate(Stats::RANKED);
        let mut largest: Vec<TextSize> = self
            .largest
            .into_sorted_vec()
            .into_iter()
            .map(|r| r.0)
            .collect();
        largest.truncate(Stats::RANKED);
        Stats {
            dataset: PathBuf::from(out),
            articles,
            rejects: self.rejects,
            by_site,
            by_author,
            by_lang: ranked(self.by_lang),
            by_month,
            by_month_and_site,
            null_rate,
            duplicates: self.duplicates,
            duplicate_clusters: self.canonicals.len() as u64,
            duplicate_rate: share(self.duplicates),
            warnings_by_kind: self.warnings,
            rejects_by_stage: self.rejects_by_stage,
            text_length_histogram: bucket_names
                .into_iter()
                .zip(if self.histogram.is_empty() {
                    vec![0; Stats::LENGTH_BUCKETS.len()]
                } else {
                    self.histogram
                })
                .collect(),
            largest,
            smallest,
        }
    }
}

fn bucket_names() -> Vec<String> {
    let mut lower = 0i64;
    Stats::LENGTH_BUCKETS
        .iter()
        .map(|&upper| {
            let name = match (lower, upper) {
                (0, 1) => "empty".to_owned(),
                (l, i64::MAX) => format!("{l}+"),
                (l, u) => format!("{l}–{}", u - 1),
            };
            lower = upper;
            name
        })
        .collect()
}
