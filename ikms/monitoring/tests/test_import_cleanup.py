"""An import killed with SIGKILL while it writes its part leaves the lake as it was, apart from an
invisible `.tmp-*` file; the next `manage.py import_data`, of any dataset, removes that file."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from analytics.imports import import_file
from analytics.imports.personal_code import legacy_code
from ikms.registry.testing import municipal_founder, register_institution

REPO = Path(django_settings.BASE_DIR)
KEY = b"test-pseudonym-key"
YEAR = "2023/2024"

IMPORT_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from analytics.imports import import_file
    import_file("absences", Path(sys.argv[1]), lake_root=Path(sys.argv[2]), school_year="2023/2024",
                known_institutions={sys.argv[3]}, known_programmes=set(), pseudonym_key=b"test-pseudonym-key")
""")


def absences_csv(path: Path, institution: str, rows: int) -> Path:
    """`rows` valid absence records with distinct keys (1,000 learners, one record a day each)."""
    learners = [legacy_code(datetime.date(2010, 1, 1) + datetime.timedelta(days=i % 500), i // 500 + 100)
                for i in range(1000)]
    day = datetime.date(2023, 9, 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("personal_code,institution,date,semester,lessons,reason\n")
        for i in range(rows):
            d = day + datetime.timedelta(days=i // 1000)
            fh.write(f"{learners[i % 1000]},{institution},{d.isoformat()},{1 if d.month >= 9 else 2},"
                     f"{1 + i % 9},illness\n")
    return path


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def temp_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".tmp-*"))


def kill_while_writing(csv: Path, lake: Path, institution: str) -> bool:
    """Run the import in a child process and SIGKILL it as soon as a `.tmp-*` file appears in the
    lake. False if the import finished first (the file was too small to catch it writing)."""
    proc = subprocess.Popen([sys.executable, "-c", IMPORT_SCRIPT, str(csv), str(lake), institution], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        while proc.poll() is None:
            if temp_files(lake):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode == -signal.SIGKILL:
        return True
    assert proc.returncode == 0, err.decode()
    return False


@pytest.mark.django_db
def test_killed_import_is_invisible_and_the_next_import_data_cleans_up(officer, settings, tmp_path):
    school = register_institution(actor=officer, founder=municipal_founder("LV-RIX"))
    reg = school.registration_number
    for attempt, rows in enumerate((300_000, 1_200_000, 4_800_000)):
        lake = tmp_path / f"lake-{attempt}"
        # The lake holds one committed part of the dataset before the killed import starts.
        seed = import_file("absences", absences_csv(tmp_path / f"seed-{attempt}.csv", reg, 2000), lake_root=lake,
                           school_year=YEAR, known_institutions={reg}, known_programmes=set(), pseudonym_key=KEY)
        assert seed.status == "imported"
        before = snapshot(lake)
        big = absences_csv(tmp_path / f"big-{attempt}.csv", reg, rows)
        if kill_while_writing(big, lake, reg):
            break
    else:
        pytest.fail("every import finished before its temp file could be seen")

    after = snapshot(lake)
    leftovers = temp_files(lake)
    assert leftovers, "the killed import left its temp file"
    assert not [name for name in leftovers if name.endswith(".parquet")]  # readers glob *.parquet
    assert {k: v for k, v in after.items() if k not in leftovers} == before  # nothing else changed
    assert sorted(p.name for p in lake.rglob("*.parquet")) == sorted(Path(k).name for k in before
                                                                      if k.endswith(".parquet"))

    # The next import of another dataset starts by removing the dead import's temp files.
    settings.IKMS_LAKE_DIR = lake
    classes = tmp_path / "classes.csv"
    classes.write_text(f"institution,class_id,grades,combined,learners\n{reg},7.a,7,false,24\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "classes", str(classes), "--year", YEAR, stdout=out)
    assert "importētas" in out.getvalue()
    assert temp_files(lake) == []
    assert {k: v for k, v in snapshot(lake).items() if k.startswith("absences/")} == before
