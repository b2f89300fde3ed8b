//! The static side: `www` at `/`, the widget build at `/dist/`, each file with the media
//! type a browser insists on (`application/wasm` for streaming compilation, a JavaScript type
//! for module scripts).

mod common;

use checkout_server::faults::Faults;
use common::start;

#[tokio::test]
async fn files_are_served_with_their_media_types() {
    let server = start(Faults::default()).await;
    std::fs::write(server.www().join("index.html"), "<!doctype html>hi").expect("write");
    std::fs::create_dir_all(server.www().join("demo")).expect("mkdir");
    std::fs::write(server.www().join("demo/config.json"), "{}").expect("write");
    std::fs::write(server.www().join("demo/tag.svg"), "<svg/>").expect("write");
    std::fs::write(server.dist().join("shoppable.js"), "export {}").expect("write");
    std::fs::write(server.dist().join("core_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");

    for (path, media_type) in [
        ("/", "text/html"),
        ("/index.html", "text/html"),
        ("/demo/config.json", "application/json"),
        ("/demo/tag.svg", "image/svg+xml"),
        ("/dist/shoppable.js", "text/javascript"),
        ("/dist/core_bg.wasm", "application/wasm"),
    ] {
        let reply = server.request("GET", path, &[], "").await;
        assert_eq!(reply.status, 200, "{path}");
        let content_type = reply.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with(media_type),
            "{path}: {content_type}"
        );
    }
}

#[tokio::test]
async fn the_widget_build_may_be_loaded_from_another_origin() {
    let server = start(Faults::default()).await;
    std::fs::write(server.dist().join("core_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    let reply = server
        .request(
            "GET",
            "/dist/core_bg.wasm",
            &[("Origin", "https://brand.example")],
            "",
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn a_missing_file_is_404() {
    let server = start(Faults::default()).await;
    let reply = server.request("GET", "/dist/nope.js", &[], "").await;
    assert_eq!(reply.status, 404);
}
