"""Imported by the fork server before it forks the workers (storymap.corpus.engines): the
reader made ready once, in the one process every worker is forked from.

Each worker's first text used to pay for building the English profile's patterns (date
grammar, place words, lexicons: ~0.1 s of regular expressions) and loading the gazetteer,
each worker for itself, at the start of every build. Read here once, from a line of text,
without any resolver (no GeoNames or pack database is opened: a fork must not copy an
open SQLite connection), they are inherited by every worker; ``gc.freeze`` keeps the
collector from walking (and so copying) the inherited objects in each of them.

A failure here only loses the head start: the workers build what they need themselves.
"""

from __future__ import annotations

import contextlib
import gc

with contextlib.suppress(Exception):
    from ..pipeline import SourceText, analyse

    analyse(SourceText(id="warm-up", text="On 4 July 1863 General Grant's army entered "
                       "Vicksburg, Mississippi, at 10 a.m. on the morning after the siege."),
            resolvers=[])
gc.freeze()
