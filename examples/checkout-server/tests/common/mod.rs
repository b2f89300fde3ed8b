//! Shared by the integration tests: a server on 127.0.0.1:0 in this process, built from a
//! small inline catalog, and a minimal HTTP/1.1 client over a raw `TcpStream` (one request
//! per connection, `Connection: close`), which is all these tests need.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use checkout_server::catalog::Catalogs;
use checkout_server::faults::Faults;
use checkout_server::routes::{self, App, StaticDirs};
use checkout_server::store::Store;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const CATALOG: &str = r#"{
  "version": 1,
  "shop": { "name": "Test shop", "currency": "KWD", "locale": "ar-KW" },
  "checkout": { "endpoint": "/api/checkout" },
  "products": [
    { "id": "abaya", "title": "Abaya", "price": "25.500", "availability": "in stock",
      "variants": [
        { "id": "abaya-52", "title": "52", "price": "25.500", "availability": "in stock" },
        { "id": "abaya-54", "title": "54", "price": "25.500", "availability": "out of stock" } ] },
    { "id": "scarf", "title": "Scarf", "price": "5.000", "availability": "in stock" }
  ],
  "posts": [
    { "id": "p1", "media": [ { "image": "/img/p1.jpg", "alt": "",
      "tags": [ { "product": "abaya", "x": 0.5, "y": 0.5 } ] } ] }
  ]
}"#;

pub struct TestServer {
    pub addr: SocketAddr,
    /// Holds the catalog file and static directories until the test ends.
    pub dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub async fn start(faults: Faults) -> TestServer {
    start_with(faults, None).await
}

pub async fn start_with(faults: Faults, redirect_url: Option<&str>) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let catalog = dir.path().join("catalog.json");
    std::fs::write(&catalog, CATALOG).expect("catalog written");
    let dirs = StaticDirs {
        www: dir.path().join("www"),
        dist: dir.path().join("dist"),
    };
    std::fs::create_dir_all(&dirs.www).expect("www dir");
    std::fs::create_dir_all(&dirs.dist).expect("dist dir");
    let app = App {
        catalogs: Catalogs::load(&[catalog]).expect("catalog loads"),
        store: Store::open(":memory:").expect("database opens"),
        faults,
        redirect_url: redirect_url.map(str::to_owned),
    };
    let router = routes::router(Arc::new(app), &dirs);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds a free port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("server runs");
    });
    TestServer { addr, dir }
}

impl TestServer {
    pub fn www(&self) -> PathBuf {
        self.dir.path().join("www")
    }

    pub fn dist(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let mut stream = TcpStream::connect(self.addr).await.expect("connects");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .await
            .expect("request head sent");
        stream
            .write_all(body.as_bytes())
            .await
            .expect("request body sent");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("response read");
        parse_reply(&raw)
    }

    /// `POST /api/checkout` with JSON and, when given, an `Idempotency-Key`.
    pub async fn checkout(&self, key: Option<&str>, body: &Value) -> Reply {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        self.request("POST", "/api/checkout", &headers, &body.to_string())
            .await
    }

    pub async fn orders(&self) -> Vec<Value> {
        let reply = self.request("GET", "/api/orders", &[], "").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        match reply.json() {
            Value::Array(orders) => orders,
            other => panic!("orders are not an array: {other}"),
        }
    }
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body: String::from_utf8(body).expect("body is UTF-8"),
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&rest[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("chunk size is hex");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
}

/// A valid cart for [`CATALOG`]: two abaya-52 and one scarf, 56.000 KWD.
pub fn cart() -> Value {
    json!({
        "currency": "KWD",
        "locale": "ar-KW",
        "subtotal": "56.000",
        "lines": [
            { "item_id": "abaya-52", "product_id": "abaya", "variant_id": "abaya-52",
              "quantity": 2, "unit_price": "25.500", "post_id": "p1" },
            { "item_id": "scarf", "product_id": "scarf", "variant_id": null,
              "quantity": 1, "unit_price": "5.000", "post_id": "p1" }
        ],
        "page": "https://brand.example/lookbook"
    })
}
