//! The dataset schema: the one place column names and types are written down.

use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};

/// Bumped whenever a column is added, removed or changes type, or the partition layout
/// changes; stored in every file's metadata. A dataset of another version is rebuilt by the
/// next run. 3: `month=4`, no longer `month=04`, so that every reader types it as an integer;
/// `published_utc_offset` added. 4: `fetched_at` added.
pub const SCHEMA_VERSION: &str = "4";

/// Column names of `articles`.
#[allow(missing_docs)]
pub mod columns {
    pub const ID: &str = "id";
    pub const SOURCE_PATH: &str = "source_path";
    pub const ENCODING: &str = "encoding";
    pub const FRONT_MATTER: &str = "front_matter";
    pub const BODY_FORMAT: &str = "body_format";
    pub const TITLE: &str = "title";
    pub const AUTHOR: &str = "author";
    pub const URL: &str = "url";
    pub const SITE: &str = "site";
    pub const PUBLISHED_AT: &str = "published_at";
    pub const PUBLISHED_UTC_OFFSET: &str = "published_utc_offset";
    pub const DATE_SOURCE: &str = "date_source";
    pub const FETCHED_AT: &str = "fetched_at";
    pub const CATEGORIES: &str = "categories";
    pub const TAGS: &str = "tags";
    pub const LEAD_IMAGE: &str = "lead_image";
    pub const IMAGES: &str = "images";
    pub const LINKS: &str = "links";
    pub const TEXT: &str = "text";
    pub const LANG: &str = "lang";
    pub const CHAR_COUNT: &str = "char_count";
    pub const WORD_COUNT: &str = "word_count";
    pub const PARAGRAPH_COUNT: &str = "paragraph_count";
    pub const CONTENT_HASH: &str = "content_hash";
    pub const DUPLICATE_OF: &str = "duplicate_of";
    pub const EXTRA: &str = "extra";
    pub const WARNINGS: &str = "warnings";
    pub const INGESTED_AT: &str = "ingested_at";
    pub const STAGE: &str = "stage";
    pub const ERROR: &str = "error";
}

use columns::*;

fn utc_micros() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

pub(crate) fn string_list() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
}

pub(crate) fn image_fields() -> Fields {
    Fields::from(vec![
        Field::new("url", DataType::Utf8, false),
        Field::new("alt", DataType::Utf8, true),
        Field::new("caption", DataType::Utf8, true),
    ])
}

pub(crate) fn link_fields() -> Fields {
    Fields::from(vec![
        Field::new("url", DataType::Utf8, false),
        Field::new("text", DataType::Utf8, true),
    ])
}

fn struct_list(fields: Fields) -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Struct(fields), true)))
}

static ARTICLES: LazyLock<SchemaRef> = LazyLock::new(|| {
    let utf8 = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let int64 = |name: &str| Field::new(name, DataType::Int64, true);
    Arc::new(Schema::new(vec![
        utf8(ID, false),
        utf8(SOURCE_PATH, false),
        utf8(ENCODING, true),
        utf8(FRONT_MATTER, true),
        utf8(BODY_FORMAT, true),
        utf8(TITLE, true),
        utf8(AUTHOR, true),
        utf8(URL, true),
        utf8(SITE, true),
        Field::new(PUBLISHED_AT, utc_micros(), true),
        Field::new(PUBLISHED_UTC_OFFSET, DataType::Int32, true),
        utf8(DATE_SOURCE, true),
        Field::new(FETCHED_AT, utc_micros(), true),
        Field::new(CATEGORIES, string_list(), false),
        Field::new(TAGS, string_list(), false),
        utf8(LEAD_IMAGE, true),
        Field::new(IMAGES, struct_list(image_fields()), false),
        Field::new(LINKS, struct_list(link_fields()), false),
        utf8(TEXT, false),
        utf8(LANG, true),
        int64(CHAR_COUNT),
        int64(WORD_COUNT),
        int64(PARAGRAPH_COUNT),
        utf8(CONTENT_HASH, true),
        utf8(DUPLICATE_OF, true),
        utf8(EXTRA, true),
        Field::new(WARNINGS, string_list(), false),
        Field::new(INGESTED_AT, utc_micros(), true),
    ]))
});

static REJECTS: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        Field::new(SOURCE_PATH, DataType::Utf8, false),
        Field::new(STAGE, DataType::Utf8, false),
        Field::new(ERROR, DataType::Utf8, false),
        Field::new(INGESTED_AT, utc_micros(), true),
    ]))
});

/// The schema of `articles/**/*.parquet` (partition columns `year` and `month` are in the paths).
pub fn article_schema() -> SchemaRef {
    Arc::clone(&ARTICLES)
}

/// The schema of `rejects/*.parquet`.
pub fn reject_schema() -> SchemaRef {
    Arc::clone(&REJECTS)
}

/// The Arrow schema stored in a Parquet file written by lede (or anyone).
pub fn read_file_schema(path: &std::path::Path) -> Result<SchemaRef, crate::WriteError> {
    let file =
        std::fs::File::open(path).map_err(|source| crate::WriteError::io("open", path, source))?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|source| crate::WriteError::corrupt_part(path, source))?;
    Ok(Arc::clone(builder.schema()))
}

/// How `actual` differs from `expected`, one line per column, in `expected`'s order (empty when
/// they agree on names, types and nullability; schema metadata is not compared).
pub fn schema_diff(expected: &Schema, actual: &Schema) -> Vec<String> {
    let mut diff = Vec::new();
    for field in expected.fields() {
        match actual.field_with_name(field.name()) {
            Err(_) => diff.push(format!(
                "- {}: {} (missing)",
                field.name(),
                field.data_type()
            )),
            Ok(found)
                if found.data_type() != field.data_type()
                    || found.is_nullable() != field.is_nullable() =>
            {
                diff.push(format!(
                    "~ {}: expected {}{}, found {}{}",
                    field.name(),
                    field.data_type(),
                    if field.is_nullable() { "" } else { " not null" },
                    found.data_type(),
                    if found.is_nullable() { "" } else { " not null" },
                ));
            }
            Ok(_) => {}
        }
    }
    for field in actual.fields() {
        if expected.field_with_name(field.name()).is_err() {
            diff.push(format!(
                "+ {}: {} (unexpected)",
                field.name(),
                field.data_type()
            ));
        }
    }
    diff
}

/// The column `name` of `batch` as the array type `A`, or the error naming `what` was read.
pub(crate) fn typed_column<A: arrow_array::Array + Clone + 'static>(
    batch: &arrow_array::RecordBatch,
    name: &str,
    what: &'static str,
    path: &std::path::Path,
) -> Result<A, crate::WriteError> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<A>().cloned())
        .ok_or_else(|| crate::WriteError::missing_column(what, path, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_names_missing_changed_and_extra_columns() {
        let expected = Schema::new(vec![
            Field::new("a", DataType::Utf8, false),
            Field::new("b", DataType::Int64, true),
        ]);
        let actual = Schema::new(vec![
            Field::new("a", DataType::Utf8, true),
            Field::new("c", DataType::Utf8, true),
        ]);
        assert_eq!(
            schema_diff(&expected, &actual),
            vec![
                "~ a: expected Utf8 not null, found Utf8",
                "- b: Int64 (missing)",
                "+ c: Utf8 (unexpected)"
            ]
        );
        assert!(schema_diff(&article_schema(), &article_schema()).is_empty());
    }
}
