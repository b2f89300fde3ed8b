//! `checkout-server`: the command line and the wiring. Reads the flags, loads the catalogs,
//! opens the database, binds, and prints one `listening on http://ADDR` line for whoever
//! started it (tests wait for that line to learn the port).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use checkout_server::catalog::Catalogs;
use checkout_server::faults::Faults;
use checkout_server::routes::{self, App, StaticDirs};
use checkout_server::store::Store;
use shoppable::core::url::UrlRef;

const USAGE: &str = "\
Usage: checkout-server [options]

  --addr HOST:PORT     address to listen on (default 127.0.0.1:$PORT, or :8080); port 0 picks one
  --www DIR            served at / (default www)
  --dist DIR           served at /dist/ (default dist)
  --catalog FILE       a widget config to price from, one per currency; repeatable
                       (default the demo's www/demo/config.{en,ar,tr,id}.json)
  --db PATH            SQLite file for orders (default :memory:)
  --redirect-url URL   sent as redirect_url with every new order (http(s) or relative)
  --fail-rate F        share of checkout requests answered 503, 0..=1 (default 0)
  --delay-ms N         wait before answering each checkout request (default 0)
  --help               this text";

#[derive(Debug, PartialEq)]
struct Options {
    addr: String,
    dirs: StaticDirs,
    catalogs: Vec<PathBuf>,
    db: String,
    redirect_url: Option<String>,
    faults: Faults,
}

enum Command {
    Serve(Options),
    Help,
}

/// Parses the arguments after the program name; `port` is `$PORT`. Flags take their value
/// as the next argument or after `=`.
fn parse_args(
    args: impl IntoIterator<Item = String>,
    port: Option<String>,
) -> Result<Command, String> {
    let port = port
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "8080".into());
    let mut options = Options {
        addr: format!("127.0.0.1:{port}"),
        dirs: StaticDirs {
            www: "www".into(),
            dist: "dist".into(),
        },
        catalogs: Vec::new(),
        db: ":memory:".into(),
        redirect_url: None,
        faults: Faults::default(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.into())),
            _ => (arg, None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Command::Help);
        }
        let value = inline
            .or_else(|| args.next())
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--www" => options.dirs.www = value.into(),
            "--dist" => options.dirs.dist = value.into(),
            "--catalog" => options.catalogs.push(value.into()),
            "--db" => options.db = value,
            "--redirect-url" => {
                UrlRef::parse(&value).map_err(|reason| format!("--redirect-url: {reason}"))?;
                options.redirect_url = Some(value);
            }
            "--fail-rate" => {
                options.faults.fail_rate = value
                    .parse::<f64>()
                    .ok()
                    .filter(|f| (0.0..=1.0).contains(f))
                    .ok_or_else(|| format!("--fail-rate: {value:?} is not a number from 0 to 1"))?;
            }
            "--delay-ms" => {
                let ms = value
                    .parse::<u64>()
                    .map_err(|_| format!("--delay-ms: {value:?} is not a whole number"))?;
                options.faults.delay = Duration::from_millis(ms);
            }
            _ => return Err(format!("unknown option {flag:?}")),
        }
    }
    if options.catalogs.is_empty() {
        options.catalogs = vec![
            "www/demo/config.en.json".into(),
            "www/demo/config.ar.json".into(),
            "www/demo/config.tr.json".into(),
            "www/demo/config.id.json".into(),
        ];
    }
    Ok(Command::Serve(options))
}

