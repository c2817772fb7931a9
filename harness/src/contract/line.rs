//! One line of a contract: `publish orders.created -> billing`, `subscribe orders.>`,
//! `queue orders.work workers`, `request inventory.check -> inventory`, `connect`,
//! `reply inventory.check x2`, and the JetStream lines ([`JsLine`]).

use std::fmt;

use crate::spec::check_subject;

/// What a line does.
///
/// ```
/// use natsfault::contract::{Verb, parse_line};
/// let (verb, subject, to) = parse_line("queue orders.work workers").unwrap();
/// assert_eq!(verb, Verb::Queue("workers".into()));
/// assert_eq!((subject.as_str(), to), ("orders.work", None));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Connect (a line of its own only in `cannot`: every identity connects).
    Connect,
    /// Publish to a subject (no wildcards).
    Publish,
    /// Subscribe to a subject (wildcards allowed).
    Subscribe,
    /// Subscribe in a queue group.
    Queue(String),
    /// Send a request and get a reply (no wildcards).
    Request,
    /// A JetStream, key-value or object store operation through async-nats' API.
    Js(JsLine),
    /// Answer one request on a subject `count` times, each after `after` (`reply SUBJECT x2`,
    /// `reply SUBJECT after 2s`): what `allow_responses { max, expires }` permits.
    Reply {
        /// How many replies to send.
        count: u32,
        /// How long to wait before replying.
        after: std::time::Duration,
    },
}

