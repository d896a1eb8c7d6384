"""Start-up checks of the case core: case documents stay outside the static files and the web root."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from ikms.core.pdf import has_unicode_font


def _inside(path: Path, folder) -> bool:
    if not folder:
        return False
    try:
        path.resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


@checks.register()
def private_root_check(app_configs, **kwargs):
    """IKMS_PRIVATE_MEDIA_ROOT must not lie inside a folder that is served to anyone (ADR 0022)."""
    root = Path(settings.IKMS_PRIVATE_MEDIA_ROOT)
    served = [
        settings.STATIC_ROOT,
        getattr(settings, "MEDIA_ROOT", ""),
        *[d[1] if isinstance(d, tuple | list) else d for d in settings.STATICFILES_DIRS],
    ]
    if any(_inside(root, folder) for folder in served):
        return [
            checks.Error(
                "IKMS_PRIVATE_MEDIA_ROOT lies inside a folder served to the web; case documents "
                "must be reachable only through the download view.",
                id="ikms.cases.E001",
            )
        ]
    return []


@checks.register()
def letter_font_check(app_configs, **kwargs):
    """Letters need a font with Latvian letters (DejaVu Sans, Debian's fonts-dejavu-core)."""
    if not has_unicode_font():
        return [
            checks.Warning(
                "DejaVu Sans is not installed: PDF letters and reports will lose Latvian letters.",
                hint="apt-get install fonts-dejavu-core",
                id="ikms.cases.W001",
            )
        ]
    return []
