//! Rate limits on dossier lookups, kept in memory (they reset when the
//! process restarts, which is acceptable for a limit counted in minutes).
//!
//! - **Wrong secrets**: at most [`Limits::wrong_per_code`] per dossier code
//!   and [`Limits::wrong_per_ip`] per client address in any
//!   [`Limits::window`]. While either is reached, every request with a
//!   secret for that code (or from that client) is refused with 429, the
//!   right secret included: otherwise the limit would tell a right guess
//!   from a wrong one. Unknown and malformed codes count like known ones,
//!   so the 429 says nothing about whether a code exists.
//! - **Misses without a secret**: a lookup by code alone is public (the
//!   status is not personal), so it is not limited, except that a client
//!   asking for more than [`Limits::misses_per_ip`] codes that do not exist
//!   in a window is refused until the window has passed. That stops bulk
//!   enumeration of codes, and an honest user never gets near it.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

/// How many failures are allowed, and over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub wrong_per_code: u32,
    pub wrong_per_ip: u32,
    pub misses_per_ip: u32,
    pub window: Duration,
}

impl Default for Limits {
    /// 5 wrong secrets per code and 20 per client, 200 unknown codes per
    /// client, in 15 minutes.
    fn default() -> Self {
        Limits {
            wrong_per_code: 5,
            wrong_per_ip: 20,
            misses_per_ip: 200,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    WrongCode(String),
    WrongIp(String),
    MissIp(String),
}

/// The failures seen in the current window, by key.
pub struct Limiter {
    limits: Limits,
    seen: Mutex<HashMap<Key, VecDeque<SystemTime>>>,
}

/// Keys kept before a sweep drops those whose failures have all expired.
const SWEEP_AT: usize = 10_000;

/// The longest code kept as a key (longer ones are cut).
const MAX_KEY: usize = 64;

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            seen: Mutex::new(HashMap::new()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// `Some(wait)` while a wrong-secret limit for this code or client is
    /// reached.
    pub fn secret_blocked(&self, code: &str, ip: &str, now: SystemTime) -> Option<Duration> {
        let l = self.limits;
        self.blocked(
            &[
                (Key::WrongCode(cut(code)), l.wrong_per_code),
                (Key::WrongIp(ip.to_string()), l.wrong_per_ip),
            ],
            now,
        )
    }

    /// Counts a wrong secret (or a secret for a code that does not exist).
    pub fn wrong_secret(&self, code: &str, ip: &str, now: SystemTime) {
        let l = self.limits;
        self.record(Key::WrongCode(cut(code)), l.wrong_per_code, 1, now);
        self.record(Key::WrongIp(ip.to_string()), l.wrong_per_ip, 1, now);
    }

    /// `Some(wait)` while this client has asked for too many unknown codes.
    pub fn misses_blocked(&self, ip: &str, now: SystemTime) -> Option<Duration> {
        self.blocked(
            &[(Key::MissIp(ip.to_string()), self.limits.misses_per_ip)],
            now,
        )
    }

    /// Counts `n` lookups (without a secret) of codes that do not exist.
    pub fn missed(&self, ip: &str, n: u32, now: SystemTime) {
        if n > 0 {
            self.record(
                Key::MissIp(ip.to_string()),
                self.limits.misses_per_ip,
                n,
                now,
            );
        }
    }

    fn blocked(&self, keys: &[(Key, u32)], now: SystemTime) -> Option<Duration> {
        let window = self.limits.window;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait: Option<Duration> = None;
        for (key, max) in keys {
            let Some(q) = seen.get_mut(key) else {
                continue;
            };
            expire(q, now, window);
            let max = (*max).max(1) as usize;
            if q.len() >= max {
                // Free again when the oldest of the last `max` expires.
                let oldest = q[q.len() - max];
                let until = oldest + window;
                let w = until
                    .duration_since(now)
                    .unwrap_or(Duration::from_secs(1))
                    .max(Duration::from_secs(1));
                wait = Some(wait.map_or(w, |x| x.max(w)));
            }
        }
        wait
    }

    fn record(&self, key: Key, max: u32, n: u32, now: SystemTime) {
        let window = self.limits.window;
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= SWEEP_AT {
            seen.retain(|_, q| {
                expire(q, now, window);
                !q.is_empty()
            });
        }
        let q = seen.entry(key).or_default();
        expire(q, now, window);
        for _ in 0..n {
            q.push_back(now);
        }
        // Only the last `max` matter for the answer.
        while q.len() > max.max(1) as usize {
            q.pop_front();
        }
    }
}

fn expire(q: &mut VecDeque<SystemTime>, now: SystemTime, window: Duration) {
    while q
        .front()
        .is_some_and(|&t| now.duration_since(t).is_ok_and(|age| age >= window))
    {
        q.pop_front();
    }
}

fn cut(code: &str) -> String {
    let mut end = code.len().min(MAX_KEY);
    while !code.is_char_boundary(end) {
        end -= 1;
    }
    code[..end].to_string()
}

/// Whole minutes, rounded up, for messages.
pub fn minutes(wait: Duration) -> u64 {
    wait.as_secs().div_ceil(60).max(1)
}

/// The client's address: the connection's peer, or, behind a reverse proxy
/// (`--behind-proxy`), the last address in `X-Forwarded-For` (the one the
/// proxy added). `unknown` when neither is there (all such requests then
/// share one bucket).
pub fn client_ip(ext: &Extensions, headers: &HeaderMap, behind_proxy: bool) -> String {
    if behind_proxy {
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty());
        if let Some(ip) = last.and_then(|v| v.parse::<std::net::IpAddr>().ok()) {
            return ip.to_string();
        }
    }
    match ext.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(addr)) => addr.ip().to_string(),
        None => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    #[test]
    fn wrong_secrets_per_code_and_per_client() {
        let l = Limiter::new(Limits::default());
        for i in 0..5 {
            assert_eq!(l.secret_blocked("A-1", "1.1.1.1", t(i)), None);
            l.wrong_secret("A-1", "1.1.1.1", t(i));
        }
        let wait = l.secret_blocked("A-1", "2.2.2.2", t(10)).unwrap();
        assert_eq!(wait, Duration::from_secs(900 - 10));
        assert_eq!(minutes(wait), 15);
        // Another code from another client is not affected.
        assert_eq!(l.secret_blocked("A-2", "2.2.2.2", t(10)), None);
        // The first failure expires after 15 minutes; one more is allowed.
        assert_eq!(l.secret_blocked("A-1", "3.3.3.3", t(900)), None);
        // 20 per client across codes.
        for i in 0..20 {
            l.wrong_secret(&format!("B-{i}"), "9.9.9.9", t(100));
        }
        assert!(l.secret_blocked("C-1", "9.9.9.9", t(101)).is_some());
        assert!(l.secret_blocked("C-1", "8.8.8.8", t(101)).is_none());
        assert!(l.secret_blocked("C-1", "9.9.9.9", t(1000)).is_none());
    }

    #[test]
    fn misses() {
        let l = Limiter::new(Limits {
            misses_per_ip: 3,
            ..Limits::default()
        });
        l.missed("1.1.1.1", 2, t(0));
        assert!(l.misses_blocked("1.1.1.1", t(1)).is_none());
        l.missed("1.1.1.1", 5, t(2));
        assert_eq!(
            l.misses_blocked("1.1.1.1", t(3)),
            Some(Duration::from_secs(899))
        );
        assert!(l.misses_blocked("1.1.1.2", t(3)).is_none());
    }

    #[test]
    fn long_codes_are_cut_on_a_char_boundary() {
        let long = "ả".repeat(100);
        assert!(cut(&long).len() <= MAX_KEY);
        assert!(long.starts_with(&cut(&long)));
    }

    #[test]
    fn client_address() {
        let mut ext = Extensions::new();
        let mut h = HeaderMap::new();
        assert_eq!(client_ip(&ext, &h, false), "unknown");
        ext.insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 5000))));
        h.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(client_ip(&ext, &h, false), "10.0.0.1");
        assert_eq!(client_ip(&ext, &h, true), "198.51.100.7");
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_ip(&ext, &h, true), "10.0.0.1");
    }
}
