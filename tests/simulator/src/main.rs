//! `dmxapi-sim` binary: parses the command line, starts the simulator, prints
//! `dmxapi-sim listening on http://HOST:PORT` and serves until killed.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = match dmxapi_sim::parse_args(std::env::args().skip(1)) {
        Ok(dmxapi_sim::Command::Run(config)) => config,
        Ok(dmxapi_sim::Command::Help) => {
            println!("{}", dmxapi_sim::usage());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("dmxapi-sim: {e}\n\n{}", dmxapi_sim::usage());
            return ExitCode::from(2);
        }
    };
    let handle = match dmxapi_sim::start(config) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("dmxapi-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "dmxapi-sim listening on {}", handle.base_url());
    let _ = out.flush();
    drop(out);
    handle.wait();
    ExitCode::SUCCESS
}
