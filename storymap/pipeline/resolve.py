"""Stage 3: place mentions → resolved places (or None: "not found" is data).

Each resolver proposes candidates for a mention's name; the choice among them uses:

* the source: curated places/ beat GeoNames, which beats online geocoders;
* how well the name fits: a place's own name beats one of its aliases;
* the story's focus: the country and centre of the places resolved without doubt (in the
  1956 story, Hungary and Budapest), so "Józsefváros" is the Budapest district;
* the places named without doubt in the same paragraph ("Gettysburg, Pennsylvania"), else
  anywhere in the document, and the first-level divisions that hold several of them: in a
  story of Ontario towns "London" is London, Ontario (storymap.pipeline.context);
* population, so "Brest" is the city of 340,000 in Belarus rather than the French port.

The name's form narrows the candidates first (``context.prefer``): "the Rapidan" and "Red
River" are rivers, a bare "Wexford" the town rather than its county; a curated landmark of
one region is a candidate only in a document with a sure place in that region.

Names found only by a locative cue ("in Szeged") must resolve to a populated place of some
size, or they stay unresolved, listed for the user to add to places/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..geo.distance import distance_km
from ..lang.profile import Profile, load_profile
from ..resolvers import is_online
from ..resolvers.base import Candidate, Resolver
from ..text.folding import fold
from ..text.passages import Passage
from .choose import (
    FEATURE_KM,
    choose_candidate,
    far_from_home,
    near_any,
    near_home,
    not_town,
    own_name,
)
from .context import (
    TOWN_KINDS,
    DocumentContext,
    after_article,
    distance_to,
    document_context,
    prefer,
    scoped_in,
)
from .estimate import state_after
from .focus import Focus, division, find_focus, in_country
from .mentions import Mention
from .namedafter import place_features
from .owntown import estimate_unplaced, feature_words, people_town

__all__ = ["Focus", "ResolvedMention", "find_focus", "in_country", "resolve_mentions"]


@dataclass(frozen=True)
class ResolvedMention:
    """A mention and the place chosen for it (None when nothing fits)."""

    mention: Mention
    place: Candidate | None


@dataclass(frozen=True)
class NamedAfter:
    """The words that make a feature's name a town's ("Fort Yuma", "Culpeper Court-House")."""

    heads: frozenset[str]
    tails: tuple[str, ...]


#: How many mentions either side of a mention make its neighbourhood. A window, not the
#: whole paragraph: resolving stays linear in the number of mentions (a 100 KB paragraph
#: made it quadratic) and "near" means near in the text.
WINDOW = 12
#: A bare name's town abroad farther than this from every other place its document names
#: is taken for a word, not that town (see ``_alone_abroad``).
ABROAD_KM = 2000.0
#: A town outside the state named after it ("Mesilla, Ariz.") is that place only this close
#: to the state's point (a state's point stands for an area).
STATE_KM = 600.0
#: The towns chosen around a name are its context when deciding names together only if
#: they lie this close to their middle one: one region, not a voyage's ports.
TOGETHER_KM = 500.0
#: The population from which a GeoNames town with a name of its own is a sure neighbour.
SURE_POPULATION = 1_000


def _lookup(name: str, resolvers: Sequence[Resolver]) -> list[tuple[int, Candidate]]:
    out: list[tuple[int, Candidate]] = []
    for rank, resolver in enumerate(resolvers):
        found = resolver.candidates(name)
        out.extend((rank, c) for c in found)
        if found and rank == 0:
            break  # a curated place always wins over the same name elsewhere
    return out


def _lookup_beyond(name: str, resolvers: Sequence[Resolver]) -> list[tuple[int, Candidate]]:
    return [(rank, c) for rank, resolver in enumerate(resolvers) if rank
            for c in resolver.candidates(name)]


def resolve_mentions(mentions: Sequence[Mention], *, resolvers: Sequence[Resolver],
                     focus: Focus | None = None, profile: Profile | None = None,
                     passages: Sequence[Passage] = ()) -> tuple[ResolvedMention, ...]:
    """Choose a place for every mention; mentions nothing fits get ``place=None``.

    Each document is resolved on its own: its focus (unless ``focus`` is given), the
    states it names and the places around each mention decide between namesakes.
    ``profile`` gives the language's feature words (English by default); ``passages``
    (the mentions' own) let the article before a name count ("the Mississippi").
    """
    # Online resolvers are the pipeline's next step (storymap.pipeline.online), asked with
    # the context this stage's answers give; here only what is offline decides.
    resolvers = [r for r in resolvers if not is_online(r)]
    lang = profile or load_profile("en")
    not_towns = lang.words("feature_not_towns")
    in_towns = feature_words(lang)
    named = NamedAfter(heads=lang.words("named_after_heads"),
                       tails=lang.phrases("named_after_tails"))
    short = {fold(k): fold(str(v)) for k, v in lang.table("name_abbreviations").items()}
    cache: dict[str, list[tuple[int, Candidate]]] = {}
    for m in mentions:
        key = fold(m.name)
        if key not in cache:
            cache[key] = _lookup(m.name, resolvers)

    def towns(town_key: str) -> list[Candidate]:
        if town_key not in cache:
            cache[town_key] = _lookup(town_key, resolvers)
        return [c for _, c in cache[town_key]]
    texts = {(p.doc, p.index): p.text for p in passages}
    articles = lang.words("definite_articles")
    attributive = lang.words("attributive_heads")
    rivers = lang.words("river_words")
    by_doc: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_doc.setdefault(m.doc, []).append(i)
    out: list[ResolvedMention | None] = [None] * len(mentions)
    forms: dict[tuple[str, bool], list[tuple[int, Candidate]]] = {}
    for indexes in by_doc.values():
        doc = [mentions[i] for i in indexes]
        allowed = []
        for m in doc:
            article = after_article(texts.get((m.doc, m.passage), ""), m.start, m.end,
                                    articles, attributive)
            memo = (fold(m.name), article)
            if memo not in forms:
                forms[memo] = _by_form(m, memo[0], cache[memo[0]], resolvers, article, rivers)
            allowed.append(forms[memo])
        found = _resolve_document(doc, allowed, resolvers, focus, not_towns, short)
        found = _named_after(found, allowed, named, towns)

        def people(doc_id: str = doc[0].doc) -> Candidate | None:  # asked only when needed
            return people_town([t for (d, _), t in texts.items() if d == doc_id], lang, towns)

        # the names still unplaced estimated, a town-set text's small towns abroad brought
        # home (storymap.pipeline.owntown)
        moved = estimate_unplaced([r.mention for r in found], [r.place for r in found], texts,
                                  town_features=in_towns[0], street_features=in_towns[1],
                                  people=people, choices=[[c for _, c in cs] for cs in allowed])
        found = [ResolvedMention(mention=r.mention, place=moved[j]) if j in moved else r
                 for j, r in enumerate(found)]
        for i, r in zip(indexes, found, strict=True):
            out[i] = r
    return tuple(r for r in out if r is not None)


def _by_form(m: Mention, key: str, found: list[tuple[int, Candidate]],
             resolvers: Sequence[Resolver], article: bool,
             river_words: frozenset[str]) -> list[tuple[int, Candidate]]:
    """The candidates the name's form allows (``context.prefer``), whatever the document."""
    words = key.split()
    river_name = len(words) > 1 and (words[-1] in river_words or words[0] in river_words)
    if article and found and found[0][0] == 0 and all(c.kind != "river" for _, c in found):
        # "the Mississippi": the curated state stopped the lookup; its river is beyond
        rivers = [rc for rc in _lookup_beyond(m.name, resolvers) if rc[1].kind == "river"]
        found = rivers or found
    return prefer(_states_first(found, m), river_name=river_name, article=article)


#: Kinds of a city's parts whose own names are names of places ("Pest", "Józsefváros"):
#: only their generic names ("District VIII", "the eighth district") need the region.
_NAMED_PARTS = frozenset({"district", "neighbourhood"})


def _unscoped(c: Candidate, key: str, short: Mapping[str, str]) -> Candidate:
    """A district called by its own name is a place anywhere; by a generic name, the
    region's only (``Candidate.scope``)."""
    if c.scope and c.kind in _NAMED_PARTS and own_name(c, key, short):
        return replace(c, scope="")
    return c


def _scoped(cands: list[tuple[int, Candidate]], context: DocumentContext, name: str,
            resolvers: Sequence[Resolver]) -> list[tuple[int, Candidate]]:
    """Drop the landmarks of regions the document is not set in (see ``context``)."""
    if all(not c.scope for _, c in cands):
        return cands
    kept = [rc for rc in cands if scoped_in(rc[1], context)]
    if not kept and cands[0][0] == 0:  # the curated name stopped the lookup: look further
        kept = _lookup_beyond(name, resolvers)
    return kept


def _resolve_document(mentions: Sequence[Mention],
                      allowed: Sequence[list[tuple[int, Candidate]]],
                      resolvers: Sequence[Resolver],
                      focus: Focus | None, not_towns: frozenset[str],
                      short: Mapping[str, str]) -> list[ResolvedMention]:
    keys = [fold(m.name) for m in mentions]
    # A place is sure when its name has one candidate: a curated one, or a GeoNames town
    # of some size (a lone hamlet of a cue's name is too often a word, not a place). A
    # landmark of a region is not sure before the document is known to be set there.
    allowed = [[(r, _unscoped(c, key, short)) for r, c in cands]
               for cands, key in zip(allowed, keys, strict=True)]
    sure_of: list[Candidate | None] = []
    for cands in allowed:
        sure = None
        if (len(cands) == 1 and not cands[0][1].scope
                and (cands[0][0] == 0 or cands[0][1].population >= SURE_POPULATION)):
            sure = cands[0][1]
        sure_of.append(sure)
    context = document_context(sure_of, [c[0][1] for c in allowed if len(c) == 1])
    scoped = [_scoped(cands, context, m.name, resolvers)
              for m, cands in zip(mentions, allowed, strict=True)]
    for j, cands in enumerate(scoped):
        if sure_of[j] is None and len(cands) == 1 and cands[0][1].scope:
            sure_of[j] = cands[0][1]  # a landmark of the region the document is set in
    if focus is None:
        focus = find_focus(list({c.id: c for c in sure_of if c}.values()))
    divisions = frozenset(d for c in sure_of if c and c.kind == "region"
                          for d in [division(c)] if d)
    out = []
    abroad: list[int] = []
    chosen: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Candidate | None] = {}

    def pick(j: int, cands: list[tuple[int, Candidate]], near: list[Candidate],
             state: str) -> Candidate | None:
        m, key = mentions[j], keys[j]
        near = list({c.id: c for c in near}.values())  # a town named twice counts once
        memo = (key, m.how + state, tuple(c.id for _, c in cands),
                tuple(sorted(c.id for c in near)) if len(cands) > 1 or m.how == "feature"
                else ())
        if memo not in chosen:
            chosen[memo] = choose_candidate(
                cands, key, focus, cue=(m.how in ("cue", "name", "article")), near=near,
                divisions=divisions, short=short, home=context.home, spread=context.anchors,
                feature=(m.how == "article"
                         or (m.how == "feature" and not_town(key, not_towns))),
                feature_name=m.how == "feature")
        return chosen[memo]

    open_: list[tuple[int, list[tuple[int, Candidate]], list[Candidate]]] = []
    for j, (m, key) in enumerate(zip(mentions, keys, strict=True)):
        near = [c for k in range(max(0, j - WINDOW), min(len(mentions), j + WINDOW + 1))
                if k != j and mentions[k].passage == m.passage
                for c in [sure_of[k]] if c is not None and keys[k] != key
                and c.kind not in ("country", "continent", "sea")]
        state = state_after(mentions, sure_of, j)
        cands = scoped[j]
        if state:
            inside = [rc for rc in cands if division(rc[1]) == state]
            if not inside and cands and cands[0][0] == 0:
                inside = [rc for rc in _lookup_beyond(m.name, resolvers)
                          if division(rc[1]) == state]
            # "Patterson, Mo.": not a Patterson of a distant state; when the data knows none
            # in Missouri, the name is estimated from the text's places there, or unplaced
            cands = inside or [rc for rc in cands if _by_state(rc[1], sure_of[j + 1])]
        elif (focus and cands and cands[0][0] == 0 and (near or context.anchors)
              and far_from_home(cands, focus)):
            # "Cairo" or "Warsaw" in an American report, "London" in a story of Ontario
            # towns: a town of that name near the places around it (else the document's),
            # in the document's country, beats the famous one abroad
            home = [rc for rc in _lookup_beyond(m.name, resolvers)
                    if in_country(rc[1].country, focus.country)
                    and near_home(rc[1], near or context.anchors)]
            cands = home or cands
        place = pick(j, cands, near, state)
        out.append(ResolvedMention(mention=m, place=place))
        if place is not None and len(cands) > 1 and not state:
            open_.append((j, cands, near))
        if (m.how == "name" and focus is not None and place is not None
                and any(r > 0 and c is place for r, c in cands)
                and far_from_home([(1, place)], focus)):
            abroad.append(j)
    _together(out, open_, keys, pick)
    return _alone_abroad(out, abroad, keys) if abroad else out


