//! The model table: every Wan 2.6, Wan 2.7 and HappyHorse model and mode as data. It lives in its
//! own crate (`crates/wan-models`) so that the DMXAPI simulator checks requests against the same
//! table; the app reads it from here.

pub use wan_models::*;
