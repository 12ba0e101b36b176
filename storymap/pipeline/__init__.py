"""The one module that knows the order of the stages.

Each text is read alone — text → passages (normalised, with offsets) → people → place
mentions → resolved places → date expressions → events — into a
:class:`~storymap.pipeline.analysis.DocumentAnalysis` (:func:`analyse`); :func:`combine` then makes
the Story from the analyses: a text that names no year takes the story's
(:func:`with_year`), the same event told by several texts is merged, and the story gets
its places, mentions, dates and credits. Nothing one document says changes how another is
read: surnames, the focus of the resolver and the vocabulary of repairs are each
document's own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..geo.gazetteer import Gazetteer, load_gazetteer, polygons
from ..lang import Profile, load_profile
from ..model import Document, Event, Place, Story
from ..resolvers import DEFAULT_RESOLVERS, Resolver, get_resolver, is_online, online_resolvers
from ..resolvers.base import Candidate, OnlineResolver
from ..text.display import with_display_edits
from ..text.passages import normalise
from ..text.repair import gap_words, repair, repairs, vocabulary
from .analysis import Corrections, DocumentAnalysis
from .backends import (
    MAX_CANDIDATES,
    backends_of,
    candidates_of,
    gazetteer_vocabulary,
    remembering,
    single_words,
)
from .credits import story_attributions
from .dates import find_dates, story_year, warn_if_yearless
from .events import build_events, merge_events
from .mentions import find_mentions, known_names
from .nearby import keep_nearby
from .online import OnlineRun, lookup_documents
from .people import find_people, surnames
from .resolve import ResolvedMention, resolve_mentions
from .sources import SourceText, builtin_texts, read_texts, text_title
from .timeorder import looks_back, order_events

__all__ = ["OnlineRun", "SourceText", "Timings", "analyse", "build_story",
           "build_story_from_texts", "builtin_texts", "combine", "look_up_online", "read_texts",
           "reassemble", "remembering", "with_year"]

@dataclass
class Timings:
    """Seconds spent per stage (filled in when passed to build_story_from_texts)."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - t0


def build_story(paths: Sequence[Path], *, resolvers: Sequence[str] = DEFAULT_RESOLVERS,
                title: str | None = None, timings: Timings | None = None,
                corrections: Corrections | None = None, year: int | None = None,
                online: OnlineRun | None = None) -> Story:
    """Read text files and build one story from them (``corrections`` as in :func:`combine`,
    ``online`` as in :func:`build_story_from_texts`).

    Raises InputError (or a subclass) for a file that is not a readable UTF-8 text and
    ConfigError for an unknown resolver name.
    """
    clock = timings or Timings()
    with clock.stage("read"):
        texts = read_texts(paths)
    with clock.stage("gazetteer"):  # loading the resolvers loads the gazetteer
        backends = [get_resolver(name) for name in resolvers]
    return build_story_from_texts(texts, resolvers=backends, title=title, timings=clock,
                                  corrections=corrections, year=year, online=online)


def build_story_from_texts(texts: Sequence[SourceText], *,
                           resolvers: Sequence[Resolver] | None = None, title: str | None = None,
                           timings: Timings | None = None,
                           corrections: Corrections | None = None,
                           year: int | None = None, language: str = "en",
                           online: OnlineRun | None = None) -> Story:
    """Build one story from texts already in memory (the library entry point).

    Each text is analysed alone (:func:`analyse`); then, when an online resolver is among
    ``resolvers``, the names no text's offline reading placed are looked up online for all
    texts at once (:func:`look_up_online`: ``online`` caps the requests and hears the
    progress); then the analyses are combined (:func:`combine`), applying ``corrections``
    if given — the names they settle are never sent. ``year`` (``--year``) dates the texts
    that name no year of their own; ``language`` names the word profile the texts are read
    by (``storymap/lang/<code>``).
    """
    clock = timings or Timings()
    given = backends_of(resolvers)
    web = online_resolvers(given)
    offline = remembering([b for b in given if not is_online(b)])
    with clock.stage("gazetteer"):
        gazetteer = load_gazetteer()
    analyses = [analyse(t, gazetteer=gazetteer, resolvers=offline, timings=clock,
                        default_year=year, language=language) for t in texts]
    if web:
        with clock.stage("online"):
            analyses = look_up_online(analyses, web, run=online or OnlineRun(),
                                      settled=corrections.settles if corrections else None,
                                      gazetteer=gazetteer)
    return combine(analyses, corrections, title=title, gazetteer=gazetteer, timings=clock,
                   year=year)


