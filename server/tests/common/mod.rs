//! Shared helpers for the submission tests: a server on a temporary
//! database with the test forms, requests with headers and bodies,
//! multipart bodies.
//!
//! The database is a temporary SQLite file, or with
//! `CUASO_TEST_DATABASE_URL=postgres://user@host:port/postgres` a fresh
//! PostgreSQL database per server (created through that URL, dropped at
//! the end): `scripts/pg.sh test` runs the suite that way.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use cuaso_domain::ApiErrorBody;
use cuaso_server::infra::clock::{vn_time, Clock};
use cuaso_server::{build, Settings};
use http_body_util::BodyExt;
use sqlx::{AnyPool, Connection, Executor};
use tower::ServiceExt;

/// Forms for a few seeded procedures, covering every field kind.
pub const FORMS: &str = include_str!("../fixtures/forms.json");
pub const PNG: &[u8] = include_bytes!("../fixtures/tiny.png");
pub const PDF: &[u8] = include_bytes!("../fixtures/tiny.pdf");

/// [`PNG`] made exactly `len` bytes long by more image data (an IDAT of
/// zeros before IEND): bytes after IEND are not stored (see `infra/exif.rs`),
/// so padding must be inside the image.
pub fn png_of(len: usize) -> Vec<u8> {
    let end = PNG.len() - 12;
    let data = len - PNG.len() - 12;
    let mut v = PNG[..end].to_vec();
    v.extend_from_slice(&(data as u32).to_be_bytes());
    v.extend_from_slice(b"IDAT");
    v.resize(v.len() + data, 0);
    v.extend_from_slice(&[0; 4]);
    v.extend_from_slice(&PNG[end..]);
    assert_eq!(v.len(), len);
    v
}

pub struct TestServer {
    pub app: Router,
    pub pool: AnyPool,
    pub dir: Arc<tempfile::TempDir>,
    /// The PostgreSQL database, when the suite runs on PostgreSQL.
    pub pg: Option<Arc<TempPg>>,
    /// Seconds since the epoch the server's clock reads; tests move it.
    pub now: Arc<AtomicI64>,
}

/// The PostgreSQL server the suite runs on, if any (an admin URL).
pub fn pg_admin_url() -> Option<String> {
    std::env::var("CUASO_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// A fresh PostgreSQL database, dropped when the last holder goes.
pub struct TempPg {
    admin: String,
    name: String,
    pub url: String,
}

impl TempPg {
    /// A new empty database on the suite's server, or `None` on SQLite.
    pub async fn create() -> Option<Arc<TempPg>> {
        let admin = pg_admin_url()?;
        let mut bytes = [0u8; 8];
        getrandom_bytes(&mut bytes);
        let name = format!(
            "cuaso_test_{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("CUASO_TEST_DATABASE_URL: cannot connect");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        conn.close().await.ok();
        let base = match admin.rfind('/') {
            Some(i) if i > admin.find("://").map_or(0, |j| j + 2) => &admin[..i],
            _ => admin.as_str(),
        };
        let (base, query) = match admin.find('?') {
            Some(q) => (&base[..base.len().min(q)], &admin[q..]),
            None => (base, ""),
        };
        let url = format!("{base}/{name}{query}");
        Some(Arc::new(TempPg { admin, name, url }))
    }
}

impl Drop for TempPg {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Dropped from inside a runtime: drop the database from a thread
        // with its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                    let _ = c
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            });
        })
        .join();
    }
}

fn getrandom_bytes(buf: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    for chunk in buf.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos(),
        );
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

/// Friday 2025-03-07, 10:00 in Vietnam: no holiday near.
pub fn friday() -> SystemTime {
    vn_time(2025, 3, 7, 10, 0)
}

/// The officer token the test servers are configured with.
pub const OFFICER_TOKEN: &str = "test-officer-token-0123456789";

pub fn settings(dir: &tempfile::TempDir, now: Arc<AtomicI64>) -> Settings {
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    let clock =
        Clock::from_fn(move || UNIX_EPOCH + Duration::from_secs(now.load(Ordering::SeqCst) as u64));
    Settings {
        clock,
        forms_json: Some(FORMS.to_string()),
        officer_token: Some(OFFICER_TOKEN.to_string()),
        ..Settings::new(dir.path().join("data/cuaso.db"), dist)
    }
}

pub async fn server() -> TestServer {
    server_at(friday()).await
}

pub async fn server_at(t: SystemTime) -> TestServer {
    server_with(t, |_| {}).await
}

