//! Re-reading what changes on the server while a page shows it: deployments move on while the
//! customer's toolkit works, and the page follows without a reload.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::on_cleanup;

/// Runs `tick` at once, then again each time the delay it answers (in milliseconds) has passed
/// after it finished, until it answers `None` or the component that called `poll` is unmounted.
/// A request still under way at unmount finishes, but the loop ends there: `tick` must write
/// only with `try_set` (the page's signals are gone by then).
pub fn poll<F, Fut>(tick: F)
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Option<u32>> + 'static,
{
    let alive = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&alive);
    on_cleanup(move || flag.store(false, Ordering::Relaxed));
    leptos::task::spawn_local(async move {
        while alive.load(Ordering::Relaxed) {
            let Some(delay) = tick().await else { break };
            if !alive.load(Ordering::Relaxed) {
                break;
            }
            sleep(delay).await;
        }
    });
}

/// Waits `ms` milliseconds (the browser's timer; no thread is blocked).
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let delay = i32::try_from(ms).unwrap_or(i32::MAX);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
