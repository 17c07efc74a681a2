//! Entry point: wait for the shown language's words (fetched by the boot script while the wasm
//! downloaded), then mount the app in place of the pre-drawn first screen.

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let catalog = wan_studio::state::i18n::load_boot_catalog().await;
        // The pre-drawn first screen (index.html) stays until the browser has shown it (on a fast
        // load the wasm could otherwise replace it unseen, and the page's largest paint would wait
        // for the app), then goes in the same task as the app comes: no frame shows both, or
        // neither.
        wan_studio::state::i18n::first_screen_shown().await;
        // A task of its own for the mount: the wasm's instantiation is long enough alone.
        gloo_timers::future::TimeoutFuture::new(0).await;
        wan_studio::state::i18n::remove_first_screen();
        match catalog {
            Some(catalog) => {
                wan_studio::state::i18n::preload(catalog);
                leptos::mount::mount_to_body(wan_studio::App);
            }
            None => wan_studio::state::i18n::show_boot_failure(),
        }
    });
}
