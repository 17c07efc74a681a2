//! A form field's validation message, and the form's errors by field (shared by the form and its
//! media inputs).

use leptos::prelude::*;

use super::text::Text;
use crate::domain::form::{Field, FieldErrors};
use crate::domain::message::Msg;

/// The errors shown next to the fields (see `domain::form::shown_errors`).
pub type Errors = Memo<FieldErrors>;

/// One field's error, for its `FieldError` and `aria-invalid`.
pub fn error_of(errors: Errors, field: Field) -> Signal<Option<Msg>> {
    Signal::derive(move || errors.with(|e| e.get(field).cloned()))
}

/// A field's validation message, if any.
#[component]
pub fn FieldError(
    /// Element id (for aria-describedby).
    #[prop(into)]
    id: String,
    /// The message.
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    view! {
        <div id=id>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert"><Text msg=e /></p> })}
        </div>
    }
}