def _together(out: list[ResolvedMention],
              open_: Sequence[tuple[int, list[tuple[int, Candidate]], list[Candidate]]],
              keys: Sequence[str],
              pick: Callable[[int, list[tuple[int, Candidate]], list[Candidate], str],
                             Candidate | None]) -> None:
    """Decide the names with several namesakes together, once: each takes the towns
    chosen for the other names around it as context, besides the sure ones ("Williamsburg"
    beside "Richmond": neither is sure, both are Virginia's). Changes ``out`` in place."""
    if not open_:
        return
    mentions = [r.mention for r in out]
    # a name read without a cue may be a person's: no context for the others
    towns = [r.place if r.place is not None and r.place.kind in TOWN_KINDS
             and r.mention.how != "weak" else None for r in out]
    for j, cands, near in open_:
        m = mentions[j]
        around = list({c.id: c for k in range(max(0, j - WINDOW), min(len(out), j + WINDOW + 1))
                       if k != j and mentions[k].passage == m.passage
                       for c in [towns[k]] if c is not None and keys[k] != keys[j]}.values())
        known = {c.id for c in near}
        first = out[j].place
        assert first is not None
        if (all(c.id in known for c in around) or near_any(first, around, FEATURE_KM)
                or not _one_region(around)):
            # nothing new to decide by; the first choice lies among them already; or they
            # are no one region (a voyage's ports: Southampton, Colombo, Port Moresby)
            continue
        place = pick(j, cands, near + around, "")
        if place is not None:
            out[j] = ResolvedMention(mention=m, place=place)


