//! The only code that knows HTTP and JSON: wire types exactly as sent and received, the
//! decoding of the relay's envelope, the error type, and the gloo-net client.

pub mod client;
pub mod error;
pub mod wire;

pub use client::{Connection, Submitted};
pub use error::{ApiError, Phase};
pub use wire::{decode_reply, Decoded};
