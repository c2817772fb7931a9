//! A driver program as a [`ClientDriver`]: started per connection, in its own process group,
//! every answer awaited within a bound, killed (with anything it started) when dropped.

use std::collections::{HashMap, HashSet, VecDeque};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::protocol::{ConnectRequest, DriverLine, JsCall, Request};
use crate::client::driver::api::{ClientDriver, DriverError, DriverResult};
use crate::client::driver::{ConnectTarget, DriverProgram};
use crate::client::jetstream::ApiError;
use crate::client::{ClientFailure, Received};
use crate::observe::Timeline;
use crate::spec::Library;

/// How much longer than the library's own timeout a driver may take to answer.
pub const OP_GRACE: Duration = Duration::from_secs(3);
/// How long a driver may take to start and say `hello`.
const HELLO_WITHIN: Duration = Duration::from_secs(5);
/// How long an operation without a timeout of its own may take.
const OP_WITHIN: Duration = Duration::from_secs(5);
/// How much of the driver's stderr a failure quotes.
const STDERR_TAIL: usize = 2000;

/// What the reader task hands over.
enum FromDriver {
    Hello { library: String, version: String },
    Reply(Box<DriverLine>),
    Bad(String),
}

/// A running driver program with one connection.
pub struct LineDriver {
    library: Library,
    version: String,
    child: Child,
    stdin: ChildStdin,
    from: mpsc::UnboundedReceiver<FromDriver>,
    messages: mpsc::UnboundedReceiver<(String, Received)>,
    inbox: HashMap<String, VecDeque<Received>>,
    subs: HashSet<String>,
    next_id: u64,
    stderr: Arc<Mutex<String>>,
    request_timeout: Duration,
    tasks: Vec<JoinHandle<()>>,
}

impl LineDriver {
    /// Starts `program` and connects `target` through it.
    pub async fn connect(program: &DriverProgram, target: &ConnectTarget<'_>) -> DriverResult<LineDriver> {
        let request = ConnectRequest::new(target).map_err(DriverError::Harness)?;
        let mut driver = LineDriver::spawn(program, target.events.clone())?;
        driver.request_timeout = Duration::from_millis(request.request_timeout_ms);
        let bound = Duration::from_millis(request.connect_timeout_ms) + OP_GRACE;
        let bound = if request.retry_on_initial_connect { OP_WITHIN } else { bound };
        driver.call("connect", Request::Connect(Box::new(request)), bound).await?;
        Ok(driver)
    }

