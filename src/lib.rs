//! Shoppable: product tags over social-post images, a shared cart and checkout, as one
//! WebAssembly module behind a small JavaScript loader. This file only wires the layers:
//! `core` decides, `dom` renders, `io` talks to the browser.

pub mod core;
