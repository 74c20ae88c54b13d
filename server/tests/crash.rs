//! Crash test with the real binary: the server is killed with SIGKILL in
//! the middle of a sequence of creates and uploads (after a request was
//! sent, or half sent, and before its answer was read), started again on the
//! same data folder, and checked: nothing half-written is visible (each case
//! is incomplete with a missing list that matches its stored files, or
//! complete with byte-identical media; no medium is recorded whose file is
//! missing or differs from its hash). Then the client sends again what it
//! had not seen acknowledged, and every report must end complete exactly
//! once, with identical media, followed by its receipt.

mod helpers;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use greenwatch_server::store::DATABASE_FILE;
use helpers::{jpeg, webm, ReportFixture};
use protocol::report::Sha256Hex;
use protocol::sync::{case_path, IntakeStatus, RECEIPT_HEADER};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Row;
use tempfile::TempDir;

/// The real server binary, running on a free port.
struct Running {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl Running {
    fn start(data: &Path, dist: &Path) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_greenwatch-server"))
            .args(["--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .arg("--dist-dir")
            .arg(dist)
            .env("GREENWATCH_RATE_LIMIT_BURST", "100000")
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the server's first line");
        let addr = line
            .trim()
            .strip_prefix("GreenWatch listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .parse()
            .expect("an address");
        Running {
            child,
            _stdout: stdout,
            addr,
        }
    }

    /// SIGKILL: no graceful shutdown, no flush.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request, written by hand.
#[derive(Clone)]
struct Http {
    method: &'static str,
    path: String,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Http {
    fn bytes(&self, addr: SocketAddr) -> Vec<u8> {
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {}\r\nContent-Length: {}\r\n",
            self.method,
            self.path,
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// Sends the first `len` bytes of the request (all of it by default).
    fn send(&self, addr: SocketAddr, len: Option<usize>) -> TcpStream {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let bytes = self.bytes(addr);
        let len = len.unwrap_or(bytes.len()).min(bytes.len());
        stream.write_all(&bytes[..len]).expect("write the request");
        stream.flush().expect("flush");
        stream
    }

    fn exchange(&self, addr: SocketAddr) -> (u16, Vec<u8>) {
        read_response(self.send(addr, None))
    }
}

/// Status and body of the answer on `stream` (the server closes it).
fn read_response(mut stream: TcpStream) -> (u16, Vec<u8>) {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the answer");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut plain = Vec::new();
        let mut rest = body.as_slice();
        loop {
            let line_end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(
                std::str::from_utf8(&rest[..line_end])
                    .expect("ascii")
                    .trim(),
                16,
            )
            .expect("hex size");
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            plain.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = plain;
    }
    (status, body)
}

fn create_request(report: &ReportFixture) -> Http {
    Http {
        method: "PUT",
        path: report.path(),
        content_type: "application/json",
        headers: Vec::new(),
        body: report.json().into_bytes(),
    }
}

fn medium_request(report: &ReportFixture, index: u8) -> Http {
    Http {
        method: "PUT",
        path: report.medium_path(index),
        content_type: "application/octet-stream",
        headers: Vec::new(),
        body: report.media[usize::from(index)].clone(),
    }
}

/// One row of the audit: a report as the database and media folder hold it.
#[derive(Debug)]
struct Held {
    case: (i64, i64),
    complete: bool,
    /// Received media (read from their files), by index.
    received: BTreeMap<u8, Vec<u8>>,
    declared: usize,
}

/// Reads every report back from the database and the media folder, and
/// checks that no medium is recorded whose file is missing or differs.
fn audit(data: &Path) -> BTreeMap<String, Held> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (reports, media) = runtime.block_on(async {
        let options = SqliteConnectOptions::from_str("sqlite:")
            .expect("options")
            .filename(data.join(DATABASE_FILE));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .expect("the database opens");
        let reports = sqlx::query("SELECT report_id, case_year, case_seq, complete FROM reports")
            .fetch_all(&pool)
            .await
            .expect("reports");
        let media =
            sqlx::query("SELECT report_id, idx, sha256, bytes, object_key, received_at FROM media")
                .fetch_all(&pool)
                .await
                .expect("media");
        pool.close().await;
        (reports, media)
    });
    let mut held: BTreeMap<String, Held> = reports
        .into_iter()
        .map(|row| {
            (
                row.get::<String, _>("report_id"),
                Held {
                    case: (row.get("case_year"), row.get("case_seq")),
                    complete: row.get::<i64, _>("complete") != 0,
                    received: BTreeMap::new(),
                    declared: 0,
                },
            )
        })
        .collect();
    for row in media {
        let report_id: String = row.get("report_id");
        let index: i64 = row.get("idx");
        let key: String = row.get("object_key");
        let report = held
            .get_mut(&report_id)
            .unwrap_or_else(|| panic!("medium {key} of no report"));
        report.declared += 1;
        if row.get::<Option<i64>, _>("received_at").is_none() {
            continue;
        }
        let path = data.join("media").join(&key);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("medium {key} is recorded as received, its file: {e}"));
        assert_eq!(
            Sha256Hex::of(&bytes).to_string(),
            row.get::<String, _>("sha256"),
            "medium {key}: the file differs from its recorded hash"
        );
        assert_eq!(
            bytes.len() as i64,
            row.get::<i64, _>("bytes"),
            "medium {key}: the file's length"
        );
        report
            .received
            .insert(u8::try_from(index).expect("index"), bytes);
    }
    // Files the database does not name (an interrupted write's temporary
    // file): harmless, as nothing reads them, but worth seeing.
    if let Ok(folders) = std::fs::read_dir(data.join("media").join("reports")) {
        for file in folders
            .flatten()
            .filter_map(|f| std::fs::read_dir(f.path()).ok())
            .flatten()
            .flatten()
        {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.parse::<u8>().is_err() {
                eprintln!("stray file in the media folder: {}", file.path().display());
            }
        }
    }
    for (id, report) in &held {
        assert_eq!(
            report.complete,
            report.received.len() == report.declared,
            "report {id}: `complete` disagrees with its media: {report:?}"
        );
    }
    held
}

/// A kill after request `kill_at` was sent (all of it, or only its head and
/// part of its body when `partial`).
fn crash_and_recover(kill_at: usize, partial: bool, delay_ms: u64) {
    let data = TempDir::new().expect("data dir");
    let dist = TempDir::new().expect("dist dir");
    std::fs::write(dist.path().join("index.html"), helpers::INDEX_HTML).expect("index");
    // Large enough that an upload takes a moment to write.
    let reports: Vec<ReportFixture> = (0..4u8)
        .map(|i| {
            ReportFixture::with_media(
                jpeg(400_000 + usize::from(i) * 1_000, i),
                webm(150_000, i.wrapping_add(100)),
            )
        })
        .collect();
    // The client's sequence: each report's create, then its media.
    let sequence: Vec<(usize, Http)> = reports
        .iter()
        .enumerate()
        .flat_map(|(r, report)| {
            std::iter::once((r, create_request(report))).chain(
                (0..report.media.len() as u8).map(move |index| (r, medium_request(report, index))),
            )
        })
        .collect();
    assert!(kill_at < sequence.len());

    let server = Running::start(data.path(), dist.path());
    for (_, request) in &sequence[..kill_at] {
        let (status, body) = request.exchange(server.addr);
        assert!(
            status == 200 || status == 201,
            "{} {}: {status} {}",
            request.method,
            request.path,
            String::from_utf8_lossy(&body)
        );
    }
    let (_, request) = &sequence[kill_at];
    let len = partial.then(|| request.bytes(server.addr).len() / 2);
    let stream = request.send(server.addr, len);
    // Give the server a moment to be in the middle of it (or done).
    std::thread::sleep(Duration::from_millis(delay_ms));
    server.kill();
    drop(stream);

    let server = Running::start(data.path(), dist.path());
    // Nothing half-written is visible.
    let held = audit(data.path());
    for (r, report) in reports.iter().enumerate() {
        let Some(found) = held.get(&report.id.to_string()) else {
            assert!(
                sequence[..kill_at].iter().all(|(owner, _)| *owner != r),
                "report {r}: its create was acknowledged but it is gone"
            );
            continue;
        };
        for (index, bytes) in &found.received {
            assert_eq!(
                bytes,
                &report.media[usize::from(*index)],
                "report {r}: medium {index} differs from the client's"
            );
        }
        // The server's answer to a replayed create matches its files.
        let (status, body) = create_request(report).exchange(server.addr);
        assert_eq!(status, 200, "report {r}: a replayed create");
        let status: IntakeStatus = serde_json::from_slice(&body).expect("status");
        let missing: Vec<u8> = (0..report.media.len() as u8)
            .filter(|index| !found.received.contains_key(index))
            .collect();
        assert_eq!(status.missing(), missing.as_slice(), "report {r}");
    }
    // Whether the request the kill cut off took effect (either is right).
    let (owner, cut) = &sequence[kill_at];
    let took_effect = match held.get(&reports[*owner].id.to_string()) {
        None => false,
        Some(found) if cut.content_type == "application/octet-stream" => {
            let index = cut.path.rsplit('/').next().and_then(|i| i.parse().ok());
            index.is_some_and(|index: u8| found.received.contains_key(&index))
        }
        Some(_) => true,
    };
    eprintln!(
        "killed {delay_ms} ms into request {kill_at} (partial: {partial}): took effect: {took_effect}"
    );
    // Acknowledged media stayed.
    for (r, request) in &sequence[..kill_at] {
        if request.content_type == "application/octet-stream" {
            let index: u8 = request
                .path
                .rsplit('/')
                .next()
                .and_then(|i| i.parse().ok())
                .expect("index");
            assert!(
                held[&reports[*r].id.to_string()]
                    .received
                    .contains_key(&index),
                "report {r}: acknowledged medium {index} is gone"
            );
        }
    }

    // The client sends again everything it had not seen acknowledged.
    for (_, request) in &sequence[kill_at..] {
        let (status, body) = request.exchange(server.addr);
        assert!(
            status == 200 || status == 201,
            "{} {}: {status} {}",
            request.method,
            request.path,
            String::from_utf8_lossy(&body)
        );
    }
    let held = audit(data.path());
    assert_eq!(held.len(), reports.len(), "one case per report");
    let mut sequences: Vec<i64> = held.values().map(|report| report.case.1).collect();
    sequences.sort_unstable();
    assert_eq!(sequences, (1..=reports.len() as i64).collect::<Vec<_>>());
    for (r, report) in reports.iter().enumerate() {
        let found = &held[&report.id.to_string()];
        assert!(found.complete, "report {r} is complete");
        let media: Vec<Vec<u8>> = found.received.values().cloned().collect();
        assert_eq!(media, report.media, "report {r}: identical media");
        let (status, body) = create_request(report).exchange(server.addr);
        assert_eq!(status, 200, "report {r}: replay");
        let status: IntakeStatus = serde_json::from_slice(&body).expect("status");
        assert!(status.is_complete());
        let (year, seq) = found.case;
        assert_eq!(
            (
                i64::from(status.case_number().year()),
                i64::from(status.case_number().sequence())
            ),
            (year, seq)
        );
        let follow = Http {
            method: "GET",
            path: case_path(&status.case_number()),
            content_type: "application/json",
            headers: vec![(RECEIPT_HEADER, report.receipt())],
            body: Vec::new(),
        };
        let (code, _) = follow.exchange(server.addr);
        assert_eq!(code, 200, "report {r}: its receipt follows the case");
    }
    server.kill();
}

#[test]
fn a_killed_server_keeps_what_it_acknowledged_and_nothing_half_written() {
    // The sequence is 12 requests: create, photo, clip for each of 4 reports.
    // (request the kill cuts off, only half of it sent, ms before the kill)
    for (kill_at, partial, delay_ms) in [
        (0, false, 0),
        (1, false, 2),
        (2, false, 5),
        (4, true, 0),
        (5, false, 10),
        (7, false, 20),
        (8, true, 5),
        (11, false, 40),
    ] {
        crash_and_recover(kill_at, partial, delay_ms);
    }
}
