//! The GreenWatch server binary: parse the configuration, start tracing,
//! then serve, or run a `staff` command (`staff_cli`) and exit.

use clap::Parser;
use greenwatch_server::config::{Command, Config};
use greenwatch_server::{staff_cli, startup::Server, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let mut config = Config::parse();
    if let Some(Command::Staff(command)) = config.command.take() {
        return match staff_cli::run(&config.store_location(), &command).await {
            Ok(message) => {
                println!("{message}");
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("greenwatch-server staff: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    }
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
    // After that line, which must be the first on stdout.
    tracing::info!(database = server.database(), "database");
    match server.run_until_stopped().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "GreenWatch stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