def _one_region(places: Sequence[Candidate]) -> bool:
    """True if the (distinct) ``places`` lie within TOGETHER_KM of their middle one."""
    if len(places) > 2 * WINDOW:
        return False
    return len(places) < 2 or min(
        max(distance_km(a.lat, a.lon, b.lat, b.lon) for b in places)
        for a in places) <= TOGETHER_KM


def _named_after(out: list[ResolvedMention], allowed: Sequence[list[tuple[int, Candidate]]],
                 named: NamedAfter,
                 towns: Callable[[str], list[Candidate]]) -> list[ResolvedMention]:
    """Place the forts, camps and crossings nothing knows at the town of their name, when
    that town is among the document's places (storymap.pipeline.namedafter)."""
    todo = [j for j, r in enumerate(out) if r.place is None and not allowed[j]]
    if not todo:
        return out
    found = place_features([r.mention for r in out], [r.place for r in out], todo,
                           heads=named.heads, tails=named.tails, towns=towns, window=WINDOW)
    for j, place in found.items():
        out[j] = ResolvedMention(mention=out[j].mention, place=place)
    return out


def _by_state(c: Candidate, state: Candidate | None) -> bool:
    """True if ``c`` may be the place named with ``state`` after it though it lies outside
    it today: not a town (a river crosses states, a region is named with its country), or
    a town near the state (borders moved: "Point Pleasant, Va." is in West Virginia now,
    "Mesilla, Ariz." in New Mexico)."""
    if c.kind not in TOWN_KINDS or state is None:
        return True
    return distance_to(c, state.lat, state.lon) <= STATE_KM


