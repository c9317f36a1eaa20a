//! Certificate inspection and licence verification (RSA, ECDSA, Ed25519, X.509, the root store)
//! run in a Web Worker: its own wasm (`byoc-crypto`, built by trunk beside the console), started
//! the first time a page needs it. The console's main bundle carries none of the crypto, and a
//! large chain never blocks the page. The answers are `core`'s own ([`local::answer`]).
//!
//! Pages ask through [`Crypto`], taken from context: the app provides the worker; component tests
//! provide [`Crypto::in_place`] with [`local::answer`], which computes on the page.

pub mod local;
pub mod protocol;
pub mod serve;
mod worker;

use std::rc::Rc;

use leptos::prelude::*;

use protocol::{Answer, Job};

/// Why a job got no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The worker's script or wasm could not be fetched or started (offline, a deployment that
    /// replaced the files, a browser without workers).
    #[error("the checker could not be started: {0}")]
    Unavailable(String),
}

impl CryptoError {
    /// The worker answered a job of the other kind (page and worker from different builds).
    pub fn wrong_answer() -> CryptoError {
        CryptoError::Unavailable("the checker answered another question".to_owned())
    }
}

/// Where jobs are computed.
#[derive(Clone)]
enum Backend {
    Worker(Rc<worker::Port>),
    InPlace(fn(&Job) -> Answer),
}

/// The console's way to run a [`Job`]; `Copy`, for closures and context.
#[derive(Clone, Copy)]
pub struct Crypto {
    backend: StoredValue<Backend, LocalStorage>,
}

impl Crypto {
    /// Jobs go to the crypto worker, started on the first job.
    pub fn worker() -> Crypto {
        Crypto {
            backend: StoredValue::new_local(Backend::Worker(Rc::new(worker::Port::new(
                worker::LOADER,
            )))),
        }
    }

    /// Jobs computed on the page by `answer` (component tests pass [`local::answer`]).
    pub fn in_place(answer: fn(&Job) -> Answer) -> Crypto {
        Crypto {
            backend: StoredValue::new_local(Backend::InPlace(answer)),
        }
    }

    /// A worker started from `loader` instead of the built one (tests of a failed start).
    pub fn worker_at(loader: &'static str) -> Crypto {
        Crypto {
            backend: StoredValue::new_local(Backend::Worker(Rc::new(worker::Port::new(loader)))),
        }
    }

    pub fn provide(self) {
        provide_context(self);
    }

    /// Runs `job`; `done` gets the answer (later, from the worker).
    pub fn run(self, job: Job, done: impl FnOnce(Result<Answer, CryptoError>) + 'static) {
        match self.backend.get_value() {
            Backend::Worker(port) => port.run(&job, Box::new(done)),
            Backend::InPlace(answer) => done(Ok(answer(&job))),
        }
    }

    /// Runs `job` for a value that changes as the user types: `done` is called only if no later
    /// job was started through the same `turn`, so a slow answer never overwrites a newer one.
    pub fn run_latest(
        self,
        turn: StoredValue<u64>,
        job: Job,
        done: impl FnOnce(Result<Answer, CryptoError>) + 'static,
    ) {
        let mine = turn.get_value().wrapping_add(1);
        turn.set_value(mine);
        self.run(job, move |answer| {
            if turn.try_get_value() == Some(mine) {
                done(answer);
            }
        });
    }
}

/// The [`Crypto`] in context; the worker when none was provided.
pub fn use_crypto() -> Crypto {
    use_context::<Crypto>().unwrap_or_else(|| {
        let crypto = Crypto::worker();
        provide_context(crypto);
        crypto
    })
}
