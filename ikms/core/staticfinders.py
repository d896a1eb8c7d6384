"""Plotly's browser bundle straight from the pip package (no CDN, nothing copied into the repository):
only `plotly/plotly.min.js` is exposed, not the package's other data."""

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_PATH = "plotly/plotly.min.js"


def _plotly_dir() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data"


class PlotlyFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == PLOTLY_PATH:
            found = str(_plotly_dir() / "plotly.min.js")
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(_plotly_dir()))
        storage.prefix = "plotly"
        yield "plotly.min.js", storage
