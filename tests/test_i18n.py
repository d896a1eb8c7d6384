"""Latvian is the default and every message is translated; classifier content has both languages."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from ikms.registry.models import InstitutionKind, InstitutionType, Municipality

PO = Path(settings.BASE_DIR) / "locale" / "lv" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "node_modules", "build", "staticfiles", "var", ".git", "docs", "benchmarks"]
SOURCES = ["ikms", "templates", "config"]


def _untranslated(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_catalogue_is_fully_translated():
    po = polib.pofile(str(PO))
    assert len(po) > 200
    assert _untranslated(po) == []


def test_no_new_untranslated_messages_in_the_code(tmp_path, monkeypatch):
    """Extract messages afresh (makemessages) into a copy of the catalogue: nothing may be missing.

    makemessages writes beside the sources it scans, so it runs in a scratch tree of symlinks to the
    sources; the project's own catalogue is never touched."""
    scratch = tmp_path / "src"
    scratch.mkdir()
    for name in SOURCES:
        (scratch / name).symlink_to(Path(settings.BASE_DIR) / name)
    target = scratch / "locale" / "lv" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "django.po")
    before = PO.read_bytes()
    monkeypatch.chdir(scratch)
    with override_settings(LOCALE_PATHS=[str(scratch / "locale")]):
        call_command("makemessages", locale=["lv"], ignore_patterns=IGNORE, no_location=True, symlinks=True,
                     verbosity=0)
    assert PO.read_bytes() == before
    fresh = polib.pofile(str(target / "django.po"))
    missing = _untranslated(fresh)
    assert missing == [], f"untranslated messages (run makemessages and translate): {missing[:20]}"


def test_latvian_is_default_and_english_complete(client, db):
    lv = client.get("/registrs/iestades/").content.decode()
    assert '<html lang="lv"' in lv
    assert "Izglītības iestāžu reģistrs" in lv
    en = client.get("/en/registrs/iestades/").content.decode()
    assert '<html lang="en"' in en
    assert "Register of educational institutions" in en
    assert "Izglītības iestāžu reģistrs" not in en


@pytest.mark.django_db
def test_classifier_content_carries_both_languages():
    for model in (Municipality, InstitutionKind, InstitutionType):
        rows = list(model.objects.all())
        assert rows
        for row in rows:
            assert row.name_lv.strip()
            assert row.name_en.strip()
    riga = Municipality.objects.get(code="LV-RIX")
    from django.utils.translation import override

    with override("en"):
        assert riga.name == "Riga"
    with override("lv"):
        assert riga.name == "Rīga"
