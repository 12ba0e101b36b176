"""The words the place reader reads by, folded and compiled once per language profile.

Everything here comes from the profile (``storymap/lang/<code>/places.yaml`` and the
sections it shares with dates and numbers): cue words, feature words, titles, unit and
command words, state abbreviations with their dotted forms, district lists. The reader
(``toponyms.py``, ``mentions.py``) asks :func:`place_words` and knows no word itself.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..lang.cache import PerProfile
from ..lang.profile import Profile, load_profile
from ..text.folding import fold

__all__ = ["PlaceWords", "after_vessel", "letters", "place_words"]


@dataclass(frozen=True)
class PlaceWords:
    """The folded words of a language profile that the place reader uses."""

    cues: frozenset[str]
    weak_cues: frozenset[str]
    to_person: frozenset[str]
    person_of: frozenset[str]  # "the portrait of Mao": "of" after these meets a person
    place_of: frozenset[str]  # "the Battle of Gettysburg": "of" after these meets a place
    phrases: frozenset[str]
    not_names: frozenset[str]
    heads: frozenset[str]
    heads_lower: frozenset[str]
    heads_first: frozenset[str]  # head words that begin the next name after a name
    tails: frozenset[str]
    tails_lower: frozenset[str]
    division_tails: frozenset[str]
    suffixes: tuple[str, ...]
    particles: frozenset[str]
    organisations: frozenset[str]
    organisation_heads: frozenset[str]
    not_after: frozenset[str]
    qualifiers: frozenset[str]
    openers_next: frozenset[str]
    common: frozenset[str]  # words, not names: a capitalised one opens the next sentence
    saints: frozenset[str]
    of_heads: frozenset[str]
    of_tails: frozenset[str]  # "the Royal College of Surgeons": a building's name goes on
    determiners: frozenset[str]
    articles: frozenset[str]
    articles_definite: frozenset[str]  # "the": after a cue, "on the Rapidan"
    people_nouns: frozenset[str]  # "the Texas troops": a name before them is no place
    vessels: frozenset[str]  # "the steamer Delaware": a ship's name follows
    demonym_endings: tuple[str, ...]  # "the Texans", "the Pimas": a people, not a place
    title_of: frozenset[str]  # "of": "the Department of the Gulf", a name's own "of the"
    river_cues: frozenset[str]
    river_phrases: frozenset[str]
    enders: frozenset[str]  # cues, stops, months, openers, commands: words that end a name
    district_words: tuple[str, ...]  # folded words without which no district list matches
    given: frozenset[str]
    street_titles: frozenset[str]
    units: frozenset[str]
    commands: frozenset[str]
    ordinals: frozenset[str]
    titles: frozenset[str]
    suffix_titles: frozenset[str]
    openers: frozenset[str]
    months: frozenset[str]
    seasons: frozenset[str]  # "Beijing, Spring 1989": alone, a season is no place
    joiners: frozenset[str]
    stops: frozenset[str]
    prefixes: frozenset[str]
    eponym_heads: frozenset[str]
    generics: tuple[str, ...]
    district_list: re.Pattern[str]
    districts_prefix: re.Pattern[str]
    ordinal_item: re.Pattern[str]
    possessive_thing: re.Pattern[str]
    abbreviations: re.Pattern[str]
    abbreviation_starts: frozenset[str]
    states: dict[str, str]  # folded letters of an abbreviation → the place it names
    ambiguous: frozenset[str]
    postal: dict[str, str]  # a postal code as written ("TX") → the place it names
    dotted: frozenset[str]  # feature words whose dot the name keeps ("Co.", "Ave.")
    #: What each folded word is to the feature reader (``feature_flags``), filled as asked:
    #: the same few thousand words recur in every text, so each is classified once.
    flags: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


#: ``feature_flags``: the word ends a feature name ("River", "utca") or begins one ("Fort",
#: "rue", "Gulf" of, "Heldenplatz"); it makes a run a unit's ("Cavalry") or an
#: organisation's ("Council"); it heads a command or an organisation before "of"
#: ("Department", "Bank"); it is an ordinal ("Second"), a title ("General") or a title
#: written after a name ("Major-General"), or an abbreviated given name ("Jeff").
TAIL, HEAD, UNIT, ORG, COMMAND, ORDINAL, TITLE, SUFFIX_TITLE, GIVEN = (
    1, 2, 4, 8, 16, 32, 64, 128, 256)


def feature_flags(key: str, words: PlaceWords) -> int:
    """Return the bits above of folded word ``key`` (cached per profile)."""
    found = words.flags.get(key)
    if found is None:
        parts = key.split() or [""]
        last = parts[-1]
        found = 0
        if last in words.tails or key in words.tails_lower:
            found |= TAIL
        if (key in words.heads or key in words.heads_lower or key in words.of_heads
                or key.endswith(words.suffixes)):
            found |= HEAD
        if any(w in words.units for w in parts):
            found |= UNIT
        if key.removesuffix(" s").split()[-1:] and \
                key.removesuffix(" s").split()[-1] in words.organisations:
            found |= ORG
        if last in words.commands or last in words.organisation_heads:
            found |= COMMAND
        if last in words.ordinals:
            found |= ORDINAL
        if last in words.titles:
            found |= TITLE
        if parts[0] in words.suffix_titles or key in words.suffix_titles:  # "brigadier general"
            found |= SUFFIX_TITLE
        if key in words.given:
            found |= GIVEN
        if len(words.flags) < 1 << 16:
            words.flags[key] = found
    return found


def _folded(profile: Profile, key: str) -> frozenset[str]:
    return frozenset(fold(w) for w in profile.words(key))


@functools.lru_cache(maxsize=8)
def _place_words(code: str) -> PlaceWords:
    return _build(load_profile(code))


_place_words_of = PerProfile(lambda p: _build(p))  # other profiles: once per profile too


def place_words(profile: Profile | None = None) -> PlaceWords:
    """Return the place reader's words of ``profile`` (English by default), loaded once."""
    if profile is None or (profile.code == "en" and profile is load_profile("en")):
        return _place_words("en")
    return _place_words_of(profile)


