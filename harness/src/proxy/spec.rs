//! Descriptions of toxics: what to install, apart from any running state.
//!
//! The JSON shape follows toxiproxy's: the envelope fields, a `type` and the
//! toxic's own `attributes`. Durations take milliseconds or a string with a
//! unit (see `duration_format`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::duration_format;

/// Which direction of a connection a toxic acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stream {
    /// Bytes going from the client to the server.
    Upstream,
    /// Bytes going from the server to the client.
    #[default]
    Downstream,
}

/// One toxic to install: a name, a direction, a probability and what it does.
///
/// ```
/// use std::time::Duration;
/// use natsfault::proxy::{LatencyParams, Stream, ToxicKind, ToxicSpec};
///
/// let spec = ToxicSpec::new(
///     "lag",
///     Stream::Downstream,
///     ToxicKind::Latency(LatencyParams { latency: Duration::from_millis(100), jitter: Duration::ZERO }),
/// )
/// .with_toxicity(0.5);
/// let json = r#"{"name":"lag","stream":"downstream","toxicity":0.5,
///                "type":"latency","attributes":{"latency":"100ms"}}"#;
/// assert_eq!(serde_json::from_str::<ToxicSpec>(json).unwrap(), spec);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ToxicSpec {
    /// Unique name, used to remove the toxic.
    pub name: String,
    /// The direction it acts on; `Down` closes whole connections whatever this says.
    #[serde(default)]
    pub stream: Stream,
    /// Probability in `0.0..=1.0` that a given connection is affected; rolled
    /// once per connection (and direction) when the toxic meets it.
    #[serde(default = "full_toxicity")]
    pub toxicity: f32,
    /// What the toxic does, with its parameters.
    #[serde(flatten)]
    pub kind: ToxicKind,
}

fn full_toxicity() -> f32 {
    1.0
}

impl ToxicSpec {
    /// A toxic that affects every connection (`toxicity` 1.0).
    pub fn new(name: impl Into<String>, stream: Stream, kind: ToxicKind) -> Self {
        ToxicSpec { name: name.into(), stream, toxicity: 1.0, kind }
    }

    /// Sets the per-connection probability.
    pub fn with_toxicity(mut self, toxicity: f32) -> Self {
        self.toxicity = toxicity;
        self
    }
}

/// What a toxic does. Each variant holds that toxic's own parameters.
///
/// ```
/// use natsfault::proxy::{LimitDataParams, ToxicKind};
///
/// let kind: ToxicKind = serde_json::from_str(r#"{"type":"limit-data","attributes":{"bytes":10}}"#).unwrap();
/// assert_eq!(kind, ToxicKind::LimitData(LimitDataParams { bytes: 10 }));
/// let down: ToxicKind = serde_json::from_str(r#"{"type":"down"}"#).unwrap();
/// assert_eq!(down, ToxicKind::Down);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "attributes")]
pub enum ToxicKind {
    /// Delay every chunk by `latency` ± `jitter`.
    Latency(LatencyParams),
    /// Cap throughput.
    Bandwidth(BandwidthParams),
    /// Cut chunks into small pieces sent with a delay between them.
    Slicer(SlicerParams),
    /// Stop forwarding (data is kept, not dropped) and close after `timeout`;
    /// a zero timeout never closes (black hole until removed).
    Timeout(TimeoutParams),
    /// Reset the connection (TCP RST to both peers) after `timeout`.
    ResetPeer(ResetPeerParams),
    /// Close the connection once `bytes` bytes have passed.
    LimitData(LimitDataParams),
    /// Delay the close of the stream by `delay`.
    SlowClose(SlowCloseParams),
    /// Take the proxy down: the listener stays bound but every accepted
    /// socket is closed at once (the client connects, then reads EOF), and
    /// existing connections are closed.
    Down,
}

/// Parameters of [`ToxicKind::Latency`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LatencyParams {
    /// Delay added to every chunk.
    #[serde(with = "duration_format")]
    pub latency: Duration,
    /// Uniform random variation, plus or minus, around `latency`.
    #[serde(with = "duration_format", default)]
    pub jitter: Duration,
}

/// Parameters of [`ToxicKind::Bandwidth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BandwidthParams {
    /// Rate in kilobytes (1000 bytes) per second; must be above zero.
    pub rate_kb_per_s: u64,
}

/// Parameters of [`ToxicKind::Slicer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SlicerParams {
    /// Average slice size in bytes; must be above zero.
    pub average_size: usize,
    /// Slices are `average_size` ± up to this many bytes; must be below `average_size`.
    #[serde(default)]
    pub size_variation: usize,
    /// Pause between two slices.
    #[serde(with = "duration_format", default)]
    pub delay: Duration,
}

/// Parameters of [`ToxicKind::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TimeoutParams {
    /// Time after which the connection is closed; zero means never.
    #[serde(with = "duration_format")]
    pub timeout: Duration,
}

/// Parameters of [`ToxicKind::ResetPeer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ResetPeerParams {
    /// Time after which the connection is reset; zero resets at once.
    #[serde(with = "duration_format", default)]
    pub timeout: Duration,
}

/// Parameters of [`ToxicKind::LimitData`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitDataParams {
    /// Bytes let through (in this toxic's direction) before the close.
    pub bytes: u64,
}

/// Parameters of [`ToxicKind::SlowClose`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SlowCloseParams {
    /// How long the close is held back once the stream has ended.
    #[serde(with = "duration_format")]
    pub delay: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_in_kebab_case() {
        let json = r#"[
          {"name":"a","stream":"upstream","type":"latency","attributes":{"latency":100,"jitter":"5ms"}},
          {"name":"b","type":"bandwidth","attributes":{"rate-kb-per-s":64}},
          {"name":"c","type":"slicer","attributes":{"average-size":10,"size-variation":2,"delay":"1ms"}},
          {"name":"d","type":"timeout","attributes":{"timeout":"2s"}},
          {"name":"e","type":"reset-peer","attributes":{"timeout":0}},
          {"name":"f","type":"limit-data","attributes":{"bytes":5}},
          {"name":"g","type":"slow-close","attributes":{"delay":"1s"}},
          {"name":"h","toxicity":0.25,"type":"down"}
        ]"#;
        let specs: Vec<ToxicSpec> = serde_json::from_str(json).expect("valid json");
        assert_eq!(specs.len(), 8);
        assert_eq!(specs[0].stream, Stream::Upstream);
        assert_eq!(
            specs[0].kind,
            ToxicKind::Latency(LatencyParams { latency: Duration::from_millis(100), jitter: Duration::from_millis(5) })
        );
        assert_eq!(specs[1].stream, Stream::Downstream);
        assert_eq!(specs[1].toxicity, 1.0);
        assert_eq!(specs[3].kind, ToxicKind::Timeout(TimeoutParams { timeout: Duration::from_secs(2) }));
        assert_eq!(specs[7].kind, ToxicKind::Down);
        assert_eq!(specs[7].toxicity, 0.25);
    }

    #[test]
    fn round_trips_through_json() {
        let spec = ToxicSpec::new(
            "s",
            Stream::Upstream,
            ToxicKind::SlowClose(SlowCloseParams { delay: Duration::from_micros(1500) }),
        );
        let json = serde_json::to_string(&spec).expect("serializes");
        assert!(json.contains(r#""type":"slow-close""#), "{json}");
        assert_eq!(serde_json::from_str::<ToxicSpec>(&json).expect("parses"), spec);
    }
}
