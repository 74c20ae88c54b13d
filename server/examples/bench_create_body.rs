//! Prints the create body (`CreateReport` JSON) that `scripts/bench-load`
//! sends to `PUT /api/v1/reports/{id}`: a valid report, as the app would
//! send it, declaring one photo, the JPEG file named by the only argument.
//!
//!     cargo run -p greenwatch-server --example bench_create_body -- photo.jpg
//!
//! Made through protocol's own types (`ReportDraft::validate`, then
//! `CreateReport::from_valid`), so the body is exactly what the server
//! expects. The body holds no report id (the path carries it), so the one
//! body serves every report of the benchmark: seen an hour ago, created now
//! (this machine's clock, the server's too), never in the future later on.
//! All share one receipt secret; the benchmark looks no case up. (It does
//! not use the server library, so its release build links quickly.)

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use protocol::report::{
    Category, MediaId, PhotoMeta, ReportDraft, ReportId, Sha256Hex, UnixMillis,
};
use protocol::sync::{CreateReport, ReceiptSecret};
use uuid::Uuid;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [photo_path] = args.as_slice() else {
        eprintln!("usage: bench_create_body PHOTO.jpg");
        return ExitCode::from(2);
    };
    let photo = match std::fs::read(photo_path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("cannot read {photo_path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    let now = UnixMillis(i64::try_from(since_epoch.as_millis()).expect("a sane clock"));
    let draft = ReportDraft {
        category: Some(Category::WaterRiver),
        description: "小河发黑发臭，有死鱼。".into(),
        photos: vec![PhotoMeta {
            id: MediaId::from_uuid(Uuid::from_u128(1)),
            width: 1600,
            height: 1200,
            bytes: photo.len() as u64,
            sha256: Sha256Hex::of(&photo),
        }],
        address: "东湖路 12 号".into(),
        seen_at: Some(UnixMillis(now.0 - 3_600_000)),
        phone: "13800138000".into(),
        ..ReportDraft::new(ReportId::from_uuid(Uuid::from_u128(1)), now)
    };
    let valid = match draft.validate(now) {
        Ok(valid) => valid,
        Err(errors) => {
            eprintln!("the benchmark report is not valid: {errors:?}");
            return ExitCode::FAILURE;
        }
    };
    let receipt = ReceiptSecret::from_bytes([0x5a; ReceiptSecret::BYTES]).hash();
    let body = CreateReport::from_valid(&valid, &receipt);
    println!(
        "{}",
        serde_json::to_string(&body).expect("a create body serialises")
    );
    ExitCode::SUCCESS
}
