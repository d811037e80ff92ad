//! Front matter values as the block writes them. YAML types plain scalars (`No` is false in
//! YAML 1.1, `1.10` the number 1.1, `010` and `0x1F` the numbers 10 and 31), which is right
//! for a setting but wrong for a title or a tag: a field lede maps to text must keep the text.
//! The block is read a second time, guided by the typed values, asking for every scalar as a
//! string — which serde-saphyr answers with the scalar as written.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The values of `typed` (read from the YAML `block` with `options`) with every scalar as the
/// text the block writes it with; `None` when no value has a typed scalar (nothing to keep) or
/// the second reading fails.
pub(crate) fn as_written(
    block: &str,
    typed: &Map<String, Value>,
    options: serde_saphyr::Options,
) -> Option<Map<String, Value>> {
    if !typed.values().any(has_typed_scalar) {
        return None;
    }
    let guide = Value::Object(typed.clone());
    let written = serde_saphyr::with_deserializer_from_str_with_options(block, options, |de| {
        Guided(&guide).deserialize(de)
    });
    match written {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn has_typed_scalar(value: &Value) -> bool {
    match value {
        Value::Bool(_) | Value::Number(_) => true,
        Value::Array(items) => items.iter().any(has_typed_scalar),
        Value::Object(map) => map.values().any(has_typed_scalar),
        Value::String(_) | Value::Null => false,
    }
}

/// Reads a value shaped like the guide, scalars as text.
struct Guided<'a>(&'a Value);

impl<'de> DeserializeSeed<'de> for Guided<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        match self.0 {
            Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                de.deserialize_string(Text).map(Value::String)
            }
            Value::Array(items) => de.deserialize_seq(Items(items)),
            Value::Object(map) => de.deserialize_map(Fields(map)),
            Value::Null => de.deserialize_ignored_any(IgnoredAny).map(|_| Value::Null),
        }
    }
}

struct Text;

impl Visitor<'_> for Text {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a scalar")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_owned())
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<String, E> {
        Ok(text)
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }
}

struct Items<'a>(&'a [Value]);

impl<'de> Visitor<'de> for Items<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(self.0.len());
        while let Some(item) =
            seq.next_element_seed(Guided(self.0.get(items.len()).unwrap_or(&Value::Null)))?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
}

struct Fields<'a>(&'a Map<String, Value>);

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let guide = self.0.get(&key).unwrap_or(&Value::Null);
            let value = map.next_value_seed(Guided(guide))?;
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}
