//! The near-duplicate parts a distributed engine needs: band keys to shuffle by, the verified
//! duplicate pairs among rows that share band keys, and the canonical copies those pairs make
//! — each the rule `lede run` applies (`lede-dedup`), so the engine's `duplicate_of` is the
//! CLI's.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder};
use arrow_array::{
    Array, ArrayRef, BinaryArray, FixedSizeBinaryArray, Int64Array, LargeBinaryArray,
    LargeStringArray, RecordBatch, StringArray, TimestampMicrosecondArray, make_array,
};
use arrow_data::ArrayData;
use arrow_pyarrow::{PyArrowType, ToPyArrow};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use lede_dedup::{Member, band_key, band_values, bucket_pairs, canonical_copies, similarity};
use lede_record::{ArticleId, DedupState, SIGNATURE_BYTES, Signature};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn invalid(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// The signatures of a column of `binary`, `large_binary` or `fixed_size_binary(64)`.
fn signatures_of(array: &ArrayRef) -> PyResult<Vec<Option<Signature>>> {
    let of = |bytes: Option<&[u8]>| bytes.and_then(|b| b.try_into().ok()).map(Signature);
    if let Some(a) = array.as_any().downcast_ref::<BinaryArray>() {
        return Ok(a.iter().map(of).collect());
    }
    if let Some(a) = array.as_any().downcast_ref::<LargeBinaryArray>() {
        return Ok(a.iter().map(of).collect());
    }
    if let Some(a) = array.as_any().downcast_ref::<FixedSizeBinaryArray>() {
        return Ok(a.iter().map(of).collect());
    }
    Err(invalid(format!(
        "signatures must be binary ({SIGNATURE_BYTES} bytes each), as clean_batch gives them"
    )))
}

/// The band keys of each signature (16 per row, as a list; empty for a NULL signature): two
/// articles that share a key are candidates to verify. Signed, for engines without unsigned
/// integers (Spark); every key fits in 36 bits.
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    signatures: PyArrowType<ArrayData>,
) -> PyResult<Bound<'py, PyAny>> {
    let signatures = signatures_of(&make_array(signatures.0))?;
    let mut keys = ListBuilder::new(Int64Builder::new());
    for signature in &signatures {
        // A row without a signature gets an empty list, in its place.
        for (band, value) in signature
            .iter()
            .flat_map(|s| band_values(s).into_iter().enumerate())
        {
            keys.values()
                .append_value(i64::try_from(band_key(band, value)).expect("36 bits"));
        }
        keys.append(true);
    }
    (Arc::new(keys.finish()) as ArrayRef)
        .to_data()
        .to_pyarrow(py)
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> PyResult<&'a ArrayRef> {
    batch
        .column_by_name(name)
        .ok_or_else(|| invalid(format!("the rows need a `{name}` column")))
}

fn strings(array: &ArrayRef, name: &str) -> PyResult<Vec<Option<String>>> {
    if let Some(a) = array.as_any().downcast_ref::<StringArray>() {
        return Ok(a.iter().map(|s| s.map(str::to_owned)).collect());
    }
    if let Some(a) = array.as_any().downcast_ref::<LargeStringArray>() {
        return Ok(a.iter().map(|s| s.map(str::to_owned)).collect());
    }
    Err(invalid(format!("`{name}` must be strings")))
}

/// Microseconds of a timestamp column (any zone: instants), [`DedupState::UNDATED`] for NULL.
fn published(array: &ArrayRef, name: &str) -> PyResult<Vec<i64>> {
    array
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .map(|a| a.iter().map(|t| t.unwrap_or(DedupState::UNDATED)).collect())
        .ok_or_else(|| invalid(format!("`{name}` must be timestamp[us]")))
}

fn key_of(id: &str) -> PyResult<u128> {
    u128::from_str_radix(id, 16).map_err(|_| invalid(format!("{id} is not a lede id")))
}