def analyse(source: SourceText, *, gazetteer: Gazetteer | None = None,
            resolvers: Sequence[Resolver] | None = None, default_year: int | None = None,
            timings: Timings | None = None, language: str = "en") -> DocumentAnalysis:
    """Read one text alone into a DocumentAnalysis.

    The result depends only on the text, the gazetteer and the resolvers: what other texts
    of a story say never changes it. ``default_year`` dates a text that names no year of
    its own (:func:`combine` passes the story's through :func:`with_year`). ``language``
    names the profile whose words every stage reads by (``storymap/lang/<code>``). Never
    raises on text; raises GazetteerError or GeocoderError when a resolver is broken and
    ConfigError for an unknown language.
    """
    clock = timings or Timings()
    gaz = gazetteer or load_gazetteer()
    given = backends_of(resolvers)
    web = online_resolvers(given)
    backends = [b for b in given if not is_online(b)]
    profile = load_profile(language)
    with clock.stage("passages"):
        passages = normalise(source.text, doc=source.id, profile=profile)
    with clock.stage("mentions"):
        people = find_people(passages, place_words=single_words(gaz), profile=profile,
                             known=known_names(gaz))
        mentions = find_mentions(passages, gazetteer=gaz, surnames=surnames(people),
                                 profile=profile, weak=True)
    with clock.stage("resolve"):
        resolved = resolve_mentions(mentions, resolvers=backends, profile=profile,
                                    passages=passages)
        resolved = keep_nearby(resolved)  # names without a cue: among the text's places
    with clock.stage("resolve"):
        candidates = candidates_of(resolved, backends)
    year = story_year([source.text], profile=profile)
    document = Document(id=source.id, title=source.title or _doc_title(source),
                        text=source.text, url=source.url, license=source.license)
    empty = DocumentAnalysis(document=document, passages=passages, people=people,
                             mentions=resolved, candidates=candidates, dates=(), events=(),
                             year=year, default_year=None,
                             resolvers=tuple(b.name for b in backends), language=language)
    analysis = reassemble(empty, default_year=year if year is not None else default_year,
                          gazetteer=gaz, timings=clock)
    if web:  # asked only when the user named an online resolver
        with clock.stage("online"):
            (analysis,) = look_up_online([analysis], web, run=OnlineRun(), gazetteer=gaz)
    return analysis


def look_up_online(analyses: Sequence[DocumentAnalysis], online: Sequence[OnlineResolver], *,
                   run: OnlineRun, settled: Callable[[str, str], bool] | None = None,
                   gazetteer: Gazetteer | None = None) -> list[DocumentAnalysis]:
    """Look up online the names the analyses left unplaced (storymap.pipeline.online).

    The near answers become the names' places (each changed document's events rebuilt,
    its text not read again); every answer joins the name's candidates, so the ones that
    were too far to pin are the reviewer's proposals. Names ``settled(doc, name)`` (by a
    correction) are not asked about. Never raises for a failing service (``run.failure``).
    """
    docs = [(a.id, a.mentions) for a in analyses]
    languages = {a.id: a.language for a in analyses}
    results = lookup_documents(
        docs, online, run, settled=settled,
        articles=lambda doc: load_profile(languages.get(doc, "en")).words("articles"))
    names = tuple(r.name for r in online)
    out = []
    for a, (mentions, answers) in zip(analyses, results, strict=True):
        used = (*a.resolvers, *(n for n in names if n not in a.resolvers))
        if not answers:
            out.append(replace(a, resolvers=used))
            continue
        candidates = dict(a.candidates)
        for key, found in answers.items():
            # the answers first: offline, this name found nothing it could use
            ids = {c.id for c in found}
            rest = [c for c in candidates.get(key, ()) if c.id not in ids]
            candidates[key] = tuple([*found, *rest][:MAX_CANDIDATES])
        changed = replace(a, candidates=candidates, resolvers=used)
        out.append(reassemble(changed, default_year=a.default_year, mentions=mentions,
                              gazetteer=gazetteer) if mentions != a.mentions else changed)
    return out