#[tokio::main]
async fn main() -> ExitCode {
    let command = parse_args(std::env::args().skip(1), std::env::var("PORT").ok());
    let result = match command {
        Ok(Command::Help) => {
            println!("{USAGE}");
            Ok(())
        }
        Ok(Command::Serve(options)) => serve(options).await,
        Err(message) => {
            eprintln!("checkout-server: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("checkout-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let catalogs = Catalogs::load(&options.catalogs)?;
    let store = Store::open(&options.db).map_err(|e| format!("--db {}: {e}", options.db))?;
    for dir in [&options.dirs.www, &options.dirs.dist] {
        if !dir.is_dir() {
            eprintln!(
                "checkout-server: warning: {} is not a directory; its files will be 404",
                dir.display()
            );
        }
    }
    eprintln!(
        "checkout-server: pricing in {}",
        catalogs.currencies().collect::<Vec<_>>().join(", ")
    );
    let app = Arc::new(App {
        catalogs,
        store,
        faults: options.faults,
        redirect_url: options.redirect_url,
    });
    let router = routes::router(app, &options.dirs);
    let listener = tokio::net::TcpListener::bind(&options.addr)
        .await
        .map_err(|e| format!("--addr {}: {e}", options.addr))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("--addr {}: {e}", options.addr))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}")
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    drop(stdout);
    axum::serve(listener, router)
        .await
        .map_err(|e| format!("serving: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn options(list: &[&str], port: Option<&str>) -> Options {
        match parse_args(args(list), port.map(str::to_owned)) {
            Ok(Command::Serve(options)) => options,
            Ok(Command::Help) => panic!("expected options, got --help"),
            Err(e) => panic!("expected options, got {e}"),
        }
    }

    #[test]
    fn defaults_serve_the_demo_on_port_8080() {
        let o = options(&[], None);
        assert_eq!(o.addr, "127.0.0.1:8080");
        assert_eq!(o.dirs.www, PathBuf::from("www"));
        assert_eq!(o.dirs.dist, PathBuf::from("dist"));
        assert_eq!(o.db, ":memory:");
        assert_eq!(
            o.catalogs,
            [
                PathBuf::from("www/demo/config.en.json"),
                PathBuf::from("www/demo/config.ar.json"),
                PathBuf::from("www/demo/config.tr.json"),
                PathBuf::from("www/demo/config.id.json"),
            ]
        );
        assert_eq!(o.faults, Faults::default());
        assert_eq!(o.redirect_url, None);
    }

    #[test]
    fn port_comes_from_the_environment_unless_addr_is_given() {
        assert_eq!(options(&[], Some("9000")).addr, "127.0.0.1:9000");
        assert_eq!(options(&[], Some("")).addr, "127.0.0.1:8080");
        assert_eq!(
            options(&["--addr", "0.0.0.0:0"], Some("9000")).addr,
            "0.0.0.0:0"
        );
    }

    #[test]
    fn every_flag_is_read_with_a_space_or_an_equals_sign() {
        let o = options(
            &[
                "--addr=127.0.0.1:0",
                "--www",
                "site",
                "--dist=build",
                "--catalog",
                "a.json",
                "--catalog=b.json",
                "--db",
                "orders.sqlite",
                "--redirect-url",
                "https://shop.example/thanks",
                "--fail-rate",
                "0.25",
                "--delay-ms=1500",
            ],
            None,
        );
        assert_eq!(o.addr, "127.0.0.1:0");
        assert_eq!(o.dirs.www, PathBuf::from("site"));
        assert_eq!(o.dirs.dist, PathBuf::from("build"));
        assert_eq!(
            o.catalogs,
            [PathBuf::from("a.json"), PathBuf::from("b.json")]
        );
        assert_eq!(o.db, "orders.sqlite");
        assert_eq!(
            o.redirect_url.as_deref(),
            Some("https://shop.example/thanks")
        );
        assert_eq!(o.faults.fail_rate, 0.25);
        assert_eq!(o.faults.delay, Duration::from_millis(1500));
    }

    #[test]
    fn bad_values_are_errors_that_name_the_flag() {
        for (list, expected) in [
            (
                &["--fail-rate", "2"][..],
                "--fail-rate: \"2\" is not a number from 0 to 1",
            ),
            (
                &["--fail-rate", "NaN"][..],
                "--fail-rate: \"NaN\" is not a number from 0 to 1",
            ),
            (
                &["--delay-ms", "-1"][..],
                "--delay-ms: \"-1\" is not a whole number",
            ),
            (&["--db"][..], "--db needs a value"),
            (&["--port", "1"][..], "unknown option \"--port\""),
        ] {
            match parse_args(args(list), None) {
                Err(e) => assert_eq!(e, expected),
                Ok(_) => panic!("{list:?} should be refused"),
            }
        }
        let Err(e) = parse_args(args(&["--redirect-url", "javascript:alert(1)"]), None) else {
            panic!("a javascript: redirect must be refused");
        };
        assert!(e.starts_with("--redirect-url: "), "{e}");
    }

    #[test]
    fn help_is_a_command() {
        assert!(matches!(
            parse_args(args(&["--help"]), None),
            Ok(Command::Help)
        ));
    }
}
