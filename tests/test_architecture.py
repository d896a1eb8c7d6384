"""Architecture rules that code review alone would miss."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
