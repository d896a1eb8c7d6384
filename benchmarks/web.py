"""Web load test: dashboards, risk list and public profiles under concurrent users, per-page latency.

    uv run python -m benchmarks.web                          # 50 users, 5 minutes (writes results/web.json)
    uv run python -m benchmarks.web --users 5 --duration 20 --out /tmp/web.json   # a quick look
    uv run python -m benchmarks.web --workdir var/bench-web  # keep the database for the next run

Sets up, on loopback: a throw-away PostgreSQL 15 cluster, the migrated schema, the demo data at scale 1
(`generate_demo`: the register, the record-level lake and the indicators of three school years) and
gunicorn (sync workers, `config.django.production`: DEBUG off, WhiteNoise, persistent database
connections) behind which the clients act as the TLS-terminating proxy (X-Forwarded-Proto: https).

Then `--users` simulated users run for `--duration` seconds after a `--ramp` of staggered starts: half
sign in as the IKVD analyst and click through the national dashboard, an institution dashboard and the
risk list; half stay anonymous and use the public profile search and school profiles. Each user keeps
one HTTP session (cookies, connection pool) and waits a think time, uniform in [0.5, 1.5] × `--think`,
after every response. Per page: p50_ms, p95_ms, requests, errors (any status other than 200, or an
exception). Only requests started inside the measured window count; errors during the ramp are
reported separately (`ramp_errors`).

`load()` is the harness alone (any base URL); tests/test_web_benchmark.py runs it against Django's live
server to keep it working."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks/results/web.json"
PGBIN = Path("/usr/lib/postgresql/15/bin")
SCHOOL_YEARS_EXPECTED = 3
TARGET_P95_MS = 200.0
TARGET_LOGIN_P95_MS = 1000.0  # a sign-in (password and second factor) while 25 staff sign in at once
STAFF_USERNAME = "analitikis"  # ikms.accounts.demo: the IKVD analyst
DEMO_PASSWORD = "ikms-demo-2024"  # noqa: S105 — the demo accounts' published password
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    audience: str  # "staff" (signed-in analyst) or "public" (anonymous)
    kind: str = "plain"  # "plain", "institution" (kwarg registration_number) or "search" (query string)


PAGES = (
    Page("nation", "monitoring:nation", "staff"),
    Page("institution", "monitoring:institution", "staff", "institution"),
    Page("risks", "monitoring:risks", "staff"),
    Page("profile", "portal:profile", "public", "institution"),
    Page("profile-search", "portal:profile-search", "public", "search"),
)
#: With --stand-ins, existing routes take the place of missing ones (to exercise the harness only).
STAND_INS = {
    "monitoring:nation": Page("nation", "registry:statistics", "staff"),
    "monitoring:institution": Page("institution", "portal:institution-detail", "staff", "institution"),
    "monitoring:risks": Page("risks", "registry:institution-list", "staff"),
    "portal:profile": Page("profile", "portal:institution-detail", "public", "institution"),
    "portal:profile-search": Page("profile-search", "portal:institution-list", "public", "search"),
}


# --- the load harness (no Django needed) --------------------------------------------------------------------


@dataclass
class _Sample:
    page: str
    started: float  # wall-clock time the request was sent
    ms: float
    error: str | None  # None when the response was 200


def _percentile(sorted_ms: list[float], q: float) -> float | None:
    """Nearest-rank percentile (the smallest value with at least q of the samples at or below it)."""
    if not sorted_ms:
        return None
    return sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)]


def _summary(samples: list[_Sample]) -> dict[str, Any]:
    ms = sorted(s.ms for s in samples)
    kinds = Counter(s.error for s in samples if s.error)
    p50, p95, p99 = (_percentile(ms, q) for q in (0.50, 0.95, 0.99))
    return {"p50_ms": round(p50, 1) if p50 is not None else None,
            "p95_ms": round(p95, 1) if p95 is not None else None,
            "p99_ms": round(p99, 1) if p99 is not None else None,
            "max_ms": round(ms[-1], 1) if ms else None,
            "requests": len(samples), "errors": sum(kinds.values()), "error_kinds": dict(kinds)}


class _Clock:
    """The measured window, shared by the users: open-ended until every user has started and signed in."""

    def __init__(self) -> None:
        self.window_start = math.inf
        self.stop_at = math.inf


class _User(threading.Thread):
    """One simulated user: signs in if staff, then requests its pages in turn with a think time between."""

    def __init__(self, index: int, *, base_url: str, plan: list[tuple[str, list[str]]], staff: bool,
                 login: tuple[str, str] | None, login_path: str, think: float, start_at: float, clock: _Clock,
                 behind_proxy: bool, timeout: float, seed: int,
                 second_factor: Callable[[str], str] | None = None, verify_path: str = "") -> None:
        super().__init__(name=f"user-{index}", daemon=True)
        self.index, self.base_url, self.plan, self.staff = index, base_url.rstrip("/"), plan, staff
        self.login_credentials, self.login_path, self.think = login, login_path, think
        self.second_factor, self.verify_path = second_factor, verify_path
        self.start_at, self.clock, self.timeout = start_at, clock, timeout
        self.ready = threading.Event()  # set once signed in (at once for anonymous users)
        self.rng = random.Random(seed * 1000 + index)
        self.samples: list[_Sample] = []
        self.session = requests.Session()
        scheme = "https" if behind_proxy else "http"
        self.origin = f"{scheme}://{urlsplit(self.base_url).netloc}"
        if behind_proxy:
            self.session.headers["X-Forwarded-Proto"] = "https"
        self.session.headers["User-Agent"] = "ikms-benchmark/1"

    def _unsecure_cookies(self) -> None:
        """Send Secure cookies back over plain HTTP: the client stands in for the TLS-terminating proxy."""
        for cookie in self.session.cookies:
            cookie.secure = False

    def _get(self, page: str, path: str) -> None:
        wall, started = time.time(), time.perf_counter()
        error = None
        try:
            response = self.session.get(self.base_url + path, allow_redirects=False, timeout=self.timeout)
            if response.status_code != 200:
                error = f"HTTP {response.status_code}"
            elif not response.content:
                error = "empty body"
        except requests.RequestException as exc:
            error = type(exc).__name__
        self._unsecure_cookies()
        self.samples.append(_Sample(page, wall, (time.perf_counter() - started) * 1000, error))

    def _post_form(self, path: str, data: dict[str, str], what: str) -> str | None:
        """GET a form, POST it with its CSRF token; None when the answer is a redirect away from the form."""
        form = self.session.get(self.base_url + path, timeout=self.timeout)
        self._unsecure_cookies()
        match = TOKEN_RE.search(form.text)
        if form.status_code != 200 or not match:
            return f"{what} form HTTP {form.status_code}" if form.status_code != 200 else f"{what}: no CSRF token"
        response = self.session.post(
            self.base_url + path, allow_redirects=False, timeout=self.timeout,
            data={**data, "csrfmiddlewaretoken": match.group(1)},
            headers={"Origin": self.origin, "Referer": self.origin + path})
        self._unsecure_cookies()
        if response.status_code != 302 or path.partition("?")[0] in response.headers.get("Location", ""):
            return f"{what} HTTP {response.status_code}"
        return None

    def _login(self) -> None:
        """Sign in as a person does: the password form, then (with `second_factor`) the code of the authenticator
        app on the verification page. Timed from the first request to the last answer."""
        assert self.login_credentials is not None
        username, password = self.login_credentials
        wall, started = time.time(), time.perf_counter()
        error = None
        try:
            error = self._post_form(self.login_path, {"username": username, "password": password}, "login")
            if error is None and self.second_factor is not None:
                error = self._post_form(self.verify_path, {"code": self.second_factor(username)}, "second factor")
        except requests.RequestException as exc:
            error = type(exc).__name__
        self._unsecure_cookies()
        self.samples.append(_Sample("login", wall, (time.perf_counter() - started) * 1000, error))

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.time()))
        try:
            if self.staff:
                self._login()
        finally:
            self.ready.set()
        step = self.index  # users start at different points of their loop and of the institution lists
        while time.time() < self.clock.stop_at:
            page, paths = self.plan[step % len(self.plan)]
            self._get(page, paths[(step // len(self.plan) + self.index) % len(paths)])
            step += 1
            pause = self.rng.uniform(0.5, 1.5) * self.think
            time.sleep(max(0.0, min(pause, self.clock.stop_at - time.time())))
        self.session.close()


Login = tuple[str, str]  # username, password


def _logins(login: Login | list[Login] | None) -> list[Login]:
    return [] if login is None else [login] if isinstance(login, tuple) else list(login)


def load(base_url: str, pages: dict[str, tuple[str, list[str]]], *, users: int, duration: float, think: float,
         ramp: float, login: Login | list[Login] | None = None, login_path: str = "/accounts/login/",
         staff_share: float = 0.5, behind_proxy: bool = False, timeout: float = 30.0, seed: int = 1,
         probe: Callable[[], dict[str, float]] | None = None, second_factor: Callable[[str], str] | None = None,
         verify_path: str = "/accounts/two-factor/verify/") -> dict[str, Any]:
    """Run `users` simulated users against `base_url` and measure each page.

    `pages` maps a page name to (audience, paths): audience "staff" pages are requested by users signed
    in with `login` (one account, or a list that the staff users take in turn; `second_factor(username)`, if
    given, is the code each enters on `verify_path` after the password), "public" ones by anonymous users.
    Users start evenly spread over `ramp` seconds;
    the measured window is the `duration` seconds after the ramp or, if later, after the last user
    has signed in (sign-in hashes the password, which is slow on purpose). `probe` (optional) is called at the
    start and end of the window; the differences of its figures are returned as `probe`."""
    if users < 1 or duration <= 0 or think < 0 or ramp < 0:
        raise ValueError("users ≥ 1, duration > 0, think ≥ 0 and ramp ≥ 0 are required / "
                         "vajag users ≥ 1, duration > 0, think ≥ 0 un ramp ≥ 0")
    staff_plan = [(name, paths) for name, (audience, paths) in pages.items() if audience == "staff" and paths]
    public_plan = [(name, paths) for name, (audience, paths) in pages.items() if audience == "public" and paths]
    accounts = _logins(login)
    if staff_plan and not accounts:
        raise ValueError("staff pages need login credentials / personāla lapām vajag pieteikšanās datus")
    if not staff_plan and not public_plan:
        raise ValueError("no pages to request / nav lapu, ko pieprasīt")
    mixed = bool(staff_plan and public_plan)
    staff_users = round(users * staff_share) if mixed else (users if staff_plan else 0)
    now = time.time()
    clock = _Clock()
    threads = []
    for i in range(users):
        staff = _is_staff(i, users, staff_users) if mixed else bool(staff_plan)
        account = accounts[sum(t.staff for t in threads) % len(accounts)] if staff else None
        threads.append(_User(i, base_url=base_url, plan=staff_plan if staff else public_plan, staff=staff,
                             login=account, login_path=login_path, think=think,
                             start_at=now + ramp * i / users, clock=clock, behind_proxy=behind_proxy,
                             timeout=timeout, seed=seed, second_factor=second_factor, verify_path=verify_path))
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, now + ramp - time.time()))
    for thread in threads:
        thread.ready.wait()
    before = probe() if probe else {}
    clock.window_start = window_start = time.time()
    clock.stop_at = stop_at = window_start + duration
    client_before = time.process_time()
    time.sleep(max(0.0, stop_at - time.time()))
    client_cpu = time.process_time() - client_before
    after = probe() if probe else {}
    for thread in threads:
        thread.join(timeout + 5)
    samples = [s for t in threads for s in t.samples]
    measured = [s for s in samples if window_start <= s.started < stop_at]
    in_ramp = [s for s in samples if s.started < window_start]
    result: dict[str, Any] = {"pages": {}}
    for name, (audience, paths) in pages.items():
        page_samples = [s for s in measured if s.page == name]
        result["pages"][name] = {"audience": audience, "paths": len(paths), **_summary(page_samples)}
    logins = [s for s in samples if s.page == "login"]
    total = sum(p["requests"] for p in result["pages"].values())
    result.update({
        "login": _summary(logins),
        "users": users, "staff_users": sum(t.staff for t in threads), "duration_s": duration, "think_s": think,
        "ramp_s": ramp, "window_started_after_s": round(window_start - now, 1),
        "requests": total, "errors": sum(p["errors"] for p in result["pages"].values()),
        "throughput_rps": round(total / duration, 1),
        "ramp_requests": sum(1 for s in in_ramp if s.page != "login"),
        "ramp_errors": sum(1 for s in in_ramp if s.error and s.page != "login"),
        "client_cpu_cores": round(client_cpu / duration, 3),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / total, 2) if total else None,
        "stragglers": sum(t.is_alive() for t in threads),
    })
    if probe:
        result["probe"] = {k: round(after[k] - before[k], 3) for k in before if k in after}
    return result


def sign_in_burst(base_url: str, logins: list[Login], *, ramp: float = 0.0, login_path: str = "/accounts/login/",
                  second_factor: Callable[[str], str] | None = None,
                  verify_path: str = "/accounts/two-factor/verify/", behind_proxy: bool = False,
                  timeout: float = 30.0, probe: Callable[[], dict[str, float]] | None = None) -> dict[str, Any]:
    """Every account of `logins` signs in once, all started within `ramp` seconds (0: at the same moment), and
    nothing else: what 25 staff arriving at once wait for. The figures of the sign-ins (`login`: p50, p95, max,
    errors) and, with `probe`, the differences of its figures over the burst."""
    if not logins or ramp < 0:
        raise ValueError("logins and ramp ≥ 0 are required / vajag pieteikšanās datus un ramp ≥ 0")
    clock = _Clock()
    clock.stop_at = 0.0  # no pages after signing in
    now = time.time() + 0.5  # the threads are all up before the first one starts
    threads = [_User(i, base_url=base_url, plan=[], staff=True, login=account, login_path=login_path, think=0,
                     start_at=now + ramp * i / len(logins), clock=clock, behind_proxy=behind_proxy,
                     timeout=timeout, seed=1, second_factor=second_factor, verify_path=verify_path)
               for i, account in enumerate(logins)]
    before = probe() if probe else {}
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 3 + ramp + 5)
    after = probe() if probe else {}
    samples = [s for t in threads for s in t.samples]
    result: dict[str, Any] = {"login": _summary(samples), "users": len(logins), "ramp_s": ramp,
                              "wall_s": round(max((s.started + s.ms / 1000 for s in samples), default=now) - now, 2),
                              "stragglers": sum(t.is_alive() for t in threads)}
    if probe:
        result["probe"] = {k: round(after[k] - before[k], 3) for k in before if k in after}
    return result


def _is_staff(i: int, users: int, staff_users: int) -> bool:
    """Interleave staff and public users so both kinds start throughout the ramp."""
    return math.floor((i + 1) * staff_users / users) > math.floor(i * staff_users / users)


# --- the pages to request (needs Django) ----------------------------------------------------------------------


def page_plan(*, institutions: int = 20, stand_ins: bool = False) -> tuple[dict[str, tuple[str, list[str]]],
                                                                           dict[str, str], list[str]]:
    """Resolve the pages' URLs: the largest registered secondary schools with indicator values in the
    latest school year (by learners enrolled) for the per-institution pages, search terms from their
    names and municipalities. Returns (pages, routes used, routes missing)."""
    from django.urls import NoReverseMatch, reverse

    from ikms.monitoring import selectors
    from ikms.registry.models import Institution

    year = selectors.latest_year()
    if year is None:
        raise RuntimeError("no indicator values: compute them first / nav indikatoru vērtību: vispirms aprēķiniet")
    enrolled = {v.unit: v.value for v in selectors.values(year=year, grain="institution",
                                                          indicators_=["learners_enrolled"])
                if v.value is not None and not v.semester and not v.level and not v.category}
    schools = list(Institution.objects.filter(registration_number__in=enrolled, status="registered",
                                              type__code="secondary").select_related("municipality"))
    schools.sort(key=lambda i: (-enrolled[i.registration_number], i.registration_number))
    schools = schools[:institutions]
    if not schools:
        raise RuntimeError("no secondary school with values / nav vidusskolas ar vērtībām")
    terms: list[dict[str, str]] = []
    for school in schools:
        word = next((w for w in school.name.split() if len(w) > 3), school.name)
        terms += [{"q": word}, {"municipality": school.municipality.code}]
    pages: dict[str, tuple[str, list[str]]] = {}
    routes: dict[str, str] = {}
    missing: list[str] = []
    for wanted in PAGES:
        page = wanted
        try:
            reverse(page.route, kwargs={"registration_number": "X"} if page.kind == "institution" else None)
        except NoReverseMatch:
            missing.append(wanted.route)
            if not stand_ins:
                continue
            page = STAND_INS[wanted.route]
        if page.kind == "institution":
            paths = [reverse(page.route, kwargs={"registration_number": s.registration_number}) for s in schools]
        elif page.kind == "search":
            base = reverse(page.route)
            paths = [f"{base}?{urlencode(t)}" for t in terms]
        else:
            paths = [reverse(page.route)]
        pages[wanted.name] = (page.audience, paths)
        routes[wanted.name] = page.route
    return pages, routes, missing


def staff_client(username: str):
    """Django's test client signed in as `username`, its session past the second factor (the user's
    authenticator app, as `bench_staff` made it), as production asks of IKVD staff."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ikms.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    user = User.objects.get(username=username)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def page_costs(pages: dict[str, tuple[str, list[str]]], *, username: str, repeat: int = 5) -> dict[str, dict]:
    """Each page requested alone, in this process (Django's test client, no HTTP): the first request and the
    median of `repeat` more, with the SQL queries of a warm request. The institution pages rotate through their
    institutions, so their later requests are first views of another institution in a warm process. This says
    where a page's time goes when nobody else is waiting; the load run says what users see."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    staff, public = staff_client(username), Client(HTTP_HOST="127.0.0.1", secure=True)
    costs = {}
    for name, (audience, paths) in pages.items():
        client = staff if audience == "staff" else public
        times, queries, sql_ms, size = [], 0, 0.0, 0
        for i in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(paths[i % len(paths)])
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{paths[i % len(paths)]}: HTTP {response.status_code}")
            queries, size = len(captured.captured_queries), len(response.content)
            sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        warm = sorted(times[1:])
        costs[name] = {"cold_ms": round(times[0]), "warm_ms": round(warm[len(warm) // 2]), "queries": queries,
                       "sql_ms": round(sql_ms), "html_kb": round(size / 1024)}
    return costs


FIRST_VIEW_CODE = """
import json, sys, time
started = time.perf_counter()
import config.wsgi  # what a server worker loads (and, where the code does so, prepares) before its first request
booted = time.perf_counter()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1", secure=True)
if sys.argv[2]:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from ikms.accounts.models import User
    user = User.objects.get(username=sys.argv[2])
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
client.handler.load_middleware()  # as the server's WSGIHandler has done when the worker started
from django.db import connections
connections.close_all()  # the request opens its own connection, as a worker's first request does
before = time.perf_counter()
response = client.get(sys.argv[1])
ms = (time.perf_counter() - before) * 1000
assert response.status_code == 200, (sys.argv[1], response.status_code)
print(json.dumps({"ms": round(ms), "boot_ms": round((booted - started) * 1000)}))
"""


def first_views(pages: dict[str, tuple[str, list[str]]], *, username: str, src: Path) -> dict[str, dict]:
    """Each page's first request in a fresh process that has loaded the application as a server worker does
    (`config.wsgi`): what the first visitor of a newly started worker waits for. One process per page, in the
    order of `pages`; the shared cache is left as it is."""
    out = {}
    for name, (audience, paths) in pages.items():
        done = subprocess.run([sys.executable, "-c", FIRST_VIEW_CODE, paths[0],
                               username if audience == "staff" else ""],
                              cwd=src, env=os.environ.copy(), capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"first view of {paths[0]} failed:\n{done.stderr[-2000:]}")
        out[name] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


BENCH_STAFF = "bench-analitikis-{:02d}"


def bench_staff(count: int) -> tuple[list[Login], Callable[[str], str]]:
    """`count` IKVD analysts of the benchmark's own (its throw-away database only), each with an authenticator
    app: production asks IKVD staff for a second factor, and a code is taken once, so simultaneous sign-ins need
    an account each. Passwords are set anew with the configured hasher every run (a run measures that hasher,
    not the upgrade of an older hash); sign-in throttling and locks of these accounts are cleared."""
    from axes.utils import reset as axes_reset
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ikms.accounts import services
    from ikms.accounts.models import LoginThrottle, User
    from ikms.accounts.roles import Role

    keys: dict[str, str] = {}
    for i in range(1, count + 1):
        username = BENCH_STAFF.format(i)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(actor=None, username=username, password=DEMO_PASSWORD,
                                        first_name="Bench", last_name=f"Analyst {i}")
            services.role_grant(actor=None, user=user, role=Role.ANALYST, note="benchmark")
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice(user=user, name="benchmark")
        device.key, device.confirmed, device.last_t = secrets.token_hex(20), True, -1
        device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
        device.save()
        keys[username] = device.key
        axes_reset(username=username)
    LoginThrottle.objects.filter(username__in=keys).delete()

    def code(username: str) -> str:
        return f"{TOTP(bytes.fromhex(keys[username])).token():06d}"

    return [(u, DEMO_PASSWORD) for u in keys], code


# --- the server side: PostgreSQL, data, gunicorn ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def postgres(workdir: Path, port: int) -> Iterator[str]:
    """A PostgreSQL 15 cluster in workdir/pg (created on first use), started on loopback; yields its URL."""
    if not (PGBIN / "initdb").exists():
        subprocess.run(["bash", str(ROOT / "scripts/ensure-system-deps.sh"), "postgresql"], check=True)
    data, sock = workdir / "pg" / "data", workdir / "pg" / "run"
    fresh = not (data / "PG_VERSION").exists()
    sock.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        for path in (workdir, workdir / "pg", sock):
            shutil.chown(path, "postgres")
    if fresh:
        subprocess.run(_as_postgres([str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
    options = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c shared_buffers=256MB")
    subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(workdir / "pg/server.log"),
                                 "-o", options, "start"]), check=True, stdout=subprocess.DEVNULL)
    try:
        psql = [str(PGBIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tAc"]
        exists = subprocess.run([*psql, "select 1 from pg_database where datname = 'ikms'"], check=True,
                                capture_output=True, text=True).stdout.strip()
        if not exists:
            subprocess.run([*psql, "create database ikms"], check=True, stdout=subprocess.DEVNULL)
        yield f"postgres://postgres@127.0.0.1:{port}/ikms"
    finally:
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def snapshot(dest: Path, revision: str | None = None) -> Path:
    """A copy of the working tree (tracked and untracked, not ignored files; compiled messages) to serve
    from, so that edits made while the benchmark runs cannot change the code under test halfway; with `revision`,
    the files of that commit instead (to measure an earlier state with the same harness). The front-end build
    and node_modules are linked, not copied."""
    shutil.rmtree(dest, ignore_errors=True)
    if revision:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        listed = []
    else:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                check=True, capture_output=True).stdout.decode().split("\0")
    for name in [*listed, *(str(p.relative_to(ROOT)) for p in ROOT.glob("locale/*/LC_MESSAGES/*.mo"))]:
        source = ROOT / name
        if name and source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for name in ("node_modules", "build"):
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    return dest


def server_env(database_url: str, workdir: Path) -> dict[str, str]:
    """Production settings: DEBUG off, every secret given, HTTPS assumed to end at a proxy in front. Python's
    bytecode is cached (in workdir/pycache, the code's own folders untouched), as in a deployment whose image
    compiled it: without it every new process compiles each module it imports again."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**environ, "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
            "DJANGO_SETTINGS_MODULE": "config.django.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url, "IKMS_PSEUDONYM_KEY": "ikms-development-pseudonym-key",
            "IKMS_LAKE_DIR": str(workdir / "lake"), "IKMS_LATENT_PATH": str(workdir / "latent/latent.parquet"),
            "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_LOG_LEVEL": "WARNING",
            "IKMS_SHARED_DIR": os.environ.get("IKMS_SHARED_DIR", str(ROOT.parent / "shared"))}


