// Starts the console's crypto worker: the no-modules wasm-bindgen build trunk writes as
// byoc-crypto.js and byoc-crypto_bg.wasm (see web/src/crypto). A wasm that cannot be fetched or
// started is reported to the page, which shows the error instead of waiting for an answer.
importScripts("./byoc-crypto.js");
wasm_bindgen({ module_or_path: "./byoc-crypto_bg.wasm" }).catch(function (e) {
  postMessage(JSON.stringify({ Failed: String(e) }));
});
