//! The page's side of the crypto worker: starts it on the first job, holds jobs until it says it
//! is ready (messages sent earlier would be dropped while its wasm loads), matches answers to jobs
//! by id, and fails every waiting job with a clear error when the worker cannot start, so no page
//! waits forever. After a failure the next job tries a fresh worker.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, Event, MessageEvent, Worker};

use super::protocol::{Answer, Reply, Request};
use super::{CryptoError, Job};

/// The worker's loader, copied into the build beside `index.html` (see `web/crypto-loader.js`).
pub const LOADER: &str = "/crypto-loader.js";

type Done = Box<dyn FnOnce(Result<Answer, CryptoError>)>;

enum State {
    Idle,
    Starting {
        worker: Started,
        queued: Vec<String>,
    },
    Ready(Started),
}

/// A running worker with the handlers that must live as long as it does.
struct Started {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

pub struct Port {
    loader: &'static str,
    state: RefCell<State>,
    waiting: RefCell<HashMap<u32, Done>>,
    next_id: Cell<u32>,
}

impl Port {
    pub fn new(loader: &'static str) -> Port {
        Port {
            loader,
            state: RefCell::new(State::Idle),
            waiting: RefCell::new(HashMap::new()),
            next_id: Cell::new(0),
        }
    }

    pub fn run(self: &Rc<Self>, job: &Job, done: Done) {
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        let message = match serde_json::to_string(&Request {
            id,
            job: job.clone(),
        }) {
            Ok(m) => m,
            Err(e) => return done(Err(CryptoError::Unavailable(e.to_string()))),
        };
        self.waiting.borrow_mut().insert(id, done);
        let idle = matches!(*self.state.borrow(), State::Idle);
        if idle {
            match self.start() {
                Ok(worker) => {
                    *self.state.borrow_mut() = State::Starting {
                        worker,
                        queued: Vec::new(),
                    }
                }
                Err(reason) => return self.fail(reason),
            }
        }
        let mut state = self.state.borrow_mut();
        match &mut *state {
            State::Starting { queued, .. } => queued.push(message),
            State::Ready(started) => {
                if let Err(e) = started.worker.post_message(&message.into()) {
                    drop(state);
                    self.fail(describe(&e));
                }
            }
            State::Idle => {}
        }
    }

    fn start(self: &Rc<Self>) -> Result<Started, String> {
        let worker = Worker::new(self.loader).map_err(|e| describe(&e))?;
        let port: Weak<Port> = Rc::downgrade(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(port) = port.upgrade() {
                port.receive(ev.data().as_string().unwrap_or_default());
            }
        });
        let port: Weak<Port> = Rc::downgrade(self);
        // A script that cannot be fetched fires a plain `Event`; an exception in the worker an
        // `ErrorEvent` with its message.
        let on_error = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
            ev.prevent_default();
            if let Some(port) = port.upgrade() {
                let message = ev
                    .dyn_ref::<ErrorEvent>()
                    .map(ErrorEvent::message)
                    .unwrap_or_default();
                port.fail(if message.is_empty() {
                    "the worker's script could not be loaded".to_owned()
                } else {
                    message
                });
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Started {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn receive(&self, text: String) {
        match serde_json::from_str::<Reply>(&text) {
            Ok(Reply::Ready) => self.ready(),
            Ok(Reply::Failed(reason)) => self.fail(reason),
            Ok(Reply::Done { id, answer }) => {
                let done = self.waiting.borrow_mut().remove(&id);
                if let Some(done) = done {
                    done(Ok(answer));
                }
            }
            Err(e) => self.fail(format!("unreadable answer: {e}")),
        }
    }

    fn ready(&self) {
        let previous = std::mem::replace(&mut *self.state.borrow_mut(), State::Idle);
        let State::Starting { worker, queued } = previous else {
            *self.state.borrow_mut() = previous;
            return;
        };
        for message in queued {
            if let Err(e) = worker.worker.post_message(&message.into()) {
                *self.state.borrow_mut() = State::Ready(worker);
                return self.fail(describe(&e));
            }
        }
        *self.state.borrow_mut() = State::Ready(worker);
    }

    /// Stops the worker and answers every waiting job with the reason.
    fn fail(&self, reason: String) {
        let previous = std::mem::replace(&mut *self.state.borrow_mut(), State::Idle);
        match previous {
            State::Starting { worker, .. } | State::Ready(worker) => worker.worker.terminate(),
            State::Idle => {}
        }
        let waiting: Vec<Done> = self.waiting.borrow_mut().drain().map(|(_, d)| d).collect();
        for done in waiting {
            done(Err(CryptoError::Unavailable(reason.clone())));
        }
    }
}

fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}
