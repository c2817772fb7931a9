//! The `toxic` of an `add-toxic` step, read from its TOML table by hand: its `type` says which
//! attributes are known, and every attribute keeps its position. (serde's adjacently tagged
//! enums buffer `attributes`, which sorts before `type` in a TOML table, and lose its spans.)

use std::ops::Range;
use std::time::Instant;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::load::lowercase_first;
use super::problem::Problem;
use crate::proxy::{
    BandwidthParams, LatencyParams, LimitDataParams, ResetPeerParams, SlicerParams, SlowCloseParams, Stream,
    TimeoutParams, ToxicKind, ToxicSpec,
};

/// A toxic's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ToxicType {
    Latency,
    Bandwidth,
    Slicer,
    Timeout,
    ResetPeer,
    LimitData,
    SlowClose,
    Down,
}

impl ToxicType {
    fn as_str(self) -> &'static str {
        match self {
            ToxicType::Latency => "latency",
            ToxicType::Bandwidth => "bandwidth",
            ToxicType::Slicer => "slicer",
            ToxicType::Timeout => "timeout",
            ToxicType::ResetPeer => "reset-peer",
            ToxicType::LimitData => "limit-data",
            ToxicType::SlowClose => "slow-close",
            ToxicType::Down => "down",
        }
    }
}

/// The attributes of a `down` toxic: none.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoAttributes {}

/// The toxic's common fields; `attributes` is taken out before and read for the `type`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Envelope {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<ToxicType>,
    #[serde(default)]
    stream: Stream,
    toxicity: Option<Spanned<f32>>,
    /// Never present here (read on its own), listed so that a misspelled key names it.
    #[serde(rename = "attributes")]
    _attributes: Option<IgnoredAny>,
}

/// Reads a step's `toxic`; every problem goes to `problems` (`None` when there was one).
pub(super) fn read_toxic(source: &str, value: Spanned<DeValue<'_>>, problems: &mut Vec<Problem>) -> Option<ToxicSpec> {
    let span = value.span();
    let DeValue::Table(mut table) = value.into_inner() else {
        let example = r#"{ name = "lag", type = "latency", attributes = { latency = "1s" } }"#;
        let message = format!("expected `toxic` to be a table such as `{example}`");
        problems.push(Problem::new(source, span, message).label("not a table"));
        return None;
    };
    let attributes = table.remove("attributes");
    let envelope = Envelope::deserialize(ValueDeserializer::from(Spanned::new(span.clone(), DeValue::Table(table))));
    let envelope = match envelope {
        Ok(e) => e,
        Err(e) => {
            problems.push(serde_problem(source, &e, span, None));
            return None;
        }
    };
    let before = problems.len();
    let name = envelope.name.get_ref();
    if name.trim().is_empty() {
        problems.push(
            Problem::new(source, envelope.name.span(), format!("expected a toxic name, found `{name}`"))
                .label("empty name")
                .help("`remove-toxic` refers to the toxic by this name, e.g. `name = \"lag\"`"),
        );
    }
    if let Some(t) = &envelope.toxicity
        && !(0.0..=1.0).contains(t.get_ref())
    {
        problems.push(
            Problem::new(source, t.span(), format!("expected `toxicity` within 0.0..=1.0, found `{}`", t.get_ref()))
                .label("not a probability"),
        );
    }
    let kind = attributes_of(source, *envelope.kind.get_ref(), attributes, span, problems)?;
    let spec = ToxicSpec::new(name.clone(), envelope.stream, kind.0)
        .with_toxicity(envelope.toxicity.map_or(1.0, |t| *t.get_ref()));
    if problems.len() > before {
        return None;
    }
    // The ranges the proxy checks when it installs the toxic (a bandwidth of 0, a slicer's
    // variation), checked here already.
    if let Err(e) = spec.build(Instant::now()) {
        let reason = match &e {
            crate::proxy::ProxyError::InvalidToxic { reason, .. } => reason.clone(),
            other => other.to_string(),
        };
        problems.push(
            Problem::new(
                source,
                kind.1,
                format!("invalid attributes of the `{}` toxic `{name}`: {reason}", envelope.kind.get_ref().as_str()),
            )
            .label("out of range"),
        );
        return None;
    }
    Some(spec)
}

/// The toxic's kind with its attributes, and where they are (the toxic's table when absent).
fn attributes_of(
    source: &str,
    kind: ToxicType,
    attributes: Option<Spanned<DeValue<'_>>>,
    toxic_span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<(ToxicKind, Range<usize>)> {
    let span = attributes.as_ref().map_or(toxic_span.clone(), Spanned::span);
    let value = attributes.unwrap_or_else(|| Spanned::new(toxic_span, DeValue::Table(DeTable::new())));
    if kind == ToxicType::Down
        && let DeValue::Table(t) = value.get_ref()
    {
        for key in t.keys() {
            let message = format!("unknown attribute `{}` of a `down` toxic, which takes none", key.get_ref());
            problems.push(Problem::new(source, key.span(), message).label("remove this"));
        }
        return t.is_empty().then_some((ToxicKind::Down, span));
    }
    fn read<'a, T: Deserialize<'a>>(value: Spanned<DeValue<'a>>) -> Result<T, toml::de::Error> {
        T::deserialize(ValueDeserializer::from(value))
    }
    let read_kind = match kind {
        ToxicType::Latency => read::<LatencyParams>(value).map(ToxicKind::Latency),
        ToxicType::Bandwidth => read::<BandwidthParams>(value).map(ToxicKind::Bandwidth),
        ToxicType::Slicer => read::<SlicerParams>(value).map(ToxicKind::Slicer),
        ToxicType::Timeout => read::<TimeoutParams>(value).map(ToxicKind::Timeout),
        ToxicType::ResetPeer => read::<ResetPeerParams>(value).map(ToxicKind::ResetPeer),
        ToxicType::LimitData => read::<LimitDataParams>(value).map(ToxicKind::LimitData),
        ToxicType::SlowClose => read::<SlowCloseParams>(value).map(ToxicKind::SlowClose),
        ToxicType::Down => read::<NoAttributes>(value).map(|_| ToxicKind::Down),
    };
    match read_kind {
        Ok(k) => Some((k, span)),
        Err(e) => {
            problems.push(serde_problem(source, &e, span, Some(kind)));
            None
        }
    }
}

/// A problem from serde's message, naming attributes of `kind` as such.
fn serde_problem(source: &str, e: &toml::de::Error, fallback: Range<usize>, kind: Option<ToxicType>) -> Problem {
    let span = e.span().unwrap_or(fallback);
    let message = e.message().trim().replace('\n', " ");
    let Some(kind) = kind else {
        let help = if message.contains("unknown field") {
            Some("a toxic has `name`, `type`, `stream`, `toxicity` and its own `attributes = { ... }`")
        } else {
            None
        };
        let p = Problem::new(source, span, lowercase_first(&message));
        return match help {
            Some(h) => p.help(h),
            None => p,
        };
    };
    let of = format!(" of a `{}` toxic", kind.as_str());
    let message = [("unknown field `", "unknown attribute `"), ("missing field `", "missing attribute `")]
        .iter()
        .find_map(|(serde, ours)| {
            let rest = message.strip_prefix(serde)?;
            let (name, after) = rest.split_once('`')?;
            Some(format!("{ours}{name}`{of}{after}"))
        })
        .unwrap_or_else(|| format!("{}{of}", lowercase_first(&message)));
    Problem::new(source, span, message).help("see the toxic types and their attributes in scenarios/README.md")
}
