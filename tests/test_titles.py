"""Issue 16 item 6: a title says who did what where, in the sentence's words, cut between words."""

from __future__ import annotations

import pytest

from storymap.pipeline import SourceText, build_story_from_texts
from storymap.pipeline.titles import title_of


def _span(sentence: str, words: str) -> tuple[int, int]:
    at = sentence.index(words)
    return at, at + len(words)


@pytest.mark.parametrize(("sentence", "dates", "title"), [
    # The opening date or time drops, with or without a comma, and an aside about the date.
    ("At 22:00 troops opened fire on the crowds.", ["At 22:00"],
     "Troops opened fire on the crowds"),
    ("Two days later the army retreated west.", ["Two days later"], "The army retreated west"),
    ("On 22 April, the day of the funeral, students knelt on the steps.", ["On 22 April"],
     "Students knelt on the steps"),
    # A phrase of no place before the date drops, then the date.
    ("In that vein of freedom, on 22 October 1956, students drew up sixteen points.",
     ["on 22 October 1956"], "Students drew up sixteen points"),
    # No leading conjunction.
    ("But it did not satisfy the students.", [], "It did not satisfy the students"),
    ("Then the rebels seized the courts.", [], "The rebels seized the courts"),
    # The subject stays: an appositive drops, a name in apposition joins its title.
    ("On 15 April Hu Yaobang, a former leader of the Party who had been forced out, died "
     "of a heart attack.", ["On 15 April"], "Hu Yaobang died of a heart attack"),
    ("Before dawn on 19 May the party chief, Zhao Ziyang, came to the square.",
     ["Before dawn on 19 May"], "Party chief Zhao Ziyang came to the square"),
    # A list is no appositive.
    ("The armies of Austria, Prussia, Russia and Sweden attacked.", [],
     "The armies of Austria, Prussia, Russia and Sweden attacked"),
])
def test_titles_keep_subject_and_verb(sentence: str, dates: list[str], title: str) -> None:
    assert title_of(sentence, dates=[_span(sentence, d) for d in dates]) == title


def test_a_title_is_cut_between_words_never_inside_a_name_a_date_or_a_quote() -> None:
    s = ("The students answered with a march of more than a hundred thousand people to "
         "Changan Avenue, the great road.")
    t = title_of(s, names=[_span(s, "Changan Avenue")])
    assert t.endswith("…") and not t.endswith("Changan…") and len(t.split()) <= 16
    s = "The army was ordered to clear the whole square by six the next morning."
    assert title_of(s, dates=[_span(s, "by six the next morning")]) == (
        "The army was ordered to clear the whole square by six the next morning")
    s = ('The Party newspaper called the protests of the students "planned turmoil against '
         'the state".')
    t = title_of(s)
    assert t.count('"') in (0, 2), t  # the quote whole, or left out
    # Never after an article or a preposition.
    t = title_of("Troops of the Fourth Army marched quickly from the river towards the old "
                 "castle walls above the town.")
    assert t.split()[-1].rstrip("…") not in ("the", "of", "from", "towards", "above")


def test_a_title_reaches_the_place_where_it_happened() -> None:
    s = ("At about 06:00, at Liubukou on Changan Avenue, a tank drove into a group of "
         "students walking back.")
    t = title_of(s, dates=[_span(s, "At about 06:00")], names=[_span(s, "Liubukou")],
                 places=[_span(s, "Liubukou")])
    assert t.startswith("A tank drove into a group") and t.endswith("at Liubukou on Changan Avenue")
    s = ("On 16 October the allied armies of Austria, Prussia, Russia and Sweden attacked "
         "Napoleon's army around Leipzig.")
    t = title_of(s, dates=[_span(s, "On 16 October")], places=[_span(s, "Leipzig")])
    assert t.startswith("The allied armies") and t.endswith("around Leipzig")


def test_event_titles_in_a_story_say_who_did_what_where() -> None:
    text = ("On 12 December 1981 the leaders of Solidarity met in Gdańsk. Shortly after midnight "
            "the arrests began in Warsaw, Kraków and Wrocław. But the strikes went on in Gdańsk.")
    titles = [e.title for e in build_story_from_texts([SourceText(id="t", text=text)]).events]
    assert titles == ["The leaders of Solidarity met in Gdańsk",
                      "The arrests began in Warsaw, Kraków and Wrocław",
                      "The strikes went on in Gdańsk"]
