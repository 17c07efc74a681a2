//! The reference hello-world for the benchmark (`scripts/bench.mjs`): a heading and one button that
//! is rendered disabled and enabled by an effect once the app is mounted, so "time to interactive"
//! means the same thing here as for wan-studio's Generate button.

use leptos::prelude::*;

#[component]
fn Hello() -> impl IntoView {
    let (count, set_count) = signal(0u32);
    let (mounted, set_mounted) = signal(false);
    // Effects run after the first render, i.e. once the view is in the document.
    Effect::new(move |_| set_mounted.set(true));
    view! {
        <main>
            <h1>"Hello, Leptos"</h1>
            <button
                type="button"
                disabled=move || !mounted.get()
                on:click=move |_| set_count.update(|n| *n += 1)
            >
                "Clicked " {count} " times"
            </button>
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(Hello);
}
