//! The `js` table of a JetStream, key-value or object store step: which stream, consumer,
//! bucket or key it acts on.

use serde::Deserialize;
use toml::Spanned;

/// Where a stream keeps its messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StorageKind {
    /// In memory (the default here: nothing is written to disk).
    #[default]
    Memory,
    /// In files, under the server's store directory (inside the phase's sandbox).
    File,
}

/// What a JetStream step acts on, `js = { ... }`.
///
/// ```toml
/// [[steps]]
/// do = "js-add-consumer"
/// client = "worker"
/// js = { stream = "ORDERS", consumer = "worker", filter = "orders.new" }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct JsArgs {
    /// The stream (`js-add-stream`, `js-update-stream`, `js-delete-stream`, the consumer steps).
    pub stream: Option<Spanned<String>>,
    /// A stream's subjects (`js-add-stream`, `js-update-stream`).
    #[serde(default)]
    pub subjects: Vec<Spanned<String>>,
    /// A stream's or a bucket's storage (default `memory`).
    pub storage: Option<StorageKind>,
    /// The consumer's name: durable unless `ephemeral = true`; without it `js-add-consumer`
    /// makes an unnamed ephemeral consumer (`$JS.API.CONSUMER.CREATE.STREAM`).
    pub consumer: Option<Spanned<String>>,
    /// The named consumer is ephemeral (`name` instead of `durable_name`).
    pub ephemeral: Option<bool>,
    /// A consumer's filter subject; async-nats appends it to the create subject.
    pub filter: Option<Spanned<String>>,
    /// A push consumer's deliver subject; without it the consumer is a pull consumer.
    pub deliver_subject: Option<Spanned<String>>,
    /// How many messages `js-fetch` asks for (default 1).
    pub batch: Option<u32>,
    /// A key-value or object store bucket.
    pub bucket: Option<Spanned<String>>,
    /// A key (key-value) or an object name (object store).
    pub key: Option<Spanned<String>>,
    /// The JetStream domain the step's API requests go to (`$JS.DOMAIN.API` instead of
    /// `$JS.API`), async-nats `ContextBuilder::domain`.
    pub domain: Option<Spanned<String>>,
}

impl JsArgs {
    /// A text field's value.
    fn text(f: &Option<Spanned<String>>) -> Option<&str> {
        f.as_ref().map(|s| s.get_ref().as_str())
    }

    /// The stream, if given.
    pub fn stream(&self) -> Option<&str> {
        Self::text(&self.stream)
    }

    /// The consumer name, if given.
    pub fn consumer(&self) -> Option<&str> {
        Self::text(&self.consumer)
    }

    /// The filter subject, if given.
    pub fn filter(&self) -> Option<&str> {
        Self::text(&self.filter)
    }

    /// The deliver subject, if given.
    pub fn deliver_subject(&self) -> Option<&str> {
        Self::text(&self.deliver_subject)
    }

    /// The bucket, if given.
    pub fn bucket(&self) -> Option<&str> {
        Self::text(&self.bucket)
    }

    /// The key, if given.
    pub fn key(&self) -> Option<&str> {
        Self::text(&self.key)
    }

    /// The JetStream domain, if given.
    pub fn domain(&self) -> Option<&str> {
        Self::text(&self.domain)
    }

    /// The stream's subjects.
    pub fn subjects(&self) -> Vec<String> {
        self.subjects.iter().map(|s| s.get_ref().clone()).collect()
    }
}
