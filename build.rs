//! Rebuilds the crate when a translation file changes: `rust_i18n::i18n!` reads `locales/` at
//! compile time, and Cargo does not know about those files otherwise.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
