//! The sockets a process holds, read from `/proc/<pid>/fd` and the process's own view of
//! `/proc/<pid>/net/{tcp,tcp6,udp,udp6}` (its namespace's tables): what it listens on and what
//! it is connected to, independent of what its config says.

use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The state of an audited socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketState {
    /// A TCP listener.
    Listening,
    /// A TCP connection (established, being opened or closed).
    Connected,
    /// A UDP socket.
    Datagram,
}

/// One socket of the process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditedSocket {
    /// Listening, connected or datagram.
    pub state: SocketState,
    /// Its local address.
    pub local: SocketAddr,
    /// Its peer (unspecified for listeners and unconnected datagram sockets).
    pub remote: SocketAddr,
}

/// Every TCP and UDP socket of one process.
///
/// ```
/// use natsfault::backend::{AuditedSocket, SocketAudit, SocketState};
/// let audit = SocketAudit { sockets: vec![AuditedSocket {
///     state: SocketState::Listening,
///     local: "127.0.0.1:4222".parse().unwrap(),
///     remote: "0.0.0.0:0".parse().unwrap(),
/// }] };
/// assert!(audit.loopback_only());
/// assert_eq!(audit.to_string(), "listening on 127.0.0.1:4222");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SocketAudit {
    /// The sockets, listeners first.
    pub sockets: Vec<AuditedSocket>,
}

impl SocketAudit {
    /// Sockets that are bound or connected beyond loopback: a listener on a non-loopback or
    /// wildcard address, or a peer that is not loopback.
    pub fn beyond_loopback(&self) -> Vec<&AuditedSocket> {
        self.sockets
            .iter()
            .filter(|s| {
                !s.local.ip().is_loopback() || (!s.remote.ip().is_unspecified() && !s.remote.ip().is_loopback())
            })
            .collect()
    }

    /// Whether every socket stays on loopback.
    pub fn loopback_only(&self) -> bool {
        self.beyond_loopback().is_empty()
    }

    /// The listening addresses.
    pub fn listening(&self) -> Vec<SocketAddr> {
        self.sockets.iter().filter(|s| s.state == SocketState::Listening).map(|s| s.local).collect()
    }
}

impl fmt::Display for SocketAudit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listening: Vec<String> = self.listening().iter().map(ToString::to_string).collect();
        let others: Vec<String> = self
            .sockets
            .iter()
            .filter(|s| s.state != SocketState::Listening && !s.remote.ip().is_loopback())
            .map(|s| format!("{} -> {}", s.local, s.remote))
            .collect();
        write!(f, "listening on {}", if listening.is_empty() { "nothing".into() } else { listening.join(", ") })?;
        if !others.is_empty() {
            write!(f, "; other sockets: {}", others.join(", "))?;
        }
        Ok(())
    }
}

/// Audits the sockets of process `pid`.
pub fn audit_process(pid: u32) -> std::io::Result<SocketAudit> {
    let mut inodes = HashSet::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))? {
        let Ok(link) = std::fs::read_link(entry?.path()) else { continue };
        let link = link.to_string_lossy();
        if let Some(inode) = link.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
            inodes.insert(inode.to_string());
        }
    }
    let mut sockets = Vec::new();
    for (table, udp) in [("tcp", false), ("tcp6", false), ("udp", true), ("udp6", true)] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{table}")) else { continue };
        sockets.extend(text.lines().skip(1).filter_map(|l| parse_row(l, udp, &inodes)));
    }
    sockets.sort_by_key(|s| (s.state != SocketState::Listening, s.local));
    Ok(SocketAudit { sockets })
}

/// One row of a `/proc/net/tcp`-style table, if its inode is one of the process's.
fn parse_row(line: &str, udp: bool, inodes: &HashSet<String>) -> Option<AuditedSocket> {
    let cols: Vec<&str> = line.split_whitespace().collect();
    let (local, remote, state, inode) = (cols.get(1)?, cols.get(2)?, cols.get(3)?, cols.get(9)?);
    if !inodes.contains(*inode) {
        return None;
    }
    let state = match (udp, *state) {
        (true, _) => SocketState::Datagram,
        (false, "0A") => SocketState::Listening,
        _ => SocketState::Connected,
    };
    Some(AuditedSocket { state, local: parse_addr(local)?, remote: parse_addr(remote)? })
}

/// `0100007F:1F90` (IPv4, bytes in host order) or 32 hex digits (IPv6, four host-order words).
fn parse_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(u32::from_str_radix(ip, 16).ok()?.to_ne_bytes())),
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                let word = u32::from_str_radix(&ip[i * 8..i * 8 + 8], 16).ok()?;
                chunk.copy_from_slice(&word.to_ne_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_kernel_address_forms() {
        assert_eq!(parse_addr("0100007F:1F90"), Some("127.0.0.1:8080".parse().unwrap()));
        assert_eq!(parse_addr("00000000:0000"), Some("0.0.0.0:0".parse().unwrap()));
        assert_eq!(parse_addr("00000000000000000000000001000000:0016"), Some("[::1]:22".parse().unwrap()));
        assert_eq!(parse_addr("zz:1"), None);
    }

    #[test]
    fn a_wildcard_listener_or_a_remote_peer_is_beyond_loopback() {
        let s = |state, local: &str, remote: &str| AuditedSocket {
            state,
            local: local.parse().unwrap(),
            remote: remote.parse().unwrap(),
        };
        let audit = SocketAudit {
            sockets: vec![
                s(SocketState::Listening, "127.0.0.1:4222", "0.0.0.0:0"),
                s(SocketState::Listening, "0.0.0.0:8080", "0.0.0.0:0"),
                s(SocketState::Connected, "127.0.0.1:5000", "127.0.0.2:80"),
            ],
        };
        assert_eq!(audit.beyond_loopback().len(), 1);
        assert!(!audit.loopback_only());
    }

    #[test]
    fn audits_this_process() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let audit = audit_process(std::process::id()).unwrap();
        assert!(audit.listening().contains(&addr), "{audit}");
    }
}
