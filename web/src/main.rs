//! Entry point trunk builds: read `config.json`, then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        byoc_web::api::init().await;
        leptos::mount::mount_to_body(byoc_web::App);
    });
}
