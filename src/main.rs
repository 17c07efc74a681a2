//! Entry point: wait for the shown language's words (fetched by the boot script while the wasm
//! downloaded), then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        match wan_studio::state::i18n::load_boot_catalog().await {
            Some(catalog) => {
                wan_studio::state::i18n::preload(catalog);
                leptos::mount::mount_to_body(wan_studio::App);
            }
            None => wan_studio::state::i18n::show_boot_failure(),
        }
    });
}
