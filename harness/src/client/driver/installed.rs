//! Where each library's driver program is: installed by `make setup` (`scripts/setup-clients.sh`)
//! under `.cache/clients/`, or named by `NATSFAULT_DRIVER_<LIBRARY>`.

use std::path::{Path, PathBuf};

use crate::spec::Library;

/// The command that runs one library's driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriverProgram {
    /// The library it drives.
    pub library: Library,
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
}

/// The variable that overrides a library's driver command (`NATSFAULT_DRIVER_NATS_PY`,
/// `NATSFAULT_DRIVER_NATS_GO`, `NATSFAULT_DRIVER_NATS_C`): the program and its arguments,
/// separated by spaces.
pub fn override_var(library: Library) -> String {
    format!("NATSFAULT_DRIVER_{}", library.as_str().to_uppercase().replace(['-', '.'], "_"))
}

/// The driver command for `library`, or why there is none (`async-nats` needs none: it runs
/// in-process).
///
/// ```
/// use natsfault::client::driver::program_for;
/// use natsfault::spec::Library;
/// assert!(program_for(Library::AsyncNats).is_err());
/// ```
pub fn program_for(library: Library) -> Result<DriverProgram, String> {
    let var = override_var(library);
    if let Some(cmd) = std::env::var_os(&var) {
        let cmd = cmd.to_string_lossy().into_owned();
        let mut words = cmd.split_whitespace().map(str::to_string);
        let Some(program) = words.next() else { return Err(format!("`{var}` is empty: expected a command")) };
        return Ok(DriverProgram { library, program: program.into(), args: words.collect() });
    }
    let clients = crate::backend::cache_dir().join("clients");
    let (program, args) = match library {
        Library::AsyncNats => return Err("async-nats runs in-process: it has no driver program".into()),
        Library::NatsPy => {
            let script = drivers_dir().join("nats-py").join("driver.py");
            (clients.join("nats-py").join("venv").join("bin").join("python"), vec![script.display().to_string()])
        }
        Library::NatsGo => (clients.join("nats.go").join("natsfault-driver"), Vec::new()),
        Library::NatsC => (clients.join("nats.c").join("natsfault-driver"), Vec::new()),
    };
    if !program.is_file() {
        return Err(format!(
            "the {library} driver is not installed (no `{}`): run `make setup` (scripts/setup-clients.sh)",
            program.display()
        ));
    }
    Ok(DriverProgram { library, program, args })
}

/// The driver programs' sources: `harness/drivers/`.
pub fn drivers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("drivers")
}

/// Every library that can be played here: async-nats, and each one whose driver is installed.
pub fn installed() -> Vec<Library> {
    Library::ALL.into_iter().filter(|l| !l.is_external() || program_for(*l).is_ok()).collect()
}