def _alone_abroad(out: list[ResolvedMention], abroad: Sequence[int],
                  keys: Sequence[str]) -> list[ResolvedMention]:
    """Unpin bare names whose town abroad has no other place of the document near it.

    A name read with no cue ("the cruiser Aurora fired in Petrograd") whose only town is
    far abroad is a ship, a person or a word unless another name of the document is near
    it: Aurora, Colorado alone in a Petrograd story is a wrong pin, but Louisville next to
    Nashville and Lexington stays even where "Lebanon" misled the story's centre.
    """
    others: dict[str, Candidate] = {}
    for r, key in zip(out, keys, strict=True):
        if r.place is not None and r.place.kind not in ("country", "continent", "sea"):
            others.setdefault(f"{key}\0{r.place.id}", r.place)
    places = list(others.items())
    lonely: dict[tuple[str, str], bool] = {}
    for j in abroad:
        place = out[j].place
        assert place is not None
        memo = (keys[j], place.id)
        if memo not in lonely:
            lonely[memo] = not any(
                name.split("\0", 1)[0] != keys[j]
                and distance_km(c.lat, c.lon, place.lat, place.lon) <= ABROAD_KM
                for name, c in places)
        if lonely[memo]:
            out[j] = ResolvedMention(mention=out[j].mention, place=None)
    return out


def _states_first(cands: list[tuple[int, Candidate]], m: Mention) -> list[tuple[int, Candidate]]:
    """An abbreviation ("Ga.", "Wash. Ter.") names a state, not a country or a city."""
    if m.how != "abbreviation":
        return cands
    return [rc for rc in cands if rc[1].kind == "region"] or cands


