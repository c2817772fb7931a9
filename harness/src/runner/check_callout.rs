//! `callout-request` and `callout-calls`: what the auth callout service received in a step's
//! window. A client's requests are those whose `connect-opts.name` is the client's connection
//! name; the client's secrets are compared by digest and shown as `<redacted>`.

use std::time::{Duration, Instant};

use super::check::{At, Marks};
use super::context::PhaseCtx;
use crate::observe::{CalloutRequestSeen, ObservationKind};
use crate::redact::REDACTED;
use crate::spec::{CalloutRequestMatch, Expect, FieldMatch};

/// One field a request must have, with its placeholders filled.
struct Wanted {
    key: &'static str,
    want: FieldMatch,
}

impl Wanted {
    fn holds(&self, seen: &CalloutRequestSeen) -> bool {
        let value = seen.get(self.key);
        match &self.want {
            FieldMatch::Present => value.is_present(),
            FieldMatch::Absent => !value.is_present(),
            FieldMatch::Equals(text) => value.equals(text),
        }
    }

    /// What is wanted, for a report; a secret's value is never shown.
    fn describe(&self) -> String {
        match &self.want {
            FieldMatch::Equals(_) if CalloutRequestMatch::is_secret(self.key) => format!("{} `{REDACTED}`", self.key),
            want => format!("{} {want}", self.key),
        }
    }
}

/// The fields of `seen` that `wanted` names, for a report (secrets redacted); the ones that do
/// not hold first.
fn describe_seen(wanted: &[Wanted], seen: &CalloutRequestSeen) -> String {
    let (bad, good): (Vec<&Wanted>, Vec<&Wanted>) = wanted.iter().partition(|w| !w.holds(seen));
    let show = |w: &&Wanted| {
        let value = seen.get(w.key);
        let differs = matches!(w.want, FieldMatch::Equals(_)) && value.is_present() && !w.holds(seen);
        let shown = if differs && CalloutRequestMatch::is_secret(w.key) {
            format!("{} (another value)", value.describe())
        } else {
            value.describe()
        };
        format!("{} {shown}", w.key)
    };
    let parts: Vec<String> = bad.iter().chain(good.iter()).map(show).collect();
    format!("request {}: {}", seen.seq, parts.join(", "))
}

/// `callout-request` and `callout-calls`, awaited up to `within`; returns when the matching
/// request arrived.
pub async fn check_callout(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    expect: &Expect,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    if expect.callout_request.is_none() && expect.callout_calls.is_none() {
        return None;
    }
    if ctx.endpoint.is_none() {
        at.fail(ctx, "callout-request", "an auth callout service", "no auth endpoint is running");
        return None;
    }
    let arrived = match &expect.callout_request {
        Some(m) => await_request(ctx, at, m.get_ref(), marks, within).await,
        None => None,
    };
    if let (Some(range), Some(endpoint)) = (&expect.callout_calls, ctx.endpoint.as_ref()) {
        let min = range.min.unwrap_or(0) as usize;
        let n = (endpoint.wait_callout_count(marks.callout + min, within).await - marks.callout) as u64;
        if !range.contains(n) {
            at.fail(
                ctx,
                "callout-calls",
                format!("{range} authorization requests to the callout service"),
                n.to_string(),
            );
        }
    }
    arrived
}

async fn await_request(
    ctx: &mut PhaseCtx<'_>,
    at: At<'_>,
    m: &CalloutRequestMatch,
    marks: Marks,
    within: Duration,
) -> Option<Instant> {
    let wanted: Vec<Wanted> = m
        .fields()
        .into_iter()
        .map(|(key, f)| {
            let want = match f.get_ref() {
                FieldMatch::Equals(text) => {
                    FieldMatch::Equals(crate::render::render(text, &[&*ctx]).unwrap_or_else(|_| text.clone()))
                }
                other => other.clone(),
            };
            Wanted { key, want }
        })
        .collect();
    let name = at.client.map(|n| ctx.clients.get(n).and_then(|c| c.spec.name.clone()).unwrap_or_else(|| n.to_string()));
    let endpoint = ctx.endpoint.as_ref()?;
    let ours = |r: &CalloutRequestSeen| name.as_deref().is_none_or(|n| r.client_name() == Some(n));
    let deadline = Instant::now() + within;
    let found = loop {
        let count = endpoint.callout_count();
        if let Some(r) = endpoint
            .callout_requests_since(marks.callout)
            .into_iter()
            .find(|r| ours(r) && wanted.iter().all(|w| w.holds(r)))
        {
            break Some(r);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || endpoint.wait_callout_count(count + 1, left).await <= count {
            break None;
        }
    };
    let all = endpoint.callout_requests_since(marks.callout);
    let who = name.as_deref().map_or("any client".to_string(), |n| format!("client `{n}`"));
    match found {
        Some(r) => {
            let fields = describe_seen(&wanted, &r);
            ctx.observe(Some(at.index), at.client, ObservationKind::CalloutRequest { fields });
            Some(Instant::now())
        }
        None => {
            let expected: Vec<String> = wanted.iter().map(Wanted::describe).collect();
            let expected = format!("an authorization request from {who} with {}", expected.join(", "));
            let mine: Vec<String> = all.iter().filter(|r| ours(r)).map(|r| describe_seen(&wanted, r)).collect();
            let observed = if mine.is_empty() {
                let others = all.len();
                format!(
                    "no authorization request from {who} within {} ({others} from other clients)",
                    super::check::show(within)
                )
            } else {
                mine.join(" | ")
            };
            at.fail(ctx, "callout-request", expected, observed);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::SeenValue;

    fn seen() -> CalloutRequestSeen {
        let mut s = CalloutRequestSeen::new(2);
        s.set("connect-opts.user", SeenValue::plain("app"));
        s.set("connect-opts.pass", SeenValue::secret("hunter22"));
        s
    }

    fn wanted(key: &'static str, want: FieldMatch) -> Wanted {
        Wanted { key, want }
    }

    #[test]
    fn fields_hold_or_not() {
        let s = seen();
        assert!(wanted("connect-opts.user", FieldMatch::Equals("app".into())).holds(&s));
        assert!(wanted("connect-opts.pass", FieldMatch::Equals("hunter22".into())).holds(&s));
        assert!(!wanted("connect-opts.pass", FieldMatch::Equals("hunter23".into())).holds(&s));
        assert!(wanted("connect-opts.auth-token", FieldMatch::Absent).holds(&s));
        assert!(!wanted("connect-opts.auth-token", FieldMatch::Present).holds(&s));
    }

    #[test]
    fn reports_never_show_a_secret() {
        let s = seen();
        let w = [
            wanted("connect-opts.auth-token", FieldMatch::Present),
            wanted("connect-opts.pass", FieldMatch::Equals("hunter23".into())),
            wanted("connect-opts.user", FieldMatch::Equals("app".into())),
        ];
        let shown = describe_seen(&w, &s);
        assert_eq!(
            shown,
            "request 2: connect-opts.auth-token absent, connect-opts.pass present (<redacted>) (another value), \
             connect-opts.user `app`"
        );
        assert_eq!(w[1].describe(), "connect-opts.pass `<redacted>`");
        assert!(!shown.contains("hunter"));
    }
}