def _build(profile: Profile) -> PlaceWords:
    table = profile.table("state_abbreviations")
    states = {letters(abbr): str(name) for abbr, name in table.items()}
    parts = sorted(table, key=len, reverse=True)
    alternatives = "|".join(
        r"\.?[ \t]?".join(re.escape(p) for p in re.findall(r"[A-Za-z]+", a)) + r"\.?"
        for a in parts)
    rx = re.compile(rf"(?<![\w.'’-])(?:{alternatives})(?![\w'’-])", re.IGNORECASE)
    # month names end a name and follow a dateline's place ("Richmond, March 5")
    patterns = _district_patterns(profile)
    months = frozenset(fold(str(w)) for key in ("months", "month_abbreviations")
                       if profile.has(key) for w in profile.table(key))
    return PlaceWords(
        cues=_folded(profile, "locative_cues"),
        weak_cues=_folded(profile, "weak_cues"),
        to_person=_folded(profile, "to_person_verbs"),
        person_of=_folded(profile, "person_of_nouns"),
        place_of=_folded(profile, "place_of_nouns"),
        phrases=frozenset(fold(p) for p in profile.phrases("locative_phrases")),
        not_names=_folded(profile, "place_not_names") | _folded(profile, "ordinals"),
        heads=_folded(profile, "feature_heads") | _folded(profile, "local_feature_heads"),
        heads_lower=_folded(profile, "local_feature_heads_lower"),
        heads_first=_folded(profile, "feature_heads_first"),
        tails=_folded(profile, "feature_tails") | _folded(profile, "local_feature_tails"),
        tails_lower=(_folded(profile, "feature_tails_lower")
                     | _folded(profile, "local_feature_tails_lower")),
        division_tails=_folded(profile, "division_tails"),
        suffixes=tuple(sorted(_folded(profile, "feature_suffixes"), key=len, reverse=True)),
        particles=_folded(profile, "name_particles"),
        organisations=_folded(profile, "organisation_words"),
        organisation_heads=_folded(profile, "organisation_heads"),
        not_after=_folded(profile, "not_place_after"),
        qualifiers=frozenset(fold(p) for p in profile.phrases("region_qualifiers")),
        openers_next=_folded(profile, "sentence_words"),
        # feature words, prefixes and region words have their own roles in a name
        common=(_folded(profile, "common_words") if profile.has("common_words")
                else frozenset()) - _folded(profile, "name_prefixes") - _folded(
                    profile, "feature_tails") - _folded(profile, "feature_heads") - frozenset(
                    fold(p) for p in profile.phrases("region_qualifiers")),
        saints=_folded(profile, "saint_words"),
        of_heads=_folded(profile, "feature_heads_of"),
        of_tails=_folded(profile, "feature_tails_of"),
        determiners=_folded(profile, "name_determiners"),
        articles=_folded(profile, "name_articles"),
        articles_definite=frozenset(profile.words("definite_articles")),
        title_of=_folded(profile, "name_of_words"),
        people_nouns=_folded(profile, "people_nouns"),
        vessels=frozenset(fold(w).split()[-1] for w in profile.words("vessel_words")),
        demonym_endings=tuple(sorted(_folded(profile, "demonym_endings"))),
        river_cues=_folded(profile, "river_cues"),
        river_phrases=frozenset(fold(p) for p in profile.phrases("river_phrases")),
        enders=(_folded(profile, "locative_cues") | _folded(profile, "weak_cues")
                | _folded(profile, "name_stops") | months | _folded(profile, "dateline_openers")
                | _folded(profile, "command_words")),
        district_words=tuple(w.casefold() for key in ("district_plurals", "district_prefixes")
                             for w in profile.phrases(key)),
        given=_folded(profile, "given_name_abbreviations"),
        street_titles=_folded(profile, "street_titles"),
        units=_folded(profile, "unit_words"),
        commands=_folded(profile, "command_words"),
        ordinals=_folded(profile, "ordinals"),
        titles=_folded(profile, "person_titles"),
        suffix_titles=_folded(profile, "person_suffix_titles"),
        openers=_folded(profile, "dateline_openers"),
        months=months,
        seasons=_folded(profile, "seasons"),
        joiners=_folded(profile, "list_joiners"),
        stops=_folded(profile, "name_stops"),
        prefixes=_folded(profile, "name_prefixes"),
        eponym_heads=_folded(profile, "eponym_heads"),
        generics=profile.phrases("anaphora_generics"),
        district_list=patterns["district_list"],
        districts_prefix=patterns["districts_prefix"],
        ordinal_item=patterns["ordinal_item"],
        possessive_thing=patterns["possessive_thing"],
        abbreviations=rx,
        abbreviation_starts=frozenset(a.split()[0] for a in states),
        states=states,
        ambiguous=frozenset(letters(a) for a in profile.phrases("ambiguous_abbreviations")),
        postal={str(k): str(v) for k, v in profile.table("postal_abbreviations").items()},
        dotted=_folded(profile, "abbreviated_feature_words"),
    )