def _manage(env: dict[str, str], src: Path, *args: str) -> str:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=src, env=env, check=False,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed / neizdevās:\n{done.stderr[-3000:]}")
    print(f"  manage.py {' '.join(args)}: {time.perf_counter() - started:.0f} s", flush=True)
    return done.stdout


def compile_bytecode(env: dict[str, str], src: Path) -> None:
    """Compile the code under test and the installed packages into the bytecode cache (env's PYTHONPYCACHEPREFIX),
    as a deployment's image does (`uv sync --compile-bytecode`); the packages once per work folder."""
    started = time.perf_counter()
    packages = [p for p in sys.path if p.endswith("site-packages")]
    marker = Path(env["PYTHONPYCACHEPREFIX"]) / ".packages-compiled"
    folders = [str(src)] + ([] if marker.exists() else packages)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *folders], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    print(f"  bytecode compiled: {time.perf_counter() - started:.0f} s", flush=True)


def prepare(env: dict[str, str], src: Path, *, scale: float, lake_scale: float) -> dict[str, Any]:
    """Migrate, load the demo data (once per database), check the accounts, collect static files."""
    compile_bytecode(env, src)
    _manage(env, src, "migrate", "--no-input", "-v0")
    started = time.perf_counter()
    out = _manage(env, src, "generate_demo", "--scale", str(scale), "--lake-scale", str(lake_scale), "--if-empty")
    loaded = "nothing to do" not in out
    accounts = _manage(env, src, "demo_accounts")
    if STAFF_USERNAME not in accounts:
        raise RuntimeError(f"demo account {STAFF_USERNAME} missing / trūkst demo konta {STAFF_USERNAME}")
    _manage(env, src, "collectstatic", "--no-input", "-v0")
    return {"data_loaded_now": loaded, "load_s": round(time.perf_counter() - started) if loaded else None}


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """(own utime+stime, reaped children's cutime+cstime) of a process in clock ticks; (0, 0) once gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _tree_cpu_s(pid: int) -> float:
    own, reaped = _cpu_ticks(pid)
    return (own + reaped + sum(sum(_cpu_ticks(c)) for c in _children(pid))) / os.sysconf("SC_CLK_TCK")


def _machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks[:8]) - idle) / hz, sum(ticks[:8]) / hz


@contextlib.contextmanager
def gunicorn(env: dict[str, str], src: Path, port: int, workers: int, log: Path) -> Iterator[subprocess.Popen]:
    cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--worker-class", "sync", "--timeout", "60", "--log-level", "warning",
           "--error-logfile", str(log)]
    output = log.with_suffix(".out").open("w")  # Django's own log (console handler) and anything printed
    process = subprocess.Popen(cmd, cwd=src, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/", timeout=5,
                                headers={"X-Forwarded-Proto": "https"}).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log} / gunicorn nesāka darbu; skatiet {log}")
            time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        output.close()


def _logged_errors(*logs: Path) -> dict[str, int]:
    """The exceptions the server logged (last line of each traceback), counted; the first 5 kinds."""
    found: Counter[str] = Counter()
    for path in logs:
        if path.exists():
            found.update(m.group(0)[:200] for m in re.finditer(r"^\w+(?:Error|Exception)\b.*$",
                                                                path.read_text(errors="replace"), re.MULTILINE))
    return dict(found.most_common(5))


def _postgres_pid(workdir: Path) -> int:
    return int((workdir / "pg/data/postmaster.pid").read_text().split()[0])


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()

    return {"git_commit": git("rev-parse", "HEAD"),
            "git_dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def cold_views(pages: dict[str, tuple[str, list[str]]], *, username: str, src: Path) -> dict[str, Any]:
    """The first view of each page in a fresh worker process: with the cache emptied (`empty`), then after the
    cache was emptied again and warmed as a completed computation warms it (`after_warm_up`; skipped where the
    code under test has no `warm_result_pages` command). Returns both and the warm-up's duration."""
    from django.core.cache import cache
    from django.core.management import call_command, get_commands

    cache.clear()
    out: dict[str, Any] = {"empty": first_views(pages, username=username, src=src)}
    cache.clear()
    if "warm_result_pages" in get_commands():
        started = time.perf_counter()
        call_command("warm_result_pages", verbosity=0)
        out["warm_up_s"] = round(time.perf_counter() - started, 1)
        out["after_warm_up"] = first_views(pages, username=username, src=src)
    return out


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    port_db, port_web = _free_port(), _free_port()
    print(f"PostgreSQL 15 in {workdir / 'pg'} on 127.0.0.1:{port_db}", flush=True)
    src = snapshot(workdir / "src", args.code)
    with postgres(workdir, port_db) as database_url:
        env = server_env(database_url, workdir)
        data = prepare(env, src, scale=args.scale, lake_scale=args.lake_scale or args.scale)
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS",
                                               "DATABASE_URL", "IKMS_PSEUDONYM_KEY", "IKMS_LAKE_DIR",
                                               "IKMS_LATENT_PATH", "DJANGO_SECURE_SSL_REDIRECT", "IKMS_SHARED_DIR",
                                               "PYTHONPYCACHEPREFIX")})
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the first-view processes, as the server's
        sys.path.insert(0, str(src))  # the same code as the server's
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection, connections
        from django.urls import reverse

        from ikms.monitoring.selectors import school_years

        years = school_years()
        if len(years) < SCHOOL_YEARS_EXPECTED:
            raise RuntimeError(f"indicators for {len(years)} school years, not {SCHOOL_YEARS_EXPECTED}: start from an "
                               f"empty --workdir / rādītāji {len(years)} mācību gadiem, ne {SCHOOL_YEARS_EXPECTED}: "
                               "sāciet ar tukšu --workdir")
        data["school_years"] = years
        pages, routes, missing = page_plan(institutions=args.institutions, stand_ins=args.stand_ins)
        with connection.cursor() as cursor:
            cursor.execute("select version()")
            pg_version = cursor.fetchone()[0].split(" on ")[0]
        login_path, verify_path = reverse("accounts:login"), reverse("accounts:two-factor-verify")
        staff_count = args.users if args.login_only else round(args.users * 0.5)
        logins, second_factor = bench_staff(max(1, staff_count))
        hasher = settings.PASSWORD_HASHERS[0]
        costs: dict[str, dict] = {}
        cold: dict[str, Any] = {}
        if not args.login_only:
            cold = cold_views(pages, username=logins[0][0], src=src)
            costs = page_costs(pages, username=logins[0][0])
            print("single requests: " + "; ".join(f"{k} {v['warm_ms']} ms, {v['queries']} queries"
                                                  for k, v in costs.items()), flush=True)
            print("first view in a fresh worker: " + "; ".join(
                f"{k} {v['ms']} ms" + (f" ({cold['after_warm_up'][k]['ms']} ms after the warm-up)"
                                      if "after_warm_up" in cold else "")
                for k, v in cold["empty"].items()), flush=True)
        connections.close_all()
        if missing:
            print(f"routes missing: {', '.join(missing)}" + (" (stand-ins used)" if args.stand_ins else " (skipped)"))
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1
        print(f"gunicorn: {workers} sync workers on 127.0.0.1:{port_web}; "
              + (f"{len(logins)} staff sign in within {args.ramp:.0f} s" if args.login_only else
                 f"{args.users} users, {args.ramp:.0f} s ramp + {args.duration:.0f} s measured"), flush=True)
        log = workdir / "gunicorn.log"
        log.unlink(missing_ok=True)
        with gunicorn(env, src, port_web, workers, log) as server:
            pg_pid = _postgres_pid(workdir)

            def probe() -> dict[str, float]:
                busy, total = _machine_cpu_s()
                return {"server_cpu_s": _tree_cpu_s(server.pid), "database_cpu_s": _tree_cpu_s(pg_pid),
                        "machine_busy_cpu_s": busy, "machine_total_cpu_s": total}

            base_url = f"http://127.0.0.1:{port_web}"
            if args.login_only:
                result = sign_in_burst(base_url, logins, ramp=args.ramp, login_path=login_path,
                                       second_factor=second_factor, verify_path=verify_path, behind_proxy=True,
                                       probe=probe)
            else:
                result = load(base_url, pages, users=args.users, duration=args.duration, think=args.think,
                              ramp=args.ramp, login=logins, login_path=login_path, behind_proxy=True,
                              seed=args.seed, probe=probe, second_factor=second_factor, verify_path=verify_path)
        logged = _logged_errors(log, log.with_suffix(".out"))
    used = result.pop("probe")
    seconds = result["wall_s"] if args.login_only else args.duration
    result["cpu_cores"] = {
        "server": round(used["server_cpu_s"] / seconds, 2),
        "database": round(used["database_cpu_s"] / seconds, 2),
        "machine_busy": round(used["machine_busy_cpu_s"] / seconds, 2),
    }
    if not args.login_only:
        result["cpu_cores"]["client"] = result.pop("client_cpu_cores")
        if result["requests"]:
            result["server_cpu_ms_per_request"] = round(
                (used["server_cpu_s"] + used["database_cpu_s"]) * 1000 / result["requests"], 1)
        result["cpu_cores"]["other_processes"] = round(max(0.0, result["cpu_cores"]["machine_busy"] - sum(
            result["cpu_cores"][k] for k in ("client", "server", "database"))), 2)
        for name, page in result["pages"].items():
            page["route"] = routes[name]
            page["alone"] = costs[name]
            page["first_view"] = {k: cold[k][name]["ms"] for k in ("empty", "after_warm_up") if k in cold}
            page["met"] = bool(page["requests"]) and page["errors"] == 0 and page["p95_ms"] < TARGET_P95_MS
        if "warm_up_s" in cold:
            result["warm_up_s"] = cold["warm_up_s"]
    else:
        result["login_server_cpu_ms"] = round((used["server_cpu_s"] + used["database_cpu_s"]) * 1000
                                              / max(1, result["login"]["requests"]), 1)
    result.update({
        "target": {"p95_ms_below": TARGET_P95_MS, "errors": 0, "login_p95_ms_below": TARGET_LOGIN_P95_MS},
        "missing_routes": missing, "stand_ins": bool(args.stand_ins and missing),
        "server": {"software": "gunicorn", "worker_class": "sync", "workers": workers,
                   "settings": "config.django.production", "database": pg_version,
                   "password_hasher": hasher, "logged_errors": logged},
        "data": {"scale": args.scale, "lake_scale": args.lake_scale or args.scale, **data},
        "machine": {"cores": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE")
                                                                 * os.sysconf("SC_PHYS_PAGES") / 2**30)},
        **_git(), "code_under_test": args.code or "working tree",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "uv run python -m benchmarks.web " + " ".join(sys.argv[1:]),
    })
    result["login"]["met"] = (result["login"]["errors"] == 0 and result["login"]["p95_ms"] is not None
                              and result["login"]["p95_ms"] < TARGET_LOGIN_P95_MS)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="measured seconds (after the ramp)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time in seconds")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds over which users start (not measured; default 15, 0 with --login-only)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--institutions", type=int, default=20, help="largest secondary schools to visit")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--lake-scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stand-ins", action="store_true", help="use existing pages for missing routes")
    parser.add_argument("--code", default=None, metavar="REVISION",
                        help="serve the files of this commit instead of the working tree (e.g. a baseline)")
    parser.add_argument("--login-only", action="store_true",
                        help="only sign-ins: --users staff accounts sign in once each, started within --ramp "
                             "seconds (0: all at once); no pages")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the database and lake here and reuse them next time (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=None, help=f"results file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args()
    if args.ramp is None:
        args.ramp = 0.0 if args.login_only else 15.0
    if args.users < 1 or args.duration <= 0 or args.think < 0 or args.ramp < 0:
        parser.error("--users ≥ 1, --duration > 0, --think ≥ 0, --ramp ≥ 0 / "
                     "vajag --users ≥ 1, --duration > 0, --think ≥ 0, --ramp ≥ 0")
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="ikms-web-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        result = run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    out = args.out or RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
