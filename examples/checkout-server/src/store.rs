//! Orders and their idempotency keys in SQLite. One row is one order and one key, so a key
//! can never make two orders: the look-up, the decision and the insert run in one
//! `BEGIN IMMEDIATE` transaction, behind one connection mutex in this process and SQLite's
//! write lock across processes sharing the file.
//!
//! Only orders are remembered. A refused cart (409/422) leaves no trace under its key, so a
//! shopper who retries the same cart after the catalog has caught up (back in stock, price
//! restored) is judged afresh rather than handed the old refusal.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::catalog::{PricedCart, Refusal};
use crate::protocol::OrderPlaced;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS orders (
    seq             INTEGER PRIMARY KEY,
    order_id        TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    fingerprint     TEXT NOT NULL,
    currency        TEXT NOT NULL,
    subtotal        TEXT NOT NULL,
    lines           TEXT NOT NULL,
    redirect_url    TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);";

#[derive(Debug)]
pub enum StoreError {
    Sqlite(rusqlite::Error),
    Json(serde_json::Error),
    Random(getrandom::Error),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sqlite(e) => write!(f, "sqlite: {e}"),
            StoreError::Json(e) => write!(f, "stored order lines: {e}"),
            StoreError::Random(e) => write!(f, "order id: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Json(e)
    }
}

/// What became of one checkout attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Placement {
    /// A new order; answer 201 with it.
    Created(OrderPlaced),
    /// The key already made an order from this very cart; answer with that order again.
    Replayed(OrderPlaced),
    /// The key already made an order from a different cart.
    KeyReused,
    /// The catalog refused the cart; nothing was stored.
    Refused(Refusal),
}

/// An order as `GET /api/orders` lists it.
#[derive(Debug, Serialize)]
pub struct StoredOrder {
    pub order_id: String,
    pub idempotency_key: String,
    pub currency: String,
    pub subtotal: String,
    pub lines: serde_json::Value,
    pub created_at: String,
}

pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database at `path`; `:memory:` for one that lives and
    /// dies with the process.
    pub fn open(path: &str) -> Result<Store, StoreError> {
        let connection = Connection::open(path)?;
        // Another process on the same file may hold the write lock for a moment.
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave a half-written order: the open
        // transaction rolled back when it was dropped during unwinding.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes at most one order for `key`. If the key is new, `decide` re-prices the cart and
    /// the order it accepts is stored under the key; if the key is known, the earlier order
    /// is replayed when `fingerprint` matches and refused otherwise, without calling
    /// `decide` (a replay must not depend on a catalog that has changed since).
    pub fn place_order(
        &self,
        key: &str,
        fingerprint: &str,
        redirect_url: Option<&str>,
        decide: impl FnOnce() -> Result<PricedCart, Refusal>,
    ) -> Result<Placement, StoreError> {
        let mut connection = self.connection();
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let earlier: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT order_id, fingerprint, redirect_url FROM orders WHERE idempotency_key = ?1",
                params![key],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        if let Some((order_id, earlier_fingerprint, redirect_url)) = earlier {
            return Ok(if earlier_fingerprint == fingerprint {
                Placement::Replayed(OrderPlaced {
                    order_id,
                    redirect_url,
                })
            } else {
                Placement::KeyReused
            });
        }
        let cart = match decide() {
            Ok(cart) => cart,
            Err(refusal) => return Ok(Placement::Refused(refusal)),
        };
        let order_id = new_order_id()?;
        tx.execute(
            "INSERT INTO orders (order_id, idempotency_key, fingerprint, currency, subtotal, lines, redirect_url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                order_id,
                key,
                fingerprint,
                cart.currency.code(),
                cart.subtotal.to_decimal(cart.currency),
                serde_json::to_string(&cart.lines)?,
                redirect_url,
            ],
        )?;
        tx.commit()?;
        Ok(Placement::Created(OrderPlaced {
            order_id,
            redirect_url: redirect_url.map(str::to_owned),
        }))
    }

    /// Every order, oldest first.
    pub fn orders(&self) -> Result<Vec<StoredOrder>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT order_id, idempotency_key, currency, subtotal, lines, created_at
             FROM orders ORDER BY seq",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        let mut orders = Vec::new();
        for row in rows {
            let (order_id, idempotency_key, currency, subtotal, lines, created_at) = row?;
            orders.push(StoredOrder {
                order_id,
                idempotency_key,
                currency,
                subtotal,
                lines: serde_json::from_str(&lines)?,
                created_at,
            });
        }
        Ok(orders)
    }
}

