//! The crypto worker's body (the `byoc-crypto` binary): answers each [`Request`] with
//! [`local::answer`] and says when it is ready.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::local;
use super::protocol::{Reply, Request};

pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let text = ev.data().as_string().unwrap_or_default();
        let reply = match serde_json::from_str::<Request>(&text) {
            Ok(request) => Reply::Done {
                id: request.id,
                answer: local::answer(&request.job),
            },
            // Only the console posts here; a message it cannot read means the page and the
            // worker come from different builds.
            Err(e) => Reply::Failed(format!("the page and the checker do not match: {e}")),
        };
        post(&reply_scope, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    if let Ok(text) = serde_json::to_string(reply) {
        let _ = scope.post_message(&text.into());
    }
}
