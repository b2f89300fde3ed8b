//! Writes the language packs, `<dir>/<language>.json` for every UI language besides English,
//! from the tables in `src/core/i18n.rs`. `make build` runs it into `dist/i18n/`; the loader
//! fetches a shop's pack alongside the wasm (the wasm itself carries English only).
#![allow(clippy::disallowed_macros)] // Not shipped: format! is fine here.

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dist/i18n".to_owned());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("lang_packs: cannot create {dir}: {e}");
        std::process::exit(1);
    }
    for language in shoppable::core::i18n::PACKS {
        let text = shoppable::core::i18n::pack(language).expect("every pack has a table");
        let path = format!("{dir}/{language}.json");
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("lang_packs: cannot write {path}: {e}");
            std::process::exit(1);
        }
    }
}
