//! The pure core: every decision the widget makes, with no `web_sys`, `js_sys`, clock or
//! randomness in it, so all of it is tested natively with `cargo test`.

pub mod analytics;
pub mod cart;
pub mod checkout;
pub mod config;
pub mod geometry;
pub mod i18n;
pub mod json;
pub mod money;
pub mod url;