def reassemble(analysis: DocumentAnalysis, *, default_year: int | None,
               mentions: Sequence[ResolvedMention] | None = None,
               gazetteer: Gazetteer | None = None,
               timings: Timings | None = None) -> DocumentAnalysis:
    """Date an analysis with ``default_year`` and rebuild its events, without rereading it.

    ``mentions`` replaces the analysis's resolved mentions (the seam for corrections that
    make a name a place, or not a place, in one document). Events keep their stable ids.
    """
    clock = timings or Timings()
    analysis = analysis.restored()  # dates and events are read from the passages
    resolved = tuple(analysis.mentions if mentions is None else mentions)
    profile = load_profile(analysis.language)
    with clock.stage("dates"):
        if default_year == analysis.default_year and analysis.dates:
            dates = analysis.dates
        else:
            dates = find_dates(analysis.passages, default_year=default_year, profile=profile)
    with clock.stage("events"):
        built = build_events(analysis.passages, resolved, dates, analysis.people,
                             profile=profile)
        events = _distinct_ids(_repaired(built, [analysis.document.text],
                                         gazetteer or load_gazetteer()))
    return replace(analysis, mentions=resolved, dates=dates, events=tuple(events),
                   default_year=default_year)


def with_year(analysis: DocumentAnalysis, year: int | None, *,
              gazetteer: Gazetteer | None = None) -> DocumentAnalysis:
    """Return the analysis dated with the story's ``year`` if its text names no year itself.

    A text with a year of its own is returned unchanged: the story never moves its dates.
    """
    if analysis.year is not None or year is None or analysis.default_year == year:
        return analysis
    return reassemble(analysis, default_year=year, gazetteer=gazetteer)


def combine(analyses: Sequence[DocumentAnalysis], corrections: Corrections | None = None, *,
            title: str | None = None, gazetteer: Gazetteer | None = None,
            timings: Timings | None = None, year: int | None = None) -> Story:
    """Make one Story from document analyses, in the order given.

    Texts without a year of their own take the story's (the dominant year of the others);
    the same event told by several texts becomes one event with several sources, keeping
    the id of its first source (first document given, then text order); places, mentions,
    dates and the credits (the texts and the datasets of the places used) are gathered.

    ``corrections`` is the seam for a user's corrections (issue 8, see
    :class:`~storymap.pipeline.analysis.Corrections`): applied to the analyses before they are
    combined, then to the story. None applies nothing. Raises InputError when two
    analyses have the same document id.
    """
    clock = timings or Timings()
    docs = list(analyses)
    _check_ids(docs)
    if corrections is not None:  # corrections look for names in the passages
        docs = list(corrections.analyses([a.restored() for a in docs]))
    if any(a.year is None for a in docs):
        if year is None:  # --year first, else the other texts' year
            dated = [a for a in docs if a.year is not None]
            year = story_year([a.document.text for a in dated],
                              profile=load_profile(dated[0].language if dated else "en"))
        docs = [with_year(a, year, gazetteer=gazetteer) for a in docs]
        for a in docs:  # alone, with no --year: say so rather than guess (storymap.pipeline.dates)
            if a.year is None and a.default_year is None:
                warn_if_yearless(a.restored().passages, profile=load_profile(a.language))
    with clock.stage("events"):
        merged = merge_events([e for a in docs for e in a.events])
        # Letters one revision lost may be restored from another's words: display only
        # (quotes, titles, people), never the mentions, dates or places.
        if len(docs) > 1:
            merged = _repaired(merged, [a.document.text for a in docs], gazetteer)
        # Which events look back is a matter of language: decided here, stored on the event,
        # so no output reads a profile (storymap.pipeline.timeorder.looks_back).
        language = {a.id: a.language for a in docs}
        merged = [_looking_back(e, load_profile(
            language.get(e.sources[0].doc if e.sources else "", "en"))) for e in merged]
        merged = order_events(merged)  # by day, then time of day (storymap.pipeline.timeorder)
    with clock.stage("story"):
        places = _places(p for a in docs for p in a.named_places())
        story = Story(
            title=title or (_heading_title(docs[0].document) if docs else "Empty story"),
            documents=tuple(a.document for a in docs),
            places=places,
            events=tuple(merged),
            mentions=tuple(m for a in docs for m in a.mention_records()),
            dates=tuple(d for a in docs for d in a.date_records()),
            attributions=story_attributions([a.document for a in docs], places),
        )
    if corrections is not None:
        story = corrections.story(story)
        # a correction may add a place from another dataset, or drop the last one of one
        story = replace(story, attributions=story_attributions(story.documents, story.places))
    with clock.stage("story"):
        # How each text reads on the page, carried in the model: outputs read, never re-read.
        story = with_display_edits(story, {a.id: a.passages for a in docs if a.passages},
                                   known={a.id: a.records.edits for a in docs
                                          if a.records is not None})
    return story