/// A server at `t` with settings changed by `f` (token, limits…).
pub async fn server_with(t: SystemTime, f: impl FnOnce(&mut Settings)) -> TestServer {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let now = Arc::new(AtomicI64::new(
        t.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64,
    ));
    // The server's errors in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_test_writer()
        .with_ansi(false)
        .try_init();
    let pg = TempPg::create().await;
    let mut settings = settings(&dir, now.clone());
    settings.database_url = pg.as_ref().map(|p| p.url.clone());
    f(&mut settings);
    let (app, pool) = build(&settings).await.unwrap();
    TestServer {
        app,
        pool,
        dir,
        pg,
        now,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn value(&self) -> serde_json::Value {
        self.json()
    }
    pub fn error(&self) -> ApiErrorBody {
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "errors are JSON: {} {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl TestServer {
    /// Closes the pool and opens the same database and uploads again, as a
    /// restarted process would.
    pub async fn restart(self) -> TestServer {
        self.restart_with(|_| {}).await
    }

    /// [`TestServer::restart`] with changed settings.
    pub async fn restart_with(self, f: impl FnOnce(&mut Settings)) -> TestServer {
        let TestServer {
            app,
            pool,
            dir,
            pg,
            now,
        } = self;
        drop(app);
        pool.close().await;
        let mut st = settings(&dir, now.clone());
        st.database_url = pg.as_ref().map(|p| p.url.clone());
        f(&mut st);
        let (app, pool) = build(&st).await.unwrap();
        TestServer {
            app,
            pool,
            dir,
            pg,
            now,
        }
    }

    /// `--database-url …` for the binary when on PostgreSQL (after `--db`).
    pub fn db_url_args(&self) -> Vec<String> {
        match &self.pg {
            Some(pg) => vec!["--database-url".into(), pg.url.clone()],
            None => vec![],
        }
    }

    /// SQL setting `key` of the JSON object in `column` to the text
    /// `value` (an SQL expression), on either engine.
    pub fn json_set(&self, column: &str, key: &str, value: &str) -> String {
        match &self.pg {
            Some(_) => {
                format!("jsonb_set({column}::jsonb, '{{{key}}}', to_jsonb({value}::text))::text")
            }
            None => format!("json_set({column}, '$.{key}', {value})"),
        }
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.dir.path().join("data/uploads")
    }

    pub fn set_time(&self, t: SystemTime) {
        self.now.store(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64,
            Ordering::SeqCst,
        );
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Like [`TestServer::send`], from the client address `ip` (as the
    /// real server's connection info gives it).
    pub async fn send_from(
        &self,
        ip: &str,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let addr = std::net::SocketAddr::new(ip.parse().unwrap(), 40000);
        req = req.extension(axum::extract::ConnectInfo(addr));
        let res = self
            .app
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// An officer API call with the test token; `body` as JSON when given.
    pub async fn officer(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Reply {
        let auth = format!("Bearer {OFFICER_TOKEN}");
        let mut headers = vec![("authorization", auth.as_str())];
        let body = match body {
            Some(b) => {
                headers.push(("content-type", "application/json"));
                Body::from(serde_json::to_vec(b).unwrap())
            }
            None => Body::empty(),
        };
        self.send(method, &format!("/api/v1/officer{path}"), &headers, body)
            .await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, &[], Body::empty()).await
    }

    /// Uploads `bytes` as the `file` part, named `name`.
    pub async fn upload(&self, name: &str, content_type: &str, bytes: &[u8]) -> Reply {
        let (ct, body) = multipart(&[("file", Some(name), content_type, bytes)]);
        self.send(
            Method::POST,
            "/api/v1/uploads",
            &[("content-type", &ct)],
            body,
        )
        .await
    }

    /// Uploads and returns the new id.
    pub async fn upload_id(&self, name: &str, bytes: &[u8]) -> String {
        let r = self.upload(name, "application/octet-stream", bytes).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.value()["id"].as_str().unwrap().to_string()
    }

    /// `POST /api/v1/dossiers` with a key (if any), a language and a JSON body.
    pub async fn submit(&self, key: Option<&str>, lang: &str, body: &serde_json::Value) -> Reply {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("accept-language", lang),
        ];
        if let Some(k) = key {
            headers.push(("idempotency-key", k));
        }
        self.send(
            Method::POST,
            "/api/v1/dossiers",
            &headers,
            serde_json::to_vec(body).unwrap(),
        )
        .await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&self.pool).await.unwrap();
        n
    }
}

/// A multipart/form-data body: (part name, file name, content type, bytes).
/// Returns the Content-Type header and the body.
pub fn multipart(parts: &[(&str, Option<&str>, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----cuasoTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, ct, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n")
                    .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(format!("Content-Type: {ct}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A complete, valid birth registration of the test forms, with the given
/// birth-notice upload.
pub fn birth(upload: &str) -> serde_json::Value {
    serde_json::json!({
        "procedure": "1.001193",
        "answers": {
            "full_name": "Nguyễn Văn An",
            "birth_date": "1990-05-12",
            "cccd": "045 090 001 234",
            "phone": "0912 345 678",
            "email": "an@example.com",
            "address.province": "quang-tri",
            "address.commune": "Phường Đông Hà",
            "address.street": "12 Lê Lợi",
            "relation": "father",
            "late": "no",
            "birth_proof": upload,
        }
    })
}
