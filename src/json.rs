//! JSON text in and out, the one codec every layer uses.
//!
//! In the page the browser's own `JSON` parses and prints, and serde-wasm-bindgen maps between its
//! values and our types: serde_json's parser and printer are not in the wasm, whose every byte each
//! visitor pays for (issue 14). Natively (the tests, the tools) serde_json does the same job. Both
//! read the same text (RFC 8259) and print the same compact form; the browser tests check that the
//! two agree on what we store and send.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Longest error text kept: a parser's message may quote the text it read.
const MAX_ERROR: usize = 200;

/// Why a text could not be read, or a value not written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

impl Error {
    fn new(text: impl Into<String>) -> Self {
        let text: String = text.into();
        Error(text.chars().take(MAX_ERROR).collect())
    }
}

/// One item of a JSON text kept undecoded (each record of a file is decoded on its own, so one
/// bad record never costs the others).
#[derive(Debug)]
pub struct Raw(imp::RawInner);

impl Raw {
    /// Decodes the item.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        imp::decode(&self.0)
    }

    /// The item as compact JSON text.
    pub fn text(&self) -> String {
        imp::text(&self.0)
    }

    /// True when the item is a JSON object (`{…}`: not an array, not null).
    pub fn is_object(&self) -> bool {
        imp::is_object(&self.0)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        imp::raw(d).map(Raw)
    }
}

/// Reads a value from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    imp::from_str(text)
}

/// Writes a value as compact JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    imp::to_string(value, false)
}

/// Writes a value as JSON text indented by two spaces (files people read, e.g. the history export).
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    imp::to_string(value, true)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Error;
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Serialize};
    use serde_json::value::RawValue;

    pub type RawInner = Box<RawValue>;

    pub fn raw<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RawInner, D::Error> {
        Box::<RawValue>::deserialize(d)
    }

    pub fn decode<T: DeserializeOwned>(raw: &RawInner) -> Result<T, Error> {
        from_str(raw.get())
    }

    pub fn text(raw: &RawInner) -> String {
        raw.get().to_string()
    }

    pub fn is_object(raw: &RawInner) -> bool {
        raw.get().starts_with('{')
    }

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
        serde_json::from_str(text).map_err(|e| Error::new(e.to_string()))
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, Error> {
        if pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        }
        .map_err(|e| Error::new(e.to_string()))
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::Error;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use wasm_bindgen::{JsCast, JsValue};

    pub type RawInner = JsValue;

    pub fn raw<'de, D: serde::Deserializer<'de>>(d: D) -> Result<RawInner, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d)
    }

    pub fn decode<T: DeserializeOwned>(raw: &RawInner) -> Result<T, Error> {
        serde_wasm_bindgen::from_value(raw.clone()).map_err(|e| Error::new(e.to_string()))
    }

    pub fn text(raw: &RawInner) -> String {
        print(raw, false)
    }

    /// The browser's `JSON.stringify`, indented by two spaces when `pretty` ("" if it printed
    /// nothing).
    fn print(value: &JsValue, pretty: bool) -> String {
        let printed = if pretty {
            js_sys::JSON::stringify_with_replacer_and_space(
                value,
                &JsValue::NULL,
                &JsValue::from(2),
            )
        } else {
            js_sys::JSON::stringify(value)
        };
        printed
            .ok()
            .and_then(|s| JsValue::from(s).as_string())
            .unwrap_or_default()
    }

    pub fn is_object(raw: &RawInner) -> bool {
        raw.is_object() && !js_sys::Array::is_array(raw)
    }

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
        let value = js_sys::JSON::parse(text).map_err(|e| {
            Error::new(
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "not valid JSON".into()),
            )
        })?;
        decode(&value)
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, Error> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = value
            .serialize(&serializer)
            .map_err(|e| Error::new(e.to_string()))?;
        // JSON text is never empty: empty means the browser found nothing to print.
        Some(print(&value, pretty))
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::new("not representable as JSON"))
    }
}
