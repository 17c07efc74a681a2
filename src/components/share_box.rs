//! "Share these settings" and the team's "Presets" menu.

use leptos::prelude::*;

use super::text::Text;
use crate::domain::card::mode_name;
use crate::domain::message::Msg;
use crate::domain::models::Mode;
use crate::domain::site_config::SiteConfig;
use crate::state::browser::copy_text;
use crate::state::site::share_url;
use crate::state::toast::use_toasts;
use crate::state::{use_app_state, use_i18n};

/// The presets menu (when the site has presets) and the share button.
#[component]
pub fn ShareBox() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let site = use_context::<RwSignal<SiteConfig>>();
    let toasts = use_toasts();
    let presets = Memo::new(move |_| {
        site.map(|s| s.with(|c| c.presets.clone()))
            .unwrap_or_default()
    });
    let (link, set_link) = signal(None::<Result<String, Msg>>);
    let share = move |_| {
        let result = state.form.with_untracked(share_url);
        if let Ok(url) = &result {
            copy_text(url);
        }
        set_link.set(Some(result));
    };
    view! {
        <div class="share">
            <Show when=move || presets.with(|p| !p.is_empty())>
                <div class="field">
                    <label for="presets">{i18n.t("share.presets")}</label>
                    <select
                        id="presets"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(p) = v.parse::<usize>().ok().and_then(|i| presets.with_untracked(|p| p.get(i).cloned())) {
                                toasts.replace_draft(p.settings, Msg::new("toast.preset_loaded").with("title", p.title));
                            }
                        }
                    >
                        <option value="" selected>{i18n.t("share.choose_preset")}</option>
                        // One group per model and mode, in the order the presets name them.
                        {move || {
                            let all = presets.get();
                            let mut modes: Vec<Mode> = Vec::new();
                            for p in &all {
                                if !modes.contains(&p.settings.mode) {
                                    modes.push(p.settings.mode);
                                }
                            }
                            modes
                                .into_iter()
                                .map(|m| {
                                    let options = all
                                        .iter()
                                        .enumerate()
                                        .filter(|(_, p)| p.settings.mode == m)
                                        .map(|(i, p)| view! { <option value=i.to_string()>{p.title.clone()}</option> })
                                        .collect_view();
                                    view! { <optgroup label=move || i18n.render(&mode_name(m))>{options}</optgroup> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            </Show>
            <button type="button" on:click=share>{i18n.t("share.button")}</button>
            {move || link.get().map(|r| match r {
                Ok(url) => view! {
                    <div class="field">
                        <label for="share-link">{i18n.t("share.link")}</label>
                        <input id="share-link" type="text" readonly prop:value=url />
                        <p class="hint" role="status">{i18n.t("share.copied")}</p>
                    </div>
                }.into_any(),
                Err(why) => view! { <p class="field-error" role="alert"><Text msg=why /></p> }.into_any(),
            })}
        </div>
    }
}
