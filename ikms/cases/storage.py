"""Where case documents are kept: a file-system storage under settings.IKMS_PRIVATE_MEDIA_ROOT, outside the static
files and with no public address (`url()` refuses), so a document is reachable only through the download view,
which checks access and writes an audit event (ADR 0022). The root is read from the settings at each use, so a
test can point it at a folder of its own."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at IKMS_PRIVATE_MEDIA_ROOT, without URLs."""

    def __init__(self) -> None:
        super().__init__(directory_permissions_mode=0o750, file_permissions_mode=0o640)

    @property
    def base_location(self):  # type: ignore[override]
        return str(settings.IKMS_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(settings.IKMS_PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("case documents have no public address; use the download view")

    def _clear_cached_properties(self, setting, **kwargs):
        """Nothing is cached: the root is read from the settings at each use."""


_STORAGE = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of case documents (a callable, so migrations refer to it by name)."""
    return _STORAGE
