//! Children mounted a few tasks after their parent, so the app's first mount is several short
//! tasks instead of one long one that keeps the page from answering input (Lighthouse's Total
//! Blocking Time; issue 14). Nothing is fetched or decided later: the same children, a moment
//! later, in a fixed order.

use leptos::prelude::*;

/// Renders `children` once `after` tasks have passed (each a `setTimeout(0)` hop; the hops of
/// several `Later`s created together run in order, so a larger `after` always mounts last).
#[component]
pub fn Later(
    /// How many tasks to wait (at least 1).
    #[prop(default = 1)]
    after: u32,
    /// What to mount.
    children: ChildrenFn,
) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    leptos::task::spawn_local(async move {
        for _ in 0..after.max(1) {
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
        set_ready.set(true);
    });
    move || ready.get().then(|| children())
}
