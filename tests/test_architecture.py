"""Architecture rules that code review alone would miss."""

import ast
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The apps from top to bottom (ADR 0018); a higher one may import a lower one, never the reverse.
LAYERS = ["web", "reports", "portal", "crosschecks", "inspections", "complaints", "accreditation", "attendance",
          "monitoring",
          "licensing | psychologists | convictions | childcare | practice | courses | statements", "cases",
          "registry", "accounts", "core"]


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter's contracts (pyproject.toml's [tool.importlinter]) on the packages under `root`."""
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache", "--no-logo"],
        cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(root)})


def _copy_sources(dest: Path) -> None:
    """The Python files of ikms/, config/ and analytics/ and pyproject.toml: all import-linter reads."""
    for package in ("ikms", "config", "analytics"):
        for path in (ROOT / package).rglob("*.py"):
            target = dest / path.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")


def test_the_layer_contract_lists_every_app_in_the_adr_order():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "ikms-layers")
    assert layers["type"] == "layers" and layers["containers"] == ["ikms"]
    assert layers["layers"] == LAYERS
    assert layers["exhaustive"] is True  # a new app fails the check until it is given its place
    assert "ignore_imports" not in layers  # no exceptions, tests included
    apps = {p.parent.name for p in (ROOT / "ikms").glob("*/__init__.py")}
    assert apps == {app.strip() for layer in LAYERS for app in layer.split("|")}  # "a | b": independent siblings


def test_the_import_contracts_are_kept():
    """`lint-imports` on the real tree: the apps' layers, config/ above ikms, analytics/ without Django."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


UPWARD = {
    # a module-level import of a higher layer, the kind core used to have
    "module-level": ("ikms/core/exceptions.py", "\nfrom ikms.accounts.models import User  # noqa\n",
                     "ikms.core.exceptions -> ikms.accounts.models"),
    # an import inside a function: the cycle monitoring <-> accreditation hid this way
    "in a function": ("ikms/monitoring/selectors/risks.py",
                      "\n\ndef _hidden():\n    from ikms.accreditation.models import Case\n\n    return Case\n",
                      "ikms.monitoring.selectors.risks -> ikms.accreditation.models"),
    # under TYPE_CHECKING, where it costs nothing at run time but is still an upward dependency
    "type-checking only": ("ikms/registry/models.py",
                           "\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                           "    from ikms.web import dossier  # noqa\n",
                           "ikms.registry.models -> ikms.web.dossier"),
    # analytics reaching into Django
    "analytics imports django": ("analytics/run.py", "\nimport django  # noqa\n", "analytics.run -> django"),
}


@pytest.mark.parametrize("case", [None, *UPWARD])
def test_the_layer_check_fails_on_a_new_upward_import(tmp_path, case):
    """The check on a copy of the sources: unchanged it passes; with one import against the layers it fails and
    names the import."""
    _copy_sources(tmp_path)
    if case is not None:
        path, line, expected = UPWARD[case]
        with (tmp_path / path).open("a", encoding="utf-8") as f:
            f.write(line)
    result = _lint_imports(tmp_path)
    if case is None:
        assert result.returncode == 0, result.stdout + result.stderr
        return
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout and expected in result.stdout.replace("\n", " "), result.stdout


def test_a_new_app_must_be_given_its_layer(tmp_path):
    _copy_sources(tmp_path)
    (tmp_path / "ikms" / "supervision").mkdir()
    (tmp_path / "ikms" / "supervision" / "__init__.py").write_text("")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1 and "ikms.supervision" in result.stdout, result.stdout + result.stderr


def test_analytics_never_imports_django():
    for path in (ROOT / "analytics").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("django", "ikms", "config")), f"{path}: imports {name}"


def test_analytics_imports_without_django_installed_settings():
    code = "import sys, analytics; assert 'django' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr


def test_register_models_are_not_written_outside_services():
    """Register rows change only in services (and migrations, demo, tests): no .save()/.update()
    on register models in views, forms, APIs or admin."""
    offenders = []
    for name in ("views.py", "forms.py", "api.py", "admin.py", "filters.py"):
        for path in (ROOT / "ikms").rglob(name):
            text = path.read_text(encoding="utf-8")
            for bad in (".save(", ".update(", ".delete(", "objects.create("):
                if bad in text and path.parent.name == "registry":
                    offenders.append(f"{path.relative_to(ROOT)}: {bad}")
    assert offenders == []