def _looking_back(event: Event, profile: Profile) -> Event:
    back = looks_back(event, profile=profile)
    return event if event.continuing == back else replace(event, continuing=back)


def _check_ids(docs: Sequence[DocumentAnalysis]) -> None:
    """Refuse two texts with one id: their quotes, mentions and ids would be mixed up."""
    seen: set[str] = set()
    for a in docs:
        if a.id in seen:
            raise InputError(f"two texts have the id {a.id!r} (a file's name without its "
                             "extension); rename one of them so each text has its own id")
        seen.add(a.id)


def _distinct_ids(events: Sequence[Event]) -> list[Event]:
    """Tell apart the events of one sentence (one per dated clause): "-2", "-3" in order."""
    seen: dict[str, int] = {}
    out = []
    for e in events:
        n = seen[e.id] = seen.get(e.id, 0) + 1
        out.append(e if n == 1 else replace(e, id=f"{e.id}-{n}"))
    return out


def _repaired(events: Sequence[Event], texts: Sequence[str],
              gazetteer: Gazetteer | None) -> list[Event]:
    """Show quotes, titles and people with letters WikiText lost restored where sure.

    The vocabulary is the gazetteer's names (None: the default one, loaded only when a
    quote has a gap) and ``texts``: an analysis uses its own text; ``combine`` then tries
    the story's other texts on the gaps left.
    """
    gaps = gap_words(e.quote for e in events)
    if not gaps:
        return list(events)
    table = repairs(gaps, vocabulary(texts) | gazetteer_vocabulary(gazetteer or load_gazetteer()))
    return [replace(e, quote=repair(e.quote, table), title=repair(e.title, table),
                    people=tuple(repair(p, table) for p in e.people)) for e in events]


def _doc_title(t: SourceText) -> str:
    return text_title(t.text) or t.id


def _heading_title(doc: Document) -> str:
    """The story's title from its first text: its heading, else its first line."""
    return text_title(doc.text) or doc.id


def _places(named: Iterable[Candidate]) -> tuple[Place, ...]:
    """The story's places: each named place once (the first of an id), as Place."""
    shapes = polygons()
    seen: dict[str, Candidate] = {}
    for c in named:
        seen.setdefault(c.id, c)
    return tuple(
        Place(id=c.id, name=c.name, lat=c.lat, lon=c.lon, kind=c.kind, names=dict(c.names),
              country=c.country, source=c.source,
              geometry=shapes.get(c.id) or c.geometry, estimated=c.estimated)
        for c in seen.values()
    )
