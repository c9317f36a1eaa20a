//! The crypto worker trunk builds beside the console (`data-type="worker"` in index.html); see
//! `byoc_web::crypto`.

fn main() {
    console_error_panic_hook::set_once();
    byoc_web::crypto::serve::serve();
}
