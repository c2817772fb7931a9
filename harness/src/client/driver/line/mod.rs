//! The JSON-lines protocol to a driver program over its stdin and stdout, and the driver that
//! speaks it. Described for driver authors in `harness/drivers/README.md`.

mod process;
mod protocol;

pub use process::{LineDriver, OP_GRACE};
pub use protocol::{ApiLine, ConnectRequest, DriverLine, ErrorLine, JsCall, Request};