/// A JetStream line: `stream create ORDERS orders.>`, `stream info ORDERS`, `consumer create
/// ORDERS worker`, `js-publish orders.created` (its ack from the stream), `fetch ORDERS worker`,
/// `ack ORDERS worker` (what the fetch got),
/// `kv create fleet`, `kv get fleet dev.001`, `kv put fleet dev.001`, `kv watch fleet`,
/// `object create files`, `object get files a.txt`, `object put files a.txt`.
///
/// ```
/// use natsfault::contract::{JsLine, Verb, parse_line};
/// let (verb, _, _) = parse_line("consumer create ORDERS worker").unwrap();
/// assert_eq!(verb, Verb::Js(JsLine::ConsumerCreate { stream: "ORDERS".into(), consumer: "worker".into() }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsLine {
    /// Create a stream (on the subjects given, or its name lowercased with `.>`).
    StreamCreate {
        /// The stream.
        stream: String,
        /// Its subjects.
        subjects: Vec<String>,
    },
    /// A stream's info.
    StreamInfo {
        /// The stream.
        stream: String,
    },
    /// Create a durable pull consumer.
    ConsumerCreate {
        /// The stream.
        stream: String,
        /// The consumer.
        consumer: String,
    },
    /// Publish to a stream's subject and get its ack.
    Publish {
        /// The subject.
        subject: String,
    },
    /// Fetch one message from a pull consumer (left unacknowledged for an `ack` line).
    Fetch {
        /// The stream.
        stream: String,
        /// The consumer.
        consumer: String,
    },
    /// Acknowledge what the identity fetched from the consumer, waiting for the server to
    /// confirm (a double ack).
    Ack {
        /// The stream.
        stream: String,
        /// The consumer.
        consumer: String,
    },
    /// Get a key.
    KvGet {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// Put a key.
    KvPut {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// Create a key-value bucket (file storage, as a service's is).
    KvCreate {
        /// The bucket.
        bucket: String,
    },
    /// Create an object store bucket (file storage).
    ObjectCreate {
        /// The bucket.
        bucket: String,
    },
    /// Watch a bucket.
    KvWatch {
        /// The bucket.
        bucket: String,
    },
    /// Get an object.
    ObjectGet {
        /// The bucket.
        bucket: String,
        /// The object.
        name: String,
    },
    /// Put an object.
    ObjectPut {
        /// The bucket.
        bucket: String,
        /// The object.
        name: String,
    },
}

impl JsLine {
    /// Reads the words of a JetStream line, or `None` when they are not one.
    fn parse(words: &[&str]) -> Option<Result<JsLine, LineParseError>> {
        let bad = |found: &[&str]| Some(Err(LineParseError::Js { found: found.join(" ") }));
        let name_ok = |n: &str| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let line = match words {
            ["stream", "create", stream, subjects @ ..] if name_ok(stream) => JsLine::StreamCreate {
                stream: (*stream).into(),
                subjects: subjects.iter().map(|s| s.to_string()).collect(),
            },
            ["stream", "info", stream] if name_ok(stream) => JsLine::StreamInfo { stream: (*stream).into() },
            ["consumer", "create", stream, consumer] if name_ok(stream) && name_ok(consumer) => {
                JsLine::ConsumerCreate { stream: (*stream).into(), consumer: (*consumer).into() }
            }
            ["js-publish", subject] => JsLine::Publish { subject: (*subject).into() },
            ["fetch", stream, consumer] if name_ok(stream) && name_ok(consumer) => {
                JsLine::Fetch { stream: (*stream).into(), consumer: (*consumer).into() }
            }
            ["ack", stream, consumer] if name_ok(stream) && name_ok(consumer) => {
                JsLine::Ack { stream: (*stream).into(), consumer: (*consumer).into() }
            }
            ["kv", "get", bucket, key] if name_ok(bucket) => {
                JsLine::KvGet { bucket: (*bucket).into(), key: (*key).into() }
            }
            ["kv", "put", bucket, key] if name_ok(bucket) => {
                JsLine::KvPut { bucket: (*bucket).into(), key: (*key).into() }
            }
            ["kv", "watch", bucket] if name_ok(bucket) => JsLine::KvWatch { bucket: (*bucket).into() },
            ["kv", "create", bucket] if name_ok(bucket) => JsLine::KvCreate { bucket: (*bucket).into() },
            ["object", "create", bucket] if name_ok(bucket) => JsLine::ObjectCreate { bucket: (*bucket).into() },
            ["object", "get", bucket, name] if name_ok(bucket) => {
                JsLine::ObjectGet { bucket: (*bucket).into(), name: (*name).into() }
            }
            ["object", "put", bucket, name] if name_ok(bucket) => {
                JsLine::ObjectPut { bucket: (*bucket).into(), name: (*name).into() }
            }
            [first, ..] if ["stream", "consumer", "js-publish", "fetch", "ack", "kv", "object"].contains(first) => {
                return bad(words);
            }
            _ => return None,
        };
        Some(Ok(line))
    }
}

impl Verb {
    /// The word a contract writes.
    pub fn word(&self) -> &'static str {
        match self {
            Verb::Connect => "connect",
            Verb::Publish => "publish",
            Verb::Subscribe => "subscribe",
            Verb::Queue(_) => "queue",
            Verb::Request => "request",
            Verb::Js(_) => "jetstream",
            Verb::Reply { .. } => "reply",
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A line that does not read.
///
/// ```
/// use natsfault::contract::parse_line;
/// assert_eq!(parse_line("publish a.*").unwrap_err().to_string(),
///            "expected a subject without wildcards after `publish`, found `a.*`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineParseError {
    /// The first word is not an operation.
    #[error(
        "unknown operation `{0}`; expected `publish`, `subscribe`, `queue`, `request`, `connect`, or a JetStream line (`stream`, `consumer`, `js-publish`, `fetch`, `kv`, `object`)"
    )]
    UnknownVerb(String),
    /// The line is empty.
    #[error("expected an operation and a subject, e.g. `publish orders.created`, found an empty line")]
    Empty,
    /// The subject is missing or malformed.
    #[error("expected a subject after `{verb}`, found {found}")]
    Subject {
        /// The operation.
        verb: &'static str,
        /// What was there, quoted, and why it is not a subject.
        found: String,
    },
    /// A subject longer than a server's control line takes: the server answers
    /// `-ERR 'Maximum Control Line Exceeded'` and closes the connection, which the identity's
    /// other lines share.
    #[error(
        "the subject after `{verb}` has {len} bytes; expected at most {MAX_SUBJECT_BYTES} (nats-server's control line is 4096 bytes, with the operation, reply subject and size)"
    )]
    TooLong {
        /// The operation.
        verb: &'static str,
        /// The subject's length.
        len: usize,
    },
    /// A JetStream line that does not read.
    #[error(
        "expected a JetStream line (`stream create NAME [SUBJECTS]`, `stream info NAME`, `consumer create STREAM NAME`, `js-publish SUBJECT`, `fetch STREAM CONSUMER`, `ack STREAM CONSUMER`, `kv create BUCKET`, `kv get|put BUCKET KEY`, `kv watch BUCKET`, `object create BUCKET`, `object get|put BUCKET NAME`), found `{found}`"
    )]
    Js {
        /// The line.
        found: String,
    },
    /// A wildcard where a concrete subject is needed.
    #[error("expected a subject without wildcards after `{verb}`, found `{subject}`")]
    Wildcard {
        /// The operation.
        verb: &'static str,
        /// The subject.
        subject: String,
    },
    /// Words that do not fit the operation.
    #[error("expected {expected} after `{verb} {subject}`, found `{found}`")]
    Trailing {
        /// The operation.
        verb: &'static str,
        /// The subject.
        subject: String,
        /// What may follow.
        expected: &'static str,
        /// What followed.
        found: String,
    },
}

