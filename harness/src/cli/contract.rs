//! `natsfault contract --from-config`: a first contract from what a config allows.

use super::args::ContractArgs;
use super::exit;
use crate::input_file::SMALL_FILE_LIMIT as CREDS_FILE_LIMIT;
use crate::natsconf::Config;

/// Writes the contract to `--output` (never over an existing file) or stdout; 2 for a config
/// that does not parse.
pub fn contract(a: ContractArgs) -> i32 {
    if let Err(e) = crate::input_file::check_regular(&a.from_config, "config") {
        eprintln!("natsfault: --from-config: {e}");
        return exit::INVALID_INPUT;
    }
    let config = match Config::parse_file(&a.from_config, &a.door.options().parse_options()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("natsfault: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let mut creds = Vec::new();
    for path in &a.creds {
        match crate::input_file::read_text(path, "creds file", CREDS_FILE_LIMIT) {
            Ok(text) => creds.push((path.display().to_string(), text)),
            Err(e) => {
                eprintln!("natsfault: --creds: {e}");
                return exit::INVALID_INPUT;
            }
        }
    }
    let name = a.from_config.display().to_string();
    let text = match crate::contract::contract_from_config_with(&config, &name, &a.secrets_dir, &creds) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("natsfault: --creds: {e}");
            return exit::INVALID_INPUT;
        }
    };
    match a.output {
        None => {
            print!("{text}");
            exit::OK
        }
        Some(path) => match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => match std::io::Write::write_all(&mut f, text.as_bytes()) {
                Ok(()) => exit::OK,
                Err(e) => {
                    eprintln!("natsfault: cannot write `{}`: {e}", path.display());
                    exit::ENVIRONMENT
                }
            },
            Err(e) => {
                eprintln!(
                    "natsfault: --output: cannot create `{}`: {e} (an existing contract is not replaced)",
                    path.display()
                );
                exit::INVALID_INPUT
            }
        },
    }
}
