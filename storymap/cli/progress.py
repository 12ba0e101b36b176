"""A progress bar while texts are read, on a terminal only.

tqdm rather than rich: it is one small pure-Python package with no dependencies of its
own (rich brings pygments and markdown-it and costs ~10x the import time), it writes to
standard error, and it draws nothing but a bar — all a build needs. When standard error is
not a terminal (a pipe, a log file, CI) nothing is drawn at all.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """Called with (texts done, texts in all); draws on standard error if it is a terminal.

    Only for two texts or more (one text has nothing to show); closed by :meth:`close`
    (also as a context manager) so the lines after it start clean.
    """

    def __init__(self, *, what: str = "reading") -> None:
        self.what = what
        self.bar: Any = None
        self.shown = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.shown or total < 2:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.what, unit=" texts", file=sys.stderr,
                            leave=False, dynamic_ncols=True)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