/// The longest subject a line takes, in bytes: what fits in nats-server's 4096-byte control line
/// beside `HPUB`, a reply subject and sizes.
///
/// ```
/// use natsfault::contract::{LineParseError, parse_line};
/// let long = format!("publish {}", "a".repeat(5000));
/// assert!(matches!(parse_line(&long), Err(LineParseError::TooLong { len: 5000, .. })));
/// ```
pub const MAX_SUBJECT_BYTES: usize = 3900;

/// `reply SUBJECT [xN] [after DURATION]`.
fn parse_reply(rest: &[&str]) -> Result<(Verb, String, Option<String>), LineParseError> {
    let Some((&subject, mut more)) = rest.split_first() else {
        return Err(LineParseError::Subject { verb: "reply", found: "nothing".into() });
    };
    check_subject(subject, false)
        .map_err(|e| LineParseError::Subject { verb: "reply", found: format!("`{subject}` ({e})") })?;
    let (mut count, mut after) = (1, std::time::Duration::ZERO);
    let trailing = |found: &[&str]| LineParseError::Trailing {
        verb: "reply",
        subject: subject.into(),
        expected: "`xN` (replies per request) or `after DURATION`",
        found: found.join(" "),
    };
    while let Some((&word, next)) = more.split_first() {
        match (word, next) {
            (w, _) if w.starts_with('x') && w[1..].parse::<u32>().is_ok_and(|n| (1..=100).contains(&n)) => {
                count = w[1..].parse().unwrap_or(1);
                more = next;
            }
            ("after", [d, tail @ ..]) => {
                let parsed: crate::spec::Dur = d.parse().map_err(|_| trailing(more))?;
                if parsed.0 > std::time::Duration::from_secs(60) {
                    return Err(trailing(more));
                }
                after = parsed.0;
                more = tail;
            }
            _ => return Err(trailing(more)),
        }
    }
    Ok((Verb::Reply { count, after }, subject.into(), None))
}

/// Reads a line into its operation, subject and the identity that must receive (`-> NAME`).
pub fn parse_line(text: &str) -> Result<(Verb, String, Option<String>), LineParseError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((&first, rest)) = words.split_first() else { return Err(LineParseError::Empty) };
    if let Some(js) = JsLine::parse(&words) {
        let js = js?;
        return Ok((Verb::Js(js), words[1..].join(" "), None));
    }
    if first == "reply" {
        return parse_reply(rest);
    }
    let verb = match first {
        "connect" if rest.is_empty() => return Ok((Verb::Connect, String::new(), None)),
        "connect" => {
            return Err(LineParseError::Trailing {
                verb: "connect",
                subject: String::new(),
                expected: "nothing",
                found: rest.join(" "),
            });
        }
        "publish" | "pub" => Verb::Publish,
        "subscribe" | "sub" => Verb::Subscribe,
        "queue" => Verb::Queue(String::new()),
        "request" | "req" => Verb::Request,
        other => return Err(LineParseError::UnknownVerb(other.to_string())),
    };
    let word = verb.word();
    let Some((&subject, rest)) = rest.split_first() else {
        return Err(LineParseError::Subject { verb: word, found: "nothing".into() });
    };
    if subject.len() > MAX_SUBJECT_BYTES {
        return Err(LineParseError::TooLong { verb: word, len: subject.len() });
    }
    check_subject(subject, true)
        .map_err(|e| LineParseError::Subject { verb: word, found: format!("`{subject}` ({e})") })?;
    if matches!(verb, Verb::Publish | Verb::Request) && subject.split('.').any(|t| t == "*" || t == ">") {
        return Err(LineParseError::Wildcard { verb: word, subject: subject.into() });
    }
    let trailing = |expected, found: &[&str]| LineParseError::Trailing {
        verb: word,
        subject: subject.into(),
        expected,
        found: found.join(" "),
    };
    match (verb, rest) {
        (Verb::Queue(_), [group]) => Ok((Verb::Queue((*group).to_string()), subject.into(), None)),
        (Verb::Queue(_), other) => Err(trailing("a queue group name", other)),
        (v @ (Verb::Publish | Verb::Request), ["->", to]) => Ok((v, subject.into(), Some((*to).to_string()))),
        (v @ (Verb::Publish | Verb::Request), []) => Ok((v, subject.into(), None)),
        (Verb::Publish | Verb::Request, other) => Err(trailing("`-> IDENTITY` or nothing", other)),
        (v, []) => Ok((v, subject.into(), None)),
        (_, other) => Err(trailing("nothing", other)),
    }
}
