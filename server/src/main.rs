//! The GreenWatch server binary: parse the configuration, start tracing,
//! then serve, or run a `staff` command (`staff_cli`), an `open311`
//! command (`open311_cli`), `migrate` (`migrate_cli`) or `import-reports`
//! (`import_cli`) and exit.

use clap::Parser;
use greenwatch_server::config::{Command, Config};
use greenwatch_server::{
    import_cli, migrate_cli, open311_cli, staff_cli, startup::Server, telemetry,
};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let mut config = Config::parse();
    match config.command.take() {
        Some(Command::Staff(command)) => {
            let outcome = staff_cli::run(&config.store_location(), &command).await;
            return finish("staff", outcome.map_err(|error| error.to_string()));
        }
        Some(Command::Open311(command)) => {
            let outcome = open311_cli::run(&config.store_location(), &command).await;
            return finish("open311", outcome.map_err(|error| error.to_string()));
        }
        Some(Command::Migrate(args)) => {
            let outcome = migrate_cli::run(&config.store_location(), &args).await;
            return finish("migrate", outcome.map_err(|error| error.to_string()));
        }
        Some(Command::ImportReports(args)) => {
            let outcome = import_cli::run(&config.store_location(), &args).await;
            return finish("import-reports", outcome);
        }
        None => {}
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

/// Prints a command's outcome and gives its exit code.
fn finish(command: &str, outcome: Result<String, String>) -> std::process::ExitCode {
    match outcome {
        Ok(message) => {
            println!("{message}");
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("greenwatch-server {command}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
