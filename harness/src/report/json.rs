//! JSON: one object per scenario run, as an array.

use super::model::ScenarioReport;

/// The reports as pretty JSON.
pub fn render(reports: &[ScenarioReport]) -> String {
    serde_json::to_string_pretty(reports).unwrap_or_else(|e| format!("{{\"error\": \"cannot serialize report: {e}\"}}"))
}
