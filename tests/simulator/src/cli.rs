//! Command-line parsing for the `dmxapi-sim` binary (no argument crate).

use crate::faults::parse_faults_str;
use crate::Config;

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Start the simulator with this configuration.
    Run(Config),
    /// Print [`usage`] and exit.
    Help,
}

/// The `--help` text.
pub fn usage() -> &'static str {
    "dmxapi-sim: a local DMXAPI simulator for wan2.6-t2v / wan2.6-get

USAGE:
    dmxapi-sim [OPTIONS]

OPTIONS:
    --host <HOST>            address to bind (default 127.0.0.1)
    --port <PORT>            port to bind, 0 picks a free one (default 9090)
    --pending-ms <MS>        time a task stays PENDING (default 2000)
    --running-ms <MS>        time a task then stays RUNNING (default 6000)
    --key <KEY>              accepted API key (repeatable); without any, every
                             key starting with sk- and at least 8 chars long is accepted
    --link-ttl-secs <SECS>   validity of video links after the task ends (default 86400)
    --fault <JSON>           queue a fault at start (repeatable), same format as
                             POST /__sim/faults
    --quiet                  do not log requests to stderr
    -h, --help               print this help

On start, prints one line: dmxapi-sim listening on http://HOST:PORT
Control API: GET /__sim/health, GET /__sim/requests, POST /__sim/reset,
POST|GET /__sim/faults, POST|GET /__sim/clock (see tests/simulator/README.md)."
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: expected a non-negative integer, got {value:?}"))
}

/// Parses arguments (without the program name). Accepts `--flag value` and
/// `--flag=value`.
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut config = Config::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--quiet" => {
                if inline.is_some() {
                    return Err("--quiet takes no value".into());
                }
                config.quiet = true;
            }
            "--host" | "--port" | "--pending-ms" | "--running-ms" | "--key" | "--link-ttl-secs"
            | "--fault" => {
                let value = match inline {
                    Some(v) => v,
                    None => args.next().ok_or_else(|| format!("{flag} needs a value"))?,
                };
                match flag.as_str() {
                    "--host" => config.host = value,
                    "--port" => config.port = number(&flag, &value)?,
                    "--pending-ms" => config.pending_ms = number(&flag, &value)?,
                    "--running-ms" => config.running_ms = number(&flag, &value)?,
                    "--link-ttl-secs" => config.link_ttl_secs = number(&flag, &value)?,
                    "--key" => {
                        if value.is_empty() {
                            return Err("--key must not be empty".into());
                        }
                        config.keys.push(value);
                    }
                    _ => config
                        .faults
                        .extend(parse_faults_str(&value).map_err(|e| format!("--fault: {e}"))?),
                }
            }
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Config {
        match parse_args(args.iter().copied()).unwrap() {
            Command::Run(c) => c,
            Command::Help => panic!("help"),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[]);
        assert_eq!(c.host, "127.0.0.1");
        assert_eq!(c.port, 9090);
        assert_eq!(c.pending_ms, 2000);
        assert_eq!(c.running_ms, 6000);
        assert_eq!(c.link_ttl_secs, 86_400);
        assert!(c.keys.is_empty());
        assert!(!c.quiet);
    }

    #[test]
    fn all_flags() {
        let c = run(&[
            "--host",
            "localhost",
            "--port=0",
            "--pending-ms",
            "10",
            "--running-ms",
            "20",
            "--key",
            "sk-a",
            "--key=sk-b",
            "--link-ttl-secs",
            "5",
            "--quiet",
            "--fault",
            r#"{"on":"submit","http":429}"#,
            "--fault",
            r#"[{"on":"query","status":"X"},{"on":"any","delay_ms":1}]"#,
        ]);
        assert_eq!(c.host, "localhost");
        assert_eq!(c.port, 0);
        assert_eq!((c.pending_ms, c.running_ms, c.link_ttl_secs), (10, 20, 5));
        assert_eq!(c.keys, ["sk-a", "sk-b"]);
        assert!(c.quiet);
        assert_eq!(c.faults.len(), 3);
    }

    #[test]
    fn help_and_errors() {
        assert!(matches!(parse_args(["--help"]), Ok(Command::Help)));
        assert!(matches!(parse_args(["-h"]), Ok(Command::Help)));
        assert!(parse_args(["--port"]).is_err());
        assert!(parse_args(["--port", "x"]).is_err());
        assert!(parse_args(["--bogus"]).is_err());
        assert!(parse_args(["--fault", "{}"]).is_err());
        assert!(usage().contains("--link-ttl-secs"));
    }
}
