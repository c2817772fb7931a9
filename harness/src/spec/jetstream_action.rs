//! The JetStream, key-value and object store actions: their names, what each needs in its `js`
//! table, and the error kinds async-nats reports for them.

use super::jetstream::JsArgs;
use super::problem::Problem;
use super::step::{Action, Step};
use super::subject::check_subject;

/// Error kinds of async-nats' `jetstream` operations a scenario may expect, next to
/// [`super::ERROR_KINDS`]: `JetStream` is an API error (with `api-error`), `TimedOut` a request
/// nobody answered in time (a refused publish, a refused inbox), `NoResponders` no JetStream in
/// the account, `StreamNotFound` a publish no stream took, `NotFound` a key or object missing.
pub const JS_ERROR_KINDS: &[&str] = &[
    "JetStream",
    "JetStreamUnavailable",
    "StreamNotFound",
    "NotFound",
    "Request",
    "Response",
    "GetBucket",
    "GetStore",
    "BucketCreate",
    "InvalidStoreName",
    "InvalidName",
    "BrokenPipe",
    "Ack",
    "Publish",
];

/// What an action needs in its `js` table.
struct Needs {
    name: &'static str,
    stream: bool,
    consumer: bool,
    bucket: bool,
    key: bool,
}

const fn needs(name: &'static str, stream: bool, consumer: bool, bucket: bool, key: bool) -> Needs {
    Needs { name, stream, consumer, bucket, key }
}

fn table(a: Action) -> Option<Needs> {
    Some(match a {
        Action::JsAccountInfo => needs("js-account-info", false, false, false, false),
        Action::JsAddStream => needs("js-add-stream", true, false, false, false),
        Action::JsUpdateStream => needs("js-update-stream", true, false, false, false),
        Action::JsDeleteStream => needs("js-delete-stream", true, false, false, false),
        Action::JsAddConsumer => needs("js-add-consumer", true, false, false, false),
        Action::JsPublish => needs("js-publish", false, false, false, false),
        Action::JsFetch => needs("js-fetch", true, true, false, false),
        Action::JsNext => needs("js-next", true, true, false, false),
        Action::JsReceive => needs("js-receive", true, true, false, false),
        Action::JsAck => needs("js-ack", false, false, false, false),
        Action::KvCreate => needs("kv-create", false, false, true, false),
        Action::KvPut => needs("kv-put", false, false, true, true),
        Action::KvGet => needs("kv-get", false, false, true, true),
        Action::KvDelete => needs("kv-delete", false, false, true, true),
        Action::KvWatch => needs("kv-watch", false, false, true, true),
        Action::ObjCreate => needs("obj-create", false, false, true, false),
        Action::ObjPut => needs("obj-put", false, false, true, true),
        Action::ObjGet => needs("obj-get", false, false, true, true),
        _ => return None,
    })
}

/// The scenario-file name of a JetStream action; `None` for the others.
pub fn name(a: Action) -> Option<&'static str> {
    table(a).map(|n| n.name)
}

/// Whether `a` is a JetStream, key-value or object store action.
pub fn is_js(a: Action) -> bool {
    table(a).is_some()
}

/// Whether `d` can be the middle token of `$JS.DOMAIN.API`.
fn is_domain(d: &str) -> bool {
    !d.is_empty() && !d.chars().any(|c| c == '.' || c == '*' || c == '>' || c.is_whitespace())
}

/// Why `d` is not a domain.
fn domain_message(d: &str) -> String {
    let found = if d.is_empty() { "an empty one".to_string() } else { format!("`{d}`") };
    format!("expected a JetStream domain of one subject token, found {found}")
}

/// The problems of a step's `js` table: a JetStream action without what it acts on, a `js` on
/// another action, a subject that is not one.
pub(super) fn check_js(src: &str, step: &Step, out: &mut Vec<Problem>) {
    let action = *step.action.get_ref();
    let at = step.action.span();
    let Some(n) = table(action) else {
        if let Some(js) = &step.js {
            out.push(Problem::new(src, js.span(), format!("`{}` takes no `js`", action.as_str())).label("remove this"));
        }
        return;
    };
    let empty = JsArgs::default();
    let js = step.js.as_ref().map_or(&empty, |j| j.get_ref());
    let missing: Vec<&str> = [
        (n.stream && js.stream.is_none(), "stream"),
        (n.consumer && js.consumer.is_none(), "consumer"),
        (n.bucket && js.bucket.is_none(), "bucket"),
        (n.key && js.key.is_none(), "key"),
    ]
    .into_iter()
    .filter_map(|(m, k)| m.then_some(k))
    .collect();
    if !missing.is_empty() {
        let keys: Vec<String> = missing.iter().map(|k| format!("{k} = \"...\"")).collect();
        out.push(
            Problem::new(src, at.clone(), format!("`{}` needs `js.{}`", n.name, missing.join("`, `js.")))
                .label("this step")
                .help(format!("e.g. `js = {{ {} }}`", keys.join(", "))),
        );
    }
    if let Some(d) = &js.domain
        && !is_domain(d.get_ref())
    {
        out.push(
            Problem::new(src, d.span(), domain_message(d.get_ref()))
                .label("one subject token")
                .help("a domain is one token of `$JS.DOMAIN.API`: not empty, no `.`, `*`, `>` or whitespace, e.g. `domain = \"hub\"`"),
        );
    }
    for s in &js.subjects {
        if let Err(e) = check_subject(s.get_ref(), true) {
            out.push(Problem::new(src, s.span(), e.to_string()).label("invalid subject"));
        }
    }
    for s in [&js.filter, &js.deliver_subject].into_iter().flatten() {
        let wild = js.filter.as_ref().is_some_and(|f| std::ptr::eq(f, s));
        if let Err(e) = check_subject(s.get_ref(), wild) {
            out.push(Problem::new(src, s.span(), e.to_string()).label("invalid subject"));
        }
    }
}
