"""Production settings: required secrets have no default and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.django.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "ikms.example.lv",
    "DATABASE_URL": "sqlite:////tmp/ikms-deploy-check.sqlite3",
    "IKMS_PSEUDONYM_KEY": "a-production-pseudonym-key",
}


def _run(env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "IKMS_"))}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=False)


def test_check_deploy_reports_no_warnings():
    result = _run(PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
