//! The GreenWatch server binary: parse the configuration, start tracing, serve.

use clap::Parser;
use greenwatch_server::{config::Config, startup::Server, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let config = Config::parse();
    let server = match Server::build(config).await {
        Ok(server) => server,
        Err(error) => {
            tracing::error!(%error, "GreenWatch could not start");
            eprintln!("GreenWatch could not start: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Tests and scripts read this line to learn the bound port (port 0 works).
    println!("GreenWatch listening on http://{}", server.local_addr());
    match server.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "GreenWatch stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