    /// Starts the program and waits for its `hello`.
    fn spawn(program: &DriverProgram, events: Timeline<String>) -> DriverResult<LineDriver> {
        let library = program.library;
        let mut child = Command::new(&program.program)
            .args(&program.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .map_err(|e| {
                DriverError::Harness(format!("the {library} driver `{}` did not start: {e}", program.program.display()))
            })?;
        let (Some(stdin), Some(stdout), Some(mut err)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(DriverError::Harness(format!("the {library} driver has no stdin, stdout or stderr")));
        };
        let (tx, from) = mpsc::unbounded_channel();
        let (mtx, messages) = mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let Ok(l) = serde_json::from_str::<DriverLine>(&line) else {
                    let _ = tx.send(FromDriver::Bad(line));
                    continue;
                };
                match l.event.as_deref() {
                    None => {
                        let _ = tx.send(FromDriver::Reply(Box::new(l)));
                    }
                    Some("hello") => {
                        let _ = tx.send(FromDriver::Hello {
                            library: l.library.unwrap_or_default(),
                            version: l.version.unwrap_or_default(),
                        });
                    }
                    Some("message") => {
                        let sub = l.sub.clone().or(l.subject.clone()).unwrap_or_default();
                        let r =
                            Received { subject: l.subject.unwrap_or_default(), payload: l.payload.unwrap_or_default() };
                        let _ = mtx.send((sub, r));
                    }
                    Some(_) => {
                        if let Some(e) = l.render_event() {
                            events.push(e);
                        }
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&stderr);
        let err_reader = tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            while let Ok(n) = err.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap_or_else(|p| p.into_inner());
                t.push_str(&String::from_utf8_lossy(&buf[..n]));
                if t.len() > 4 * STDERR_TAIL {
                    let cut = t.len() - STDERR_TAIL;
                    let cut = (cut..t.len()).find(|i| t.is_char_boundary(*i)).unwrap_or(t.len());
                    t.drain(..cut);
                }
            }
        });
        Ok(LineDriver {
            library,
            version: String::new(),
            child,
            stdin,
            from,
            messages,
            inbox: HashMap::new(),
            subs: HashSet::new(),
            next_id: 1,
            stderr,
            request_timeout: crate::client::DEFAULT_REQUEST_TIMEOUT,
            tasks: vec![reader, err_reader],
        })
    }

    /// Sends `request` and waits up to `bound` for its answer; the first call also waits for the
    /// driver's `hello`.
    async fn call(&mut self, op: &'static str, request: Request, bound: Duration) -> DriverResult<DriverLine> {
        if self.version.is_empty() {
            match tokio::time::timeout(HELLO_WITHIN, self.from.recv()).await {
                Ok(Some(FromDriver::Hello { library, version })) => {
                    if library != self.library.as_str() {
                        return Err(self.broken(format!("said hello as `{library}`")).await);
                    }
                    crate::client::driver::remember_version(self.library, &version);
                    self.version = version;
                }
                Ok(Some(FromDriver::Reply(_))) => return Err(self.broken("answered before its `hello`".into()).await),
                Ok(Some(FromDriver::Bad(line))) => {
                    return Err(self.broken(format!("wrote `{}`, not a JSON line", clip(&line))).await);
                }
                Ok(None) => return Err(self.exited(op).await),
                Err(_) => return Err(self.hung("hello", HELLO_WITHIN).await),
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        let mut line = match serde_json::to_value(&request) {
            Ok(v) => v,
            Err(e) => return Err(DriverError::Harness(format!("encode `{op}`: {e}"))),
        };
        line["id"] = id.into();
        let text = format!("{line}\n");
        if self.stdin.write_all(text.as_bytes()).await.is_err() || self.stdin.flush().await.is_err() {
            return Err(self.exited(op).await);
        }
        loop {
            match tokio::time::timeout(bound, self.from.recv()).await {
                Ok(Some(FromDriver::Reply(l))) if l.id == Some(id) => {
                    return match (l.ok, &l.error) {
                        (Some(true), _) => Ok(*l),
                        (_, Some(e)) => Err(DriverError::Client(ClientFailure {
                            op,
                            kind: e.kind.clone(),
                            message: e.message.clone(),
                            api: e.api.as_ref().map(|a| ApiError {
                                code: a.code,
                                err_code: a.err_code,
                                description: a.description.clone(),
                            }),
                        })),
                        _ => Err(self.broken(format!("answered `{op}` with neither `ok` nor an `error`")).await),
                    };
                }
                Ok(Some(FromDriver::Reply(_))) => continue,
                Ok(Some(FromDriver::Hello { .. })) => continue,
                Ok(Some(FromDriver::Bad(line))) => {
                    return Err(self.broken(format!("wrote `{}`, not a JSON line", clip(&line))).await);
                }
                Ok(None) => return Err(self.exited(op).await),
                Err(_) => return Err(self.hung(op, bound).await),
            }
        }
    }

    /// The driver's stdout closed: it exited (or closed it). Quotes its status and stderr.
    async fn exited(&mut self, op: &str) -> DriverError {
        let status = match tokio::time::timeout(Duration::from_secs(1), self.child.wait()).await {
            Ok(Ok(s)) => s.to_string(),
            _ => {
                self.kill();
                "its output closed; it was killed".into()
            }
        };
        DriverError::Harness(format!(
            "the {} driver exited during `{op}` ({status}){}",
            self.library,
            self.stderr_tail()
        ))
    }

    /// No answer within `bound`: the driver is killed.
    async fn hung(&mut self, op: &str, bound: Duration) -> DriverError {
        self.kill();
        let _ = tokio::time::timeout(Duration::from_secs(1), self.child.wait()).await;
        DriverError::Harness(format!(
            "the {} driver did not answer `{op}` within {}; it was killed{}",
            self.library,
            show(bound),
            self.stderr_tail()
        ))
    }

    /// The driver broke the protocol: it is killed.
    async fn broken(&mut self, what: String) -> DriverError {
        self.kill();
        let _ = tokio::time::timeout(Duration::from_secs(1), self.child.wait()).await;
        DriverError::Harness(format!("the {} driver {what}; it was killed{}", self.library, self.stderr_tail()))
    }

    fn stderr_tail(&self) -> String {
        let t = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        let t = t.trim();
        if t.is_empty() {
            return String::new();
        }
        let start = t.len().saturating_sub(STDERR_TAIL);
        let start = (start..t.len()).find(|i| t.is_char_boundary(*i)).unwrap_or(0);
        format!(": stderr: {}", &t[start..])
    }

    /// Kills the driver's whole process group.
    fn kill(&mut self) {
        if let Some(pid) = self.child.id().and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill(2) with a negative pid signals the group the child leads (it was
            // started with `process_group(0)`); no memory is involved.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.start_kill();
    }

    /// Moves every message that arrived into the per-subscription inbox.
    fn drain(&mut self) {
        while let Ok((sub, r)) = self.messages.try_recv() {
            self.inbox.entry(sub).or_default().push_back(r);
        }
    }
}

fn show(d: Duration) -> String {
    let mut s = String::new();
    let _ = crate::spec::fmt_duration(d, &mut s);
    s
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

impl ClientDriver for LineDriver {
    fn library(&self) -> Library {
        self.library
    }

    fn version(&self) -> String {
        self.version.clone()
    }

    fn publish<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move {
            let r = Request::Publish { subject: subject.into(), payload: payload.into() };
            self.call("publish", r, OP_WITHIN).await.map(|_| ())
        })
    }

    fn subscribe<'a>(&'a mut self, subject: &'a str, queue: Option<&'a str>) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move {
            let r = Request::Subscribe { subject: subject.into(), queue: queue.map(str::to_string) };
            self.call("subscribe", r, OP_WITHIN).await?;
            self.subs.insert(subject.to_string());
            Ok(())
        })
    }

    fn respond<'a>(
        &'a mut self,
        subject: &'a str,
        queue: Option<&'a str>,
        payload: &'a str,
    ) -> BoxFuture<'a, DriverResult<()>> {
        Box::pin(async move {
            let r =
                Request::Respond { subject: subject.into(), queue: queue.map(str::to_string), payload: payload.into() };
            self.call("respond", r, OP_WITHIN).await.map(|_| ())
        })
    }

    fn request<'a>(&'a mut self, subject: &'a str, payload: &'a str) -> BoxFuture<'a, DriverResult<Received>> {
        Box::pin(async move {
            let r = Request::Request { subject: subject.into(), payload: payload.into() };
            let bound = self.request_timeout + OP_GRACE;
            let l = self.call("request", r, bound).await?;
            Ok(Received { subject: l.subject.unwrap_or_default(), payload: l.payload.unwrap_or_default() })
        })
    }

    fn jetstream<'a>(&'a mut self, op: &'static str, call: JsCall) -> BoxFuture<'a, DriverResult<Option<Received>>> {
        Box::pin(async move {
            // An operation may make a few API requests (a `kv-get` opens its bucket first) and
            // then wait for a message.
            let bound = Duration::from_millis(3 * call.timeout_ms + call.within_ms) + OP_GRACE;
            let l = self.call(op, Request::Js(Box::new(call)), bound).await?;
            Ok(l.subject.map(|subject| Received { subject, payload: l.payload.unwrap_or_default() }))
        })
    }

    fn flush(&mut self) -> BoxFuture<'_, DriverResult<()>> {
        Box::pin(async move { self.call("flush", Request::Flush, OP_WITHIN).await.map(|_| ()) })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let _ = self.call("close", Request::Close, Duration::from_secs(2)).await;
            let _ = tokio::time::timeout(Duration::from_secs(1), self.child.wait()).await;
            self.kill();
        })
    }

    fn next_message<'a>(&'a mut self, subject: &'a str, within: Duration) -> BoxFuture<'a, Option<Received>> {
        Box::pin(async move {
            let deadline = tokio::time::Instant::now() + within;
            loop {
                self.drain();
                if let Some(m) = self.inbox.get_mut(subject).and_then(VecDeque::pop_front) {
                    return Some(m);
                }
                match tokio::time::timeout_at(deadline, self.messages.recv()).await {
                    Ok(Some((sub, r))) => self.inbox.entry(sub).or_default().push_back(r),
                    Ok(None) | Err(_) => return None,
                }
            }
        })
    }

    fn pending_message(&mut self, subject: &str) -> Option<Received> {
        self.drain();
        self.inbox.get_mut(subject).and_then(VecDeque::pop_front)
    }

    fn has_subscription(&self, subject: &str) -> bool {
        self.subs.contains(subject)
    }
}

impl Drop for LineDriver {
    fn drop(&mut self) {
        self.kill();
        for t in &self.tasks {
            t.abort();
        }
    }
}
