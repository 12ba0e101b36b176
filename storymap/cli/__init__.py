"""The ``storymap`` command line: click commands over the library (``storymap.cli.main``)."""

from .main import EXPORT_FORMATS, main, run

__all__ = ["EXPORT_FORMATS", "main", "run"]
