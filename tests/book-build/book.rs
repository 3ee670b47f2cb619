//! Builds the book, math included, with nothing to install:
//!
//! ```sh
//! cargo run -p book                       # builds into book/ and prints the first page's file:// address
//! cargo run -p book -- serve --port 3000  # and serves it on 127.0.0.1, rebuilding on change
//! ```
//!
//! mdBook and the KaTeX preprocessor run in this process, as libraries.
//! The server is a few lines of the standard library: it serves `book/`,
//! rebuilds when a file under `src/` or `theme/` or `book.toml` changes,
//! and a small script it adds to each page it serves reloads the page
//! after a rebuild.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mdbook_driver::MDBook;
use mdbook_katex::preprocess::KatexProcessor;

const USAGE: &str = "\
usage: cargo run -p book [-- serve [--port N]]

  (no command)   build the book into book/ and print the address of its first page
  serve          build, then serve the book on http://127.0.0.1:PORT/ and rebuild
                 it when src/, theme/ or book.toml change (the page reloads itself)
  --port N       the port to serve on (default 3000; 0 picks a free one)
  -h, --help     print this and exit";

/// The folder of book.toml.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the book's folder exists")
}

/// Builds the book into `<root>/book`, with the math typeset in-process.
fn build(root: &Path) -> Result<PathBuf, String> {
    let mut book = MDBook::load(root).map_err(|e| format!("cannot load the book: {e:#}"))?;
    // The same preprocessor as `mdbook-katex`, run in this process.
    book.with_preprocessor(KatexProcessor);
    book.build()
        .map_err(|e| format!("the book does not build: {e:#}"))?;
    Ok(book.build_dir_for("html"))
}

/// `file://` and an absolute path, with the bytes that a URL cannot hold
/// as they are percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

enum Command {
    Build,
    Serve { port: u16 },
    Help,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut serve = false;
    let mut port = 3000;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "serve" => serve = true,
            "build" => {}
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port (0 to 65535)"))?;
            }
            _ => match arg.strip_prefix("--port=") {
                Some(value) => {
                    port = value
                        .parse()
                        .map_err(|_| format!("--port: `{value}` is not a port (0 to 65535)"))?
                }
                None => return Err(format!("unexpected argument `{arg}`")),
            },
        }
    }
    Ok(if serve {
        Command::Serve { port }
    } else {
        Command::Build
    })
}

fn main() {
    // mdBook's warnings and errors, on stderr.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_writer(std::io::stderr)
        .init();
    let command = match parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let root = root();
    let result = match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Build => build(&root).map(|dir| {
            println!("{}", file_url(&dir.join("index.html")));
        }),
        Command::Serve { port } => build(&root).and_then(|dir| serve(&root, &dir, port)),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// The files whose change rebuilds the book, with their modification
/// times and sizes, in a fixed order.
fn sources(root: &Path) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Option<SystemTime>, u64)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                walk(&path, out);
            } else {
                out.push((path, meta.modified().ok(), meta.len()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join("src"), &mut out);
    walk(&root.join("theme"), &mut out);
    if let Ok(meta) = std::fs::metadata(root.join("book.toml")) {
        out.push((root.join("book.toml"), meta.modified().ok(), meta.len()));
    }
    out.sort();
    out
}

/// Reloads the page once the book has been rebuilt: added to each page
/// that the server sends, never to the files in `book/`.
const RELOAD: &str = "<script>(function () {
  var seen = null;
  setInterval(function () {
    fetch('/__book/version').then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) location.reload();
      seen = v;
    }).catch(function () {});
  }, 1000);
})();</script>";

fn serve(root: &Path, dir: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("serving {} on http://127.0.0.1:{port}/", dir.display());
    println!("(rebuilds when src/, theme/ or book.toml change; Ctrl-C stops)");

    let version = Arc::new(AtomicU64::new(0));
    {
        let (root, version) = (root.to_path_buf(), version.clone());
        std::thread::spawn(move || {
            let mut seen = sources(&root);
            loop {
                std::thread::sleep(Duration::from_millis(500));
                let now = sources(&root);
                if now == seen {
                    continue;
                }
                seen = now;
                match build(&root) {
                    Ok(_) => {
                        version.fetch_add(1, Ordering::SeqCst);
                        println!("rebuilt the book");
                    }
                    Err(e) => eprintln!("error: {e}"),
                }
            }
        });
    }

    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (dir, version) = (dir.to_path_buf(), version.clone());
        std::thread::spawn(move || {
            // A client that goes away mid-answer is not an error of ours.
            let _ = answer(stream, &dir, &version);
        });
    }
    Ok(())
}

/// Answers one HTTP request for a file of `dir`.
fn answer(mut stream: TcpStream, dir: &Path, version: &AtomicU64) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"",
            true,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == "/__book/version" {
        let body = version.load(Ordering::SeqCst).to_string();
        return respond(
            &mut stream,
            "200 OK",
            "text/plain",
            body.as_bytes(),
            method == "GET",
        );
    }
    let (status, file) = match resolve(dir, path) {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", dir.join("404.html")),
    };
    let Ok(mut body) = std::fs::read(&file) else {
        return respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found",
            true,
        );
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let text = String::from_utf8_lossy(&body);
        body = match text.rfind("</body>") {
            Some(at) => format!("{}{RELOAD}{}", &text[..at], &text[at..]),
            None => format!("{text}{RELOAD}"),
        }
        .into_bytes();
    }
    respond(&mut stream, status, kind, &body, method == "GET")
}

/// The file of `dir` that a URL path names, if there is one: percent-
/// decoded, never above `dir`, `index.html` for a folder.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let bytes = url_path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    let relative = PathBuf::from(String::from_utf8(decoded).ok()?.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = dir.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "rs" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}
