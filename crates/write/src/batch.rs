//! Records → Arrow `RecordBatch`es, column by column.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Int32Array, Int64Array, ListArray, RecordBatch, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{ArrowError, DataType, Field, Fields};
use jiff::Timestamp;
use lede_record::{Article, Reject};

use crate::schema::{article_schema, image_fields, link_fields, reject_schema};

fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(values.collect::<StringArray>())
}

fn timestamps(values: impl Iterator<Item = Option<Timestamp>>) -> ArrayRef {
    let micros: TimestampMicrosecondArray = values.map(|t| t.map(|t| t.as_microsecond())).collect();
    Arc::new(micros.with_timezone("UTC"))
}

fn int64s(values: impl Iterator<Item = i64>) -> ArrayRef {
    Arc::new(values.map(Some).collect::<Int64Array>())
}

/// A non-null list column from one slice of items per row.
fn list_of<T>(
    rows: &[&[T]],
    item_type: DataType,
    values: impl FnOnce(Vec<&T>) -> Result<ArrayRef, ArrowError>,
) -> Result<ArrayRef, ArrowError> {
    let offsets = OffsetBuffer::from_lengths(rows.iter().map(|r| r.len()));
    let flat: Vec<&T> = rows.iter().flat_map(|r| r.iter()).collect();
    let field = Arc::new(Field::new("item", item_type, true));
    Ok(Arc::new(ListArray::try_new(
        field,
        offsets,
        values(flat)?,
        None,
    )?))
}

fn string_lists(rows: &[&[String]]) -> Result<ArrayRef, ArrowError> {
    list_of(rows, DataType::Utf8, |flat| {
        Ok(strings(flat.into_iter().map(|s| Some(s.as_str()))))
    })
}

/// A list of `struct<url, …>`: the URL, then optional strings (alt text and caption, or anchor
/// text), in `fields` order.
fn url_struct_lists<T, const N: usize>(
    rows: &[&[T]],
    fields: Fields,
    parts: impl Fn(&T) -> (&str, [Option<&str>; N]),
) -> Result<ArrayRef, ArrowError> {
    list_of(rows, DataType::Struct(fields.clone()), |flat| {
        let mut columns = vec![strings(flat.iter().map(|t| Some(parts(t).0)))];
        columns.extend((0..N).map(|i| strings(flat.iter().map(|t| parts(t).1[i]))));
        Ok(Arc::new(StructArray::try_new(fields, columns, None)?) as ArrayRef)
    })
}

/// Builds the `articles` batch for `articles`, stamped with the run's `ingested_at`;
/// `duplicate_of` is NULL (the commit sets it once the run's articles are all in).
pub fn articles(articles: &[&Article], ingested_at: Timestamp) -> Result<RecordBatch, ArrowError> {
    let col = |f: fn(&Article) -> Option<&str>| strings(articles.iter().map(|a| f(a)));
    let lists = |f: fn(&Article) -> &[String]| {
        string_lists(&articles.iter().map(|a| f(a)).collect::<Vec<_>>())
    };
    let warnings: Vec<Vec<String>> = articles
        .iter()
        .map(|a| a.warnings.iter().map(ToString::to_string).collect())
        .collect();
    let columns: Vec<ArrayRef> = vec![
        col(|a| Some(a.id.as_str())),
        col(|a| Some(&a.source_path)),
        col(|a| Some(a.encoding)),
        col(|a| Some(a.front_matter.as_str())),
        col(|a| Some(a.body_format.as_str())),
        col(|a| a.title.as_deref()),
        col(|a| a.author.as_deref()),
        col(|a| a.url.as_deref()),
        col(|a| a.site.as_deref()),
        timestamps(articles.iter().map(|a| a.published_at)),
        Arc::new(
            articles
                .iter()
                .map(|a| a.published_utc_offset)
                .collect::<Int32Array>(),
        ),
        col(|a| a.date_source.map(|d| d.as_str())),
        timestamps(articles.iter().map(|a| a.fetched_at)),
        lists(|a| &a.categories)?,
        lists(|a| &a.tags)?,
        col(|a| a.lead_image.as_deref()),
        url_struct_lists(
            &articles
                .iter()
                .map(|a| a.images.as_slice())
                .collect::<Vec<_>>(),
            image_fields(),
            |i| (&i.url, [i.alt.as_deref(), i.caption.as_deref()]),
        )?,
        url_struct_lists(
            &articles
                .iter()
                .map(|a| a.links.as_slice())
                .collect::<Vec<_>>(),
            link_fields(),
            |l| (&l.url, [l.text.as_deref()]),
        )?,
        col(|a| Some(&a.text)),
        col(|a| a.lang.as_deref()),
        int64s(articles.iter().map(|a| a.char_count)),
        int64s(articles.iter().map(|a| a.word_count)),
        int64s(articles.iter().map(|a| a.paragraph_count)),
        col(|a| Some(&a.content_hash)),
        // Known once the run's articles are all in: the commit patches it.
        col(|_| None),
        col(|a| a.extra.as_deref()),
        string_lists(&warnings.iter().map(Vec::as_slice).collect::<Vec<_>>())?,
        timestamps(articles.iter().map(|_| Some(ingested_at))),
    ];
    RecordBatch::try_new(article_schema(), columns)
}

/// Builds the `rejects` batch.
pub fn rejects(rejects: &[Reject], ingested_at: Timestamp) -> Result<RecordBatch, ArrowError> {
    RecordBatch::try_new(
        reject_schema(),
        vec![
            strings(rejects.iter().map(|r| Some(r.source_path.as_str()))),
            strings(rejects.iter().map(|r| Some(r.stage.as_str()))),
            strings(rejects.iter().map(|r| Some(r.error.as_str()))),
            timestamps(rejects.iter().map(|_| Some(ingested_at))),
        ],
    )
}