/// `ord_` and 96 random bits in hex: unguessable, so an order id shown to a shopper does
/// not reveal how many orders the shop has taken.
fn new_order_id() -> Result<String, StoreError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(StoreError::Random)?;
    Ok(bytes.iter().fold(String::from("ord_"), |mut id, b| {
        id.push_str(&format!("{b:02x}"));
        id
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{PricedLine, RefusalKind};
    use shoppable::core::money::{Currency, Money};

    fn cart() -> PricedCart {
        PricedCart {
            currency: Currency::from_code("KWD").expect("KWD exists"),
            subtotal: Money(5_000),
            lines: vec![PricedLine {
                item_id: "scarf".into(),
                product_id: "scarf".into(),
                variant_id: None,
                title: "Scarf".into(),
                quantity: 1,
                unit_price: "5.000".into(),
                post_id: Some("p1".into()),
            }],
        }
    }

    fn store() -> Store {
        Store::open(":memory:").expect("in-memory database opens")
    }

    #[test]
    fn a_new_key_stores_one_order() {
        let store = store();
        let placed = store
            .place_order("k1", "f1", None, || Ok(cart()))
            .expect("stored");
        let Placement::Created(order) = placed else {
            panic!("expected a new order, got {placed:?}");
        };
        assert!(order.order_id.starts_with("ord_") && order.order_id.len() == 28);
        let orders = store.orders().expect("listed");
        assert_eq!(orders.len(), 1);
        assert_eq!(orders[0].order_id, order.order_id);
        assert_eq!(orders[0].idempotency_key, "k1");
        assert_eq!(orders[0].currency, "KWD");
        assert_eq!(orders[0].subtotal, "5.000");
        assert_eq!(orders[0].lines[0]["item_id"], "scarf");
        assert_eq!(orders[0].lines[0]["quantity"], 1);
    }

    #[test]
    fn a_known_key_with_the_same_cart_replays_without_deciding_again() {
        let store = store();
        let first = store
            .place_order("k1", "f1", Some("/thanks"), || Ok(cart()))
            .expect("stored");
        let again = store
            .place_order("k1", "f1", None, || panic!("a replay must not re-price"))
            .expect("replayed");
        let (Placement::Created(first), Placement::Replayed(again)) = (first, again) else {
            panic!("expected created then replayed");
        };
        assert_eq!(first, again, "the stored answer, redirect included");
        assert_eq!(store.orders().expect("listed").len(), 1);
    }

    #[test]
    fn a_known_key_with_another_cart_is_refused() {
        let store = store();
        store
            .place_order("k1", "f1", None, || Ok(cart()))
            .expect("stored");
        let placed = store
            .place_order("k1", "f2", None, || Ok(cart()))
            .expect("answered");
        assert_eq!(placed, Placement::KeyReused);
        assert_eq!(store.orders().expect("listed").len(), 1);
    }

    #[test]
    fn a_refused_cart_leaves_its_key_free() {
        let store = store();
        let refusal = Refusal {
            kind: RefusalKind::Conflict,
            message: "Changed.".into(),
            lines: vec![],
        };
        let placed = store
            .place_order("k1", "f1", None, || Err(refusal.clone()))
            .expect("answered");
        assert_eq!(placed, Placement::Refused(refusal));
        let placed = store
            .place_order("k1", "f1", None, || Ok(cart()))
            .expect("stored");
        assert!(matches!(placed, Placement::Created(_)), "{placed:?}");
    }

    #[test]
    fn orders_survive_reopening_a_database_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("orders.sqlite");
        let path = path.to_str().expect("temp path is UTF-8");
        let first = Store::open(path).expect("opens");
        first
            .place_order("k1", "f1", None, || Ok(cart()))
            .expect("stored");
        drop(first);
        let second = Store::open(path).expect("reopens");
        let placed = second
            .place_order("k1", "f1", None, || panic!("must replay"))
            .expect("replayed");
        assert!(matches!(placed, Placement::Replayed(_)), "{placed:?}");
        assert_eq!(second.orders().expect("listed").len(), 1);
    }
}
