//! The reference checkout server for Shoppable (SPEC §6), as a library so the binary and the
//! integration tests build the very same router.
//!
//! It is the authority on price: every line is re-priced from the server's own catalogs (the
//! widget's config files, parsed by the widget's own core), and a cart whose prices, stock or
//! quantities the catalog does not agree with is refused line by line. An `Idempotency-Key`
//! makes at most one order per cart, however often and however concurrently it is sent.
//!
//! - [`protocol`]: the JSON on the wire, requests in and answers out.
//! - [`catalog`]: catalogs by currency and the re-pricing rules, as pure functions.
//! - [`store`]: orders and idempotency keys in SQLite.
//! - [`faults`]: injected failures and delays for fault tests.
//! - [`routes`]: the axum router that wires them to HTTP.

pub mod catalog;
pub mod faults;
pub mod protocol;
pub mod routes;
pub mod store;
