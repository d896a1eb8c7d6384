"""A computation killed with SIGKILL leaves the previous results in place, never half written, and its run is
marked failed on the next start.

The computations run as `manage.py compute_indicators` processes against an instance of their own (a new
SQLite file and a generated lake), so that killing one kills a real process mid-run."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.synth import generate_lake
from analytics.synth.institutions import example_institutions

REPO = Path(__file__).resolve().parents[3]
YEAR = "2023/2024"


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def runs(db: Path) -> list[tuple[int, str, int]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT id, status, (SELECT count(*) FROM monitoring_indicatorvalue v "
                           "WHERE v.run_id = r.id) FROM monitoring_computationrun r ORDER BY id").fetchall()


def test_a_killed_computation_leaves_the_previous_results(tmp_path: Path) -> None:
    db, lake = tmp_path / "ikms.sqlite3", tmp_path / "lake"
    generate_lake(example_institutions(scale=0.05, seed=5), lake, scale=0.05, seed=5,
                  latent_path=tmp_path / "latent.parquet")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.local", "DATABASE_URL": f"sqlite:///{db}",
           "IKMS_LAKE_DIR": str(lake), "IKMS_PLAN_DIR": ""}
    assert manage(env, "migrate", "--no-input", "-v0").returncode == 0
    done = manage(env, "compute_indicators", "--year", YEAR)
    assert done.returncode == 0, done.stderr
    [(first, status, values)] = runs(db)
    assert status == "done" and values > 0

    for attempt in range(40):  # kill the next computation while it runs (at a later moment each time)
        process = subprocess.Popen([sys.executable, "manage.py", "compute_indicators", "--year", YEAR], cwd=REPO,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if any(s == "running" for _, s, _ in runs(db)):
                time.sleep(0.05 * attempt)
                break
            time.sleep(0.02)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            if any(s == "running" for _, s, _ in runs(db)):
                break
    else:
        pytest.fail("no computation could be killed while it ran")
    killed = next(pk for pk, s, _ in runs(db) if s == "running")
    # Never half written: the killed run has no values; the previous complete run still has all of its own.
    assert dict((pk, n) for pk, _, n in runs(db))[killed] == 0
    assert dict((pk, n) for pk, _, n in runs(db))[first] == values

    # The next start marks it failed (and computes again).
    again = manage(env, "compute_indicators", "--year", YEAR)
    assert again.returncode == 0, again.stderr
    assert "pārtraukts" in again.stderr.lower() or "interrupted" in again.stderr.lower()
    status = {pk: s for pk, s, _ in runs(db)}
    assert status[killed] == "failed" and status[first] == "done"
    with sqlite3.connect(db) as con:
        [(error,)] = con.execute("SELECT error FROM monitoring_computationrun WHERE id = ?", (killed,)).fetchall()
    assert "Interrupted" in error and "Pārtraukts" in error
