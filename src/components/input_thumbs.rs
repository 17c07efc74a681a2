//! The pictures from this computer a take was made from, small, on its card: what a history of
//! image-to-video takes is told apart by.

use leptos::prelude::*;

use super::text::Text;
use crate::domain::message::Msg;
use crate::state::images::use_kept_picture;
use crate::state::{use_app_state, use_i18n};

/// The take's own pictures, in the order sent (nothing when it sent none).
#[component]
pub fn InputThumbs(
    /// Each picture's input (wire name) and hash, in order.
    pictures: Vec<(&'static str, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    (!pictures.is_empty()).then(|| {
        let items = pictures
            .into_iter()
            .enumerate()
            .map(|(i, (slot, hash))| view! { <li><InputThumb input=slot n=i + 1 hash=hash /></li> })
            .collect_view();
        view! { <ul class="take-inputs" aria-label=i18n.t("card.inputs")>{items}</ul> }
    })
}

/// One picture: its thumbnail, or a word that this browser no longer has it.
#[component]
fn InputThumb(
    /// The input's wire name.
    input: &'static str,
    /// Its place among the take's pictures, from 1.
    n: usize,
    /// Its content hash.
    hash: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let row = use_kept_picture(state.ledger.db(), hash);
    let what = Msg::new(&format!("form.media.{input}"));
    move || match row.get() {
        None => None,
        Some(Some(p)) => {
            let alt = Msg::new("card.input_alt")
                .with("what", what.clone())
                .with("n", n.to_string())
                .with("size", format!("{}×{}", p.width, p.height));
            Some(view! { <img src=p.url alt=move || i18n.render(&alt) /> }.into_any())
        }
        Some(None) => {
            let gone = Msg::new("card.input_missing")
                .with("what", what.clone())
                .with("n", n.to_string());
            Some(view! { <span class="hint"><Text msg=gone /></span> }.into_any())
        }
    }
}