def _district_patterns(profile: Profile) -> dict[str, re.Pattern[str]]:
    """The patterns of district lists and of possessive things, from the profile's words."""
    ordinals = sorted(profile.phrases("ordinal_words")[:23], key=len, reverse=True)
    part = (r"(?:" + "|".join(re.escape(w) for w in ordinals)
            + r"|\d{1,2}(?:st|nd|rd|th)|[IVX]{1,5}\.?)")
    joined = rf"{part}(?:(?:\s*,\s*|\s+and\s+|\s+or\s+|\s*,\s*and\s+){part})+"
    plurals = "|".join(map(re.escape, profile.phrases("district_plurals")))
    prefixes = "|".join(map(re.escape, profile.phrases("district_prefixes")))
    things = "|".join(map(re.escape, profile.phrases("possessive_things")))
    return {
        # "the eighth and ninth districts of Budapest", "Districts VIII and IX"
        "district_list": re.compile(rf"\b(?P<list>{joined})\s+(?:{plurals})\b", re.IGNORECASE),
        "districts_prefix": re.compile(rf"\b(?:{prefixes})\s+(?P<list>{joined})"),
        "ordinal_item": re.compile(part, re.IGNORECASE),
        # "Stalin's 30-foot-high (9.1 m) bronze statue" → look up "Stalin statue"
        "possessive_thing": re.compile(rf"\b(?P<who>[A-ZÀ-Ý][\w?]+)['’]s (?:[^;:!\n]{{0,40}}? )?"
                                       rf"(?P<what>{things})\b"),
    }


def after_vessel(keys: tuple[str, ...], words: PlaceWords) -> bool:
    """True if the folded words ``keys`` before a name end in a ship's word, with or
    without "the" after it ("the gun-boat | Smith Briggs", "the steamer the | Delaware"):
    the name is a ship's."""
    last = keys[-1:] and keys[-1].split()[-1:]
    if last and last[0] in words.articles_definite and len(keys) > 1:
        last = keys[-2].split()[-1:]
    return bool(last) and last[0] in words.vessels


def letters(abbr: str) -> str:
    """Return the folded letters of an abbreviation ("N. Mex." → "n mex").

    >>> letters("Wash. Ter.")
    'wash ter'
    """
    return " ".join(re.findall(r"[a-z]+", abbr.lower()))
