//! The toxics acting on one direction of one connection, in order.

use std::time::{Duration, Instant};

use bytes::Bytes;

use super::registry::ToxicSet;
use super::spec::{Stream, ToxicSpec};
use super::toxic::{Ending, Piece, Toxic};

/// One installed toxic as met by this direction. `toxic` is `None` when the
/// toxicity roll spared this connection.
struct Stage {
    id: u64,
    name: String,
    toxic: Option<Box<dyn Toxic>>,
}

/// Pieces to write and, possibly, the toxic that ends the connection after them.
pub(crate) struct Applied {
    pub(crate) pieces: Vec<Piece>,
    pub(crate) end: Option<(String, Ending)>,
}

/// The running toxics of one direction, kept in step with the [`ToxicSet`].
pub(crate) struct Pipeline {
    stream: Stream,
    stages: Vec<Stage>,
}

/// Builds the running toxic for this connection, or `None` when spared.
fn attach(spec: &ToxicSpec, now: Instant) -> Option<Box<dyn Toxic>> {
    let hit = spec.toxicity >= 1.0 || rand::random_bool(f64::from(spec.toxicity.clamp(0.0, 1.0)));
    // The spec was checked when installed, so building cannot fail here.
    if hit { spec.build(now).ok() } else { None }
}

/// The name of an installed toxic that refuses a new connection, if any.
pub(crate) fn refusal(set: &ToxicSet, now: Instant) -> Option<String> {
    set.entries
        .iter()
        .find(|e| attach(&e.spec, now).is_some_and(|t| t.refuses_connections()))
        .map(|e| e.spec.name.clone())
}

impl Pipeline {
    pub(crate) fn new(stream: Stream) -> Self {
        Pipeline { stream, stages: Vec::new() }
    }

    /// Keeps the toxics still installed, attaches new ones (at `now`), and
    /// follows the set's order.
    pub(crate) fn sync(&mut self, set: &ToxicSet, now: Instant) {
        let mut old = std::mem::take(&mut self.stages);
        for entry in set.entries.iter().filter(|e| e.spec.stream == self.stream) {
            let stage = match old.iter().position(|s| s.id == entry.id) {
                Some(at) => old.swap_remove(at),
                None => Stage { id: entry.id, name: entry.spec.name.clone(), toxic: attach(&entry.spec, now) },
            };
            self.stages.push(stage);
        }
    }

    fn active(&self) -> impl Iterator<Item = (&str, &dyn Toxic)> {
        self.stages.iter().filter_map(|s| s.toxic.as_deref().map(|t| (s.name.as_str(), t)))
    }

    /// Runs a chunk that arrived at `arrived` through every toxic in order.
    pub(crate) fn apply(&mut self, data: Bytes, arrived: Instant) -> Applied {
        let mut pieces = vec![Piece { data, due: arrived }];
        let mut end = None;
        for stage in &mut self.stages {
            let Some(toxic) = stage.toxic.as_mut() else {
                continue;
            };
            let mut next = Vec::with_capacity(pieces.len());
            for piece in pieces {
                let out = toxic.transform(piece);
                next.extend(out.pieces);
                if let Some(ending) = out.end {
                    end.get_or_insert((stage.name.clone(), ending));
                    break;
                }
            }
            pieces = next;
        }
        Applied { pieces, end }
    }

    /// Whether some toxic holds the data back for now.
    pub(crate) fn holds(&self) -> bool {
        self.active().any(|(_, t)| t.holds())
    }

    /// The earliest deadline, with the name of its toxic.
    pub(crate) fn deadline(&self) -> Option<(Instant, String, Ending)> {
        self.active()
            .filter_map(|(name, t)| t.deadline().map(|(at, ending)| (at, name, ending)))
            .min_by_key(|(at, _, _)| *at)
            .map(|(at, name, ending)| (at, name.to_owned(), ending))
    }

    /// The longest close delay.
    pub(crate) fn close_delay(&self) -> Duration {
        self.active().map(|(_, t)| t.close_delay()).max().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::registry::Installed;
    use super::super::spec::{LatencyParams, LimitDataParams, SlicerParams, ToxicKind};
    use super::*;

    fn set(specs: &[(u64, ToxicSpec)]) -> ToxicSet {
        let entries = specs.iter().map(|(id, spec)| Installed { id: *id, spec: spec.clone() }).collect();
        ToxicSet { entries: Arc::new(entries) }
    }

    #[test]
    fn toxics_chain_in_order_and_follow_the_set() {
        let ms = Duration::from_millis;
        let lag = ToxicSpec::new(
            "lag",
            Stream::Upstream,
            ToxicKind::Latency(LatencyParams { latency: ms(100), jitter: Duration::ZERO }),
        );
        let slice = ToxicSpec::new(
            "slice",
            Stream::Upstream,
            ToxicKind::Slicer(SlicerParams { average_size: 2, size_variation: 0, delay: ms(10) }),
        );
        let limit = ToxicSpec::new("limit", Stream::Upstream, ToxicKind::LimitData(LimitDataParams { bytes: 5 }));
        let other_way = ToxicSpec::new("down", Stream::Downstream, ToxicKind::Down);
        let mut pipeline = Pipeline::new(Stream::Upstream);
        let now = Instant::now();
        pipeline.sync(&set(&[(1, lag), (2, slice), (3, limit), (4, other_way)]), now);
        assert_eq!(pipeline.deadline(), None);

        let out = pipeline.apply(Bytes::from_static(b"abcdefgh"), now);
        let dues: Vec<_> = out.pieces.iter().map(|p| p.due - now).collect();
        assert_eq!(dues, [ms(100), ms(110), ms(120)]);
        let bytes: Vec<u8> = out.pieces.iter().flat_map(|p| p.data.to_vec()).collect();
        assert_eq!(bytes, b"abcde");
        assert_eq!(out.end, Some(("limit".to_owned(), Ending::Close)));

        pipeline.sync(&ToxicSet::default(), now);
        let out = pipeline.apply(Bytes::from_static(b"x"), now);
        assert_eq!(out.pieces, [Piece { data: Bytes::from_static(b"x"), due: now }]);
    }

    #[test]
    fn spared_connections_pass_untouched_and_refusal_needs_a_hit() {
        let spared = ToxicSpec::new("down", Stream::Upstream, ToxicKind::Down).with_toxicity(0.0);
        let toxics = set(&[(1, spared)]);
        let mut pipeline = Pipeline::new(Stream::Upstream);
        pipeline.sync(&toxics, Instant::now());
        assert_eq!(pipeline.deadline(), None);
        assert_eq!(refusal(&toxics, Instant::now()), None);
        let hit = set(&[(2, ToxicSpec::new("down", Stream::Downstream, ToxicKind::Down))]);
        assert_eq!(refusal(&hit, Instant::now()), Some("down".to_owned()));
    }
}
