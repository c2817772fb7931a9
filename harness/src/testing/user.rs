//! A user of a [`super::TestServer`]: its account and permissions.

/// One user: the account it belongs to and what it may publish and subscribe to (nothing given:
/// everything).
///
/// ```
/// use natsfault::testing::TestUser;
/// let u = TestUser::new("APP").publish(["orders.>"]).subscribe(["orders.>", "_INBOX.>"]).deny_publish(["orders.secret"]);
/// assert_eq!(u.account, "APP");
/// assert_eq!(u.publish, ["orders.>"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct TestUser {
    /// The account.
    pub account: String,
    /// Subjects it may publish to (empty: all).
    pub publish: Vec<String>,
    /// Subjects it may subscribe to (empty: all).
    pub subscribe: Vec<String>,
    /// Subjects it may not publish to.
    pub deny_publish: Vec<String>,
    /// Subjects it may not subscribe to.
    pub deny_subscribe: Vec<String>,
}

fn strings<S: Into<String>>(v: impl IntoIterator<Item = S>) -> Vec<String> {
    v.into_iter().map(Into::into).collect()
}

impl TestUser {
    /// A user of `account` with every permission.
    pub fn new(account: impl Into<String>) -> TestUser {
        TestUser { account: account.into(), ..TestUser::default() }
    }

    /// Allows publishing to these subjects only.
    pub fn publish<S: Into<String>>(mut self, subjects: impl IntoIterator<Item = S>) -> TestUser {
        self.publish = strings(subjects);
        self
    }

    /// Allows subscribing to these subjects only.
    pub fn subscribe<S: Into<String>>(mut self, subjects: impl IntoIterator<Item = S>) -> TestUser {
        self.subscribe = strings(subjects);
        self
    }

    /// Denies publishing to these subjects.
    pub fn deny_publish<S: Into<String>>(mut self, subjects: impl IntoIterator<Item = S>) -> TestUser {
        self.deny_publish = strings(subjects);
        self
    }

    /// Denies subscribing to these subjects.
    pub fn deny_subscribe<S: Into<String>>(mut self, subjects: impl IntoIterator<Item = S>) -> TestUser {
        self.deny_subscribe = strings(subjects);
        self
    }
}
