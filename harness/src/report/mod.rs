//! Reports: one model ([`ScenarioReport`]) and writers for people, JSON and JUnit.

pub mod clients;
pub mod human;
pub mod json;
pub mod junit;
mod model;
mod redact;

pub use model::{Mismatch, PhaseReport, ScenarioReport, Status, StepReport};
