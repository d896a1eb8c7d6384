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
                 behind_proxy: bool, timeout: float, seed: int) -> None:
        super().__init__(name=f"user-{index}", daemon=True)
        self.index, self.base_url, self.plan, self.staff = index, base_url.rstrip("/"), plan, staff
        self.login_credentials, self.login_path, self.think = login, login_path, think
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

    def _login(self) -> None:
        assert self.login_credentials is not None
        username, password = self.login_credentials
        wall, started = time.time(), time.perf_counter()
        error = None
        try:
            form = self.session.get(self.base_url + self.login_path, timeout=self.timeout)
            self._unsecure_cookies()
            match = TOKEN_RE.search(form.text)
            if form.status_code != 200 or not match:
                error = f"login form HTTP {form.status_code}" if form.status_code != 200 else "no CSRF token"
            else:
                response = self.session.post(
                    self.base_url + self.login_path, allow_redirects=False, timeout=self.timeout,
                    data={"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)},
                    headers={"Origin": self.origin, "Referer": self.origin + self.login_path})
                if response.status_code != 302 or self.login_path in response.headers.get("Location", ""):
                    error = f"login HTTP {response.status_code}"
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


def load(base_url: str, pages: dict[str, tuple[str, list[str]]], *, users: int, duration: float, think: float,
         ramp: float, login: tuple[str, str] | None = None, login_path: str = "/accounts/login/",
         staff_share: float = 0.5, behind_proxy: bool = False, timeout: float = 30.0, seed: int = 1,
         probe: Callable[[], dict[str, float]] | None = None) -> dict[str, Any]:
    """Run `users` simulated users against `base_url` and measure each page.

    `pages` maps a page name to (audience, paths): audience "staff" pages are requested by users signed
    in with `login`, "public" ones by anonymous users. Users start evenly spread over `ramp` seconds;
    the measured window is the `duration` seconds after the ramp or, if later, after the last user
    has signed in (sign-in hashes the password, which is slow on purpose). `probe` (optional) is called at the
    start and end of the window; the differences of its figures are returned as `probe`."""
    if users < 1 or duration <= 0 or think < 0 or ramp < 0:
        raise ValueError("users ≥ 1, duration > 0, think ≥ 0 and ramp ≥ 0 are required / "
                         "vajag users ≥ 1, duration > 0, think ≥ 0 un ramp ≥ 0")
    staff_plan = [(name, paths) for name, (audience, paths) in pages.items() if audience == "staff" and paths]
    public_plan = [(name, paths) for name, (audience, paths) in pages.items() if audience == "public" and paths]
    if staff_plan and login is None:
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
        threads.append(_User(i, base_url=base_url, plan=staff_plan if staff else public_plan, staff=staff,
                             login=login, login_path=login_path, think=think,
                             start_at=now + ramp * i / users, clock=clock, behind_proxy=behind_proxy,
                             timeout=timeout, seed=seed))
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


def page_costs(pages: dict[str, tuple[str, list[str]]], *, username: str, repeat: int = 5) -> dict[str, dict]:
    """Each page requested alone, in this process (Django's test client, no HTTP): the first request (cold
    per-process caches) and the median of `repeat` more, with the SQL queries of a warm request. This says
    where a page's time goes when nobody else is waiting; the load run says what users see."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ikms.accounts.models import User

    staff, public = Client(HTTP_HOST="127.0.0.1", secure=True), Client(HTTP_HOST="127.0.0.1", secure=True)
    staff.force_login(User.objects.get(username=username))
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


def snapshot(dest: Path) -> Path:
    """A copy of the working tree (tracked and untracked, not ignored files; compiled messages) to serve
    from, so that edits made while the benchmark runs cannot change the code under test halfway. The
    front-end build and node_modules are linked, not copied."""
    shutil.rmtree(dest, ignore_errors=True)
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
    """Production settings: DEBUG off, every secret given, HTTPS assumed to end at a proxy in front."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.production",
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


def prepare(env: dict[str, str], src: Path, *, scale: float, lake_scale: float) -> dict[str, Any]:
    """Migrate, load the demo data (once per database), check the accounts, collect static files."""
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


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    port_db, port_web = _free_port(), _free_port()
    print(f"PostgreSQL 15 in {workdir / 'pg'} on 127.0.0.1:{port_db}", flush=True)
    src = snapshot(workdir / "src")
    with postgres(workdir, port_db) as database_url:
        env = server_env(database_url, workdir)
        data = prepare(env, src, scale=args.scale, lake_scale=args.lake_scale or args.scale)
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS",
                                               "DATABASE_URL", "IKMS_PSEUDONYM_KEY", "IKMS_LAKE_DIR",
                                               "IKMS_LATENT_PATH", "DJANGO_SECURE_SSL_REDIRECT", "IKMS_SHARED_DIR")})
        sys.path.insert(0, str(src))  # the same code as the server's
        import django

        django.setup()
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
        login_path = reverse("accounts:login")
        costs = page_costs(pages, username=STAFF_USERNAME)
        print("single requests: " + "; ".join(f"{k} {v['warm_ms']} ms, {v['queries']} queries"
                                              for k, v in costs.items()), flush=True)
        connections.close_all()
        if missing:
            print(f"routes missing: {', '.join(missing)}" + (" (stand-ins used)" if args.stand_ins else " (skipped)"))
        workers = args.workers or 2 * (os.cpu_count() or 1) + 1
        print(f"gunicorn: {workers} sync workers on 127.0.0.1:{port_web}; {args.users} users, "
              f"{args.ramp:.0f} s ramp + {args.duration:.0f} s measured", flush=True)
        log = workdir / "gunicorn.log"
        log.unlink(missing_ok=True)
        with gunicorn(env, src, port_web, workers, log) as server:
            pg_pid = _postgres_pid(workdir)

            def probe() -> dict[str, float]:
                busy, total = _machine_cpu_s()
                return {"server_cpu_s": _tree_cpu_s(server.pid), "database_cpu_s": _tree_cpu_s(pg_pid),
                        "machine_busy_cpu_s": busy, "machine_total_cpu_s": total}

            result = load(f"http://127.0.0.1:{port_web}", pages, users=args.users, duration=args.duration,
                          think=args.think, ramp=args.ramp, login=(STAFF_USERNAME, DEMO_PASSWORD),
                          login_path=login_path, behind_proxy=True, seed=args.seed, probe=probe)
        logged = _logged_errors(log, log.with_suffix(".out"))
    used = result.pop("probe")
    result["cpu_cores"] = {
        "client": result.pop("client_cpu_cores"),
        "server": round(used["server_cpu_s"] / args.duration, 2),
        "database": round(used["database_cpu_s"] / args.duration, 2),
        "machine_busy": round(used["machine_busy_cpu_s"] / args.duration, 2),
    }
    if result["requests"]:
        result["server_cpu_ms_per_request"] = round(
            (used["server_cpu_s"] + used["database_cpu_s"]) * 1000 / result["requests"], 1)
    result["cpu_cores"]["other_processes"] = round(max(0.0, result["cpu_cores"]["machine_busy"] - sum(
        result["cpu_cores"][k] for k in ("client", "server", "database"))), 2)
    for name, page in result["pages"].items():
        page["route"] = routes[name]
        page["alone"] = costs[name]
        page["met"] = bool(page["requests"]) and page["errors"] == 0 and page["p95_ms"] < TARGET_P95_MS
    result.update({
        "target": {"p95_ms_below": TARGET_P95_MS, "errors": 0},
        "missing_routes": missing, "stand_ins": bool(args.stand_ins and missing),
        "server": {"software": "gunicorn", "worker_class": "sync", "workers": workers,
                   "settings": "config.django.production", "database": pg_version,
                   "logged_errors": logged},
        "data": {"scale": args.scale, "lake_scale": args.lake_scale or args.scale, **data},
        "machine": {"cores": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE")
                                                                 * os.sysconf("SC_PHYS_PAGES") / 2**30)},
        **_git(), "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "uv run python -m benchmarks.web " + " ".join(sys.argv[1:]),
    })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="measured seconds (after the ramp)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time in seconds")
    parser.add_argument("--ramp", type=float, default=15, help="seconds over which users start (not measured)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--institutions", type=int, default=20, help="largest secondary schools to visit")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--lake-scale", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stand-ins", action="store_true", help="use existing pages for missing routes")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the database and lake here and reuse them next time (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=None, help=f"results file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args()
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