fn time_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// The verified duplicate pairs among rows of `band_key`, `id`, `published_at` and
/// `signature` (band keys exploded, a row per key), in which every bucket — the rows of a band
/// key — is whole: grouped by the band key, or by any function of it. Each bucket's members
/// are ordered earliest published, then smallest id, and the pairs lede verifies in it whose
/// similarity reaches `threshold` (`dedup.threshold`) are returned once each: a batch of `id`,
/// `published_at`, `other_id`, `other_published_at`.
#[pyfunction]
fn duplicate_pairs<'py>(
    py: Python<'py>,
    rows: PyArrowType<RecordBatch>,
    threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let rows = rows.0;
    let keys = column(&rows, "band_key")?
        .as_any()
        .downcast_ref::<Int64Array>()
        .cloned()
        .ok_or_else(|| invalid("`band_key` must be int64, as band_keys gives it"))?;
    let ids = strings(column(&rows, "id")?, "id")?;
    let times = published(column(&rows, "published_at")?, "published_at")?;
    let signatures = signatures_of(column(&rows, "signature")?)?;
    let pairs = py.detach(|| -> PyResult<Vec<(Member, Member)>> {
        let mut buckets: HashMap<i64, Vec<(Member, usize)>> = HashMap::new();
        for row in 0..rows.num_rows() {
            if let (Some(id), Some(_)) = (&ids[row], &signatures[row])
                && keys.is_valid(row)
            {
                buckets
                    .entry(keys.value(row))
                    .or_default()
                    .push(((key_of(id)?, times[row]), row));
            }
        }
        let mut pairs = Vec::new();
        for members in buckets.values_mut().filter(|m| m.len() > 1) {
            members.sort_unstable_by_key(|((key, published), _)| (*published, *key));
            members.dedup_by_key(|((key, _), _)| *key);
            for (a, b) in bucket_pairs(members.len()) {
                let (a, b) = (members[a], members[b]);
                let signature = |row: usize| signatures[row].expect("rows with a signature");
                if similarity(&signature(a.1), &signature(b.1)) >= threshold {
                    pairs.push((a.0, b.0));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        Ok(pairs)
    })?;
    let id = |key: u128| Some(ArticleId::from_key(key).to_string());
    let time = |published: i64| (published != DedupState::UNDATED).then_some(published);
    let batch = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("published_at", time_type(), true),
            Field::new("other_id", DataType::Utf8, false),
            Field::new("other_published_at", time_type(), true),
        ])),
        vec![
            Arc::new(StringArray::from_iter(pairs.iter().map(|p| id(p.0.0)))),
            Arc::new(
                TimestampMicrosecondArray::from_iter(pairs.iter().map(|p| time(p.0.1)))
                    .with_timezone("UTC"),
            ),
            Arc::new(StringArray::from_iter(pairs.iter().map(|p| id(p.1.0)))),
            Arc::new(
                TimestampMicrosecondArray::from_iter(pairs.iter().map(|p| time(p.1.1)))
                    .with_timezone("UTC"),
            ),
        ],
    )
    .map_err(|err| invalid(err.to_string()))?;
    batch.to_pyarrow(py)
}

/// From all the duplicate pairs `duplicate_pairs` found (a batch of its columns), the
/// canonical copy of every article that is not one: a batch of `id` and `duplicate_of`.
#[pyfunction]
fn canonical_copies_of<'py>(
    py: Python<'py>,
    pairs: PyArrowType<RecordBatch>,
) -> PyResult<Bound<'py, PyAny>> {
    let pairs = pairs.0;
    let (a, a_time, b, b_time) = (
        strings(column(&pairs, "id")?, "id")?,
        published(column(&pairs, "published_at")?, "published_at")?,
        strings(column(&pairs, "other_id")?, "other_id")?,
        published(column(&pairs, "other_published_at")?, "other_published_at")?,
    );
    let mut verified = Vec::with_capacity(a.len());
    for row in 0..a.len() {
        if let (Some(a), Some(b)) = (&a[row], &b[row]) {
            verified.push(((key_of(a)?, a_time[row]), (key_of(b)?, b_time[row])));
        }
    }
    let copies = py.detach(|| canonical_copies(&verified));
    let id = |key: u128| Some(ArticleId::from_key(key).to_string());
    let batch = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("duplicate_of", DataType::Utf8, false),
        ])),
        vec![
            Arc::new(StringArray::from_iter(copies.iter().map(|c| id(c.0)))),
            Arc::new(StringArray::from_iter(copies.iter().map(|c| id(c.1)))),
        ],
    )
    .map_err(|err| invalid(err.to_string()))?;
    batch.to_pyarrow(py)
}

pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(band_keys, module)?)?;
    module.add_function(wrap_pyfunction!(duplicate_pairs, module)?)?;
    module.add_function(wrap_pyfunction!(canonical_copies_of, module)?)
}
