"""Schemathesis hooks for scripts/fuzz-api.sh: the credentials each group of
operations needs, as the OpenAPI security schemes describe them.

- officer routes: `Authorization: Bearer <--officer-token>` (officer_token)
- producer routes (/me, /auth/session): tieucua's session cookie + CSRF header
- helper routes (/helper): tocns.giolinh's session cookie + CSRF header
- /auth/logout and /auth/logout-all end the session they are sent with, so
  every case gets a fresh session of its own account (khesanh)
- /auth/password: talu's session (wrong current passwords are refused and
  count as failed sign-ins, so it gets an account of its own)

Random path parameters are nearly always unknown (404), so before each call
two cases in three get a real code, GTIN, lot, slug or photo name made by
seed.py (and then, mostly, the right secret): the fuzzer then reaches the
state machine, the validators and the files behind them. New dossiers and
reports are, one case in two, a valid body with the generated fields over
it. Each choice is a hash of the generated case, so a seed gives the same
cases (the secrets seed.py gets back are random).
"""

import json
import os
import re
import urllib.request
import zlib

import schemathesis

BASE = os.environ["FUZZ_BASE_URL"]
OFFICER_TOKEN = os.environ["FUZZ_OFFICER_TOKEN"]
COOKIE = "cuaso_session"
CSRF = "X-Cuaso-Csrf"


def login(username, password):
    """POST /api/v1/auth/login → (session token, csrf token)."""
    req = urllib.request.Request(
        BASE + "/api/v1/auth/login",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        session = json.load(res)
        for value in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            if name.strip() == COOKIE:
                return rest.split(";", 1)[0], session["csrf"]
    raise RuntimeError(f"login of {username}: no {COOKIE} cookie")


FIXTURES = json.load(open(os.environ["FUZZ_FIXTURES"]))


def pick(case, salt, n):
    """A deterministic choice among n, from the generated case."""
    seed = repr((case.operation.path, case.method, case.path_parameters, case.query, case.body, salt))
    return zlib.crc32(seed.encode()) % n


def merged(base, generated):
    """`base` with the generated values over it, dicts merged key by key."""
    if not isinstance(base, dict) or not isinstance(generated, dict):
        return generated
    out = dict(base)
    for k, v in generated.items():
        out[k] = merged(base.get(k), v)
    return out


@schemathesis.hook
def before_call(ctx, case, kwargs):
    path = case.operation.path
    params = case.path_parameters
    # New dossiers and reports: one case in two is a valid body with the
    # generated fields over it (and a valid Idempotency-Key), so the
    # validators see one odd field among valid ones.
    base = FIXTURES["bodies"].get(path)
    if base and case.method == "POST" and isinstance(case.body, dict) and pick(case, "base", 2) == 0:
        case.body = merged(base, case.body)
        case.headers = {**(case.headers or {}), "Idempotency-Key": f"fuzz-{pick(case, 'key', 10**9):09d}"}
    if not params or pick(case, "real", 3) == 0:
        return
    secret = None
    if "code" in params:
        if re.match(r"^/api/v1/(officer/)?dossiers/", path):
            d = list(FIXTURES["dossiers"].values())
        elif re.match(r"^/api/v1/(officer/)?feedback/", path):
            d = list(FIXTURES["feedback"].values())
        else:
            d = None
        if d:
            one = d[pick(case, "which", len(d))]
            params["code"] = one["code"]
            secret = one["secret"]
    if "gtin" in params:
        params["gtin"] = FIXTURES["gtin"]
    if "lot" in params:
        params["lot"] = FIXTURES["lot"]
    if "slug" in params:
        params["slug"] = FIXTURES["slug"]
    if "name" in params and path.startswith("/api/v1/media/"):
        params["name"] = FIXTURES["media"]
    if "n" in params and pick(case, "n", 2) == 0:
        params["n"] = 0
    # The right secret, where the case sends one (a case without it is
    # testing that it is required).
    if secret and pick(case, "secret", 5) != 0:
        headers = dict(case.headers or {})
        for h in ("X-Dossier-Secret", "X-Feedback-Secret"):
            if h in headers:
                headers[h] = secret
        case.headers = headers
    if isinstance(case.body, dict) and "upload" in case.body and pick(case, "upload", 2) == 0:
        case.body = dict(case.body, upload=FIXTURES["upload"])


class Session:
    account = None

    def get(self, case, ctx):
        return login(*self.account)

    def set(self, case, data, ctx):
        token, csrf = data
        case.cookies = {**(case.cookies or {}), COOKIE: token}
        case.headers = {**(case.headers or {}), CSRF: csrf}


@schemathesis.auth().apply_to(path_regex=r"^/api/v1/officer/")
class Officer:
    def get(self, case, ctx):
        return OFFICER_TOKEN

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schemathesis.auth(refresh_interval=3600).apply_to(path_regex=r"^/api/v1/(me/|auth/session$)")
class Producer(Session):
    account = ("tieucua", "hat tieu thom cay")


@schemathesis.auth(refresh_interval=3600).apply_to(path_regex=r"^/api/v1/helper/")
class Helper(Session):
    account = ("tocns.giolinh", "giup ba con nop ho so")


@schemathesis.auth(refresh_interval=None).apply_to(path_regex=r"^/api/v1/auth/logout(-all)?$")
class Throwaway(Session):
    account = ("khesanh", "ca phe khe sanh ngon")


@schemathesis.auth(refresh_interval=3600).apply_to(path_regex=r"^/api/v1/auth/password$")
class PasswordChanger(Session):
    account = ("talu", "tho cam ta lu dep")


@schemathesis.hook
def after_call(ctx, case, response):
    """Tallies the answers (what the run reached), one line per call."""
    with open(os.environ["FUZZ_CALLS"], "a") as f:
        f.write(f"{case.method} {case.operation.path} {response.status_code}\n")
