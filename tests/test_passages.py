"""Stage 1: normalisation of plain, MediaWiki, Markdown and WikiText-103 text, with offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storymap.text.passages import normalise, sentence_spans

WIKITEXT = (
    "Intro line , with a comma .\n\n"
    "### = = Prelude = =\n\n"
    "Pro @-@ Soviet forces , some 2 @,@ 500 men , fired at 03 : 00 on 24 October .\n\n"
    "= = = First shots = = =\n"
    "Students ' demands ( sixteen points ) were read ? at the Radio .\n"
)


def test_wikitext_is_cleaned_and_sections_split() -> None:
    ps = normalise(WIKITEXT, doc="w")
    assert [p.text for p in ps] == [
        "Intro line, with a comma.",
        "Pro-Soviet forces, some 2,500 men, fired at 03:00 on 24 October.",
        "Students' demands (sixteen points) were read – at the Radio.",
    ]
    assert [p.section for p in ps] == [0, 1, 2]
    assert [p.heading for p in ps] == ["", "Prelude", "First shots"]


def test_every_character_maps_back_to_the_source() -> None:
    for p in normalise(WIKITEXT, doc="w"):
        for i, ch in enumerate(p.text):
            src = WIKITEXT[p.offsets[i]]
            assert src == ch or (ch == "–" and src == "?") or (ch == " " and src.isspace())


def test_mediawiki_headings_and_infobox() -> None:
    text = ("Infobox\n- Conflict: Hungarian Revolution\n- Place: Hungary\n\n"
            "The revolution began.\n\n==Background==\nIt had causes.\n")
    ps = normalise(text)
    assert [(p.text, p.heading) for p in ps] == [("The revolution began.", ""),
                                                 ("It had causes.", "Background")]


def test_markdown_headings_and_wrapped_lines() -> None:
    text = "# Title\n\nA **bold** start\nwrapped over [two](http://x) lines.\n\n## Next\nMore."
    ps = normalise(text)
    assert [p.text for p in ps] == ["A bold start wrapped over two lines.", "More."]
    assert ps[1].section == 2


def test_paragraph_cut_mid_sentence_is_joined() -> None:
    text = ("The heaviest fighting of those days was occurring in the\n\n"
            "working-class stronghold of Csepel.\n\nShort title\n\nNew paragraph.\n")
    assert [p.text for p in normalise(text)] == [
        "The heaviest fighting of those days was occurring in the working-class stronghold "
        "of Csepel.", "Short title", "New paragraph."]


def test_empty_text_gives_no_passages() -> None:
    assert normalise("") == ()
    assert normalise("\n\n  \n") == ()


def test_sentences() -> None:
    t = "On 23 Oct. 1956 Gen. Bata met Mr. Nagy. Then J. Kádár left. It ended ."
    assert [t[a:b] for a, b in sentence_spans(t)] == [
        "On 23 Oct. 1956 Gen. Bata met Mr. Nagy.", "Then J. Kádár left.", "It ended ."]


@given(st.text())
def test_any_text_normalises_with_valid_offsets(text: str) -> None:
    for p in normalise(text):
        assert len(p.offsets) == len(p.text) + 1
        assert all(0 <= o < len(text) for o in p.offsets[:-1])
        assert list(p.offsets[:-1]) == sorted(p.offsets[:-1])
        for a, b in sentence_spans(p.text):
            assert 0 <= a < b <= len(p.text)


def test_list_items_are_paragraphs_and_back_matter_is_skipped() -> None:
    text = ("Intro.\n- First item\n- Second item\n  wrapped\nOn 1 November, prose.\n\n"
            "==See also==\n- Prague\n- Buda\n\n= = More information = =\nFrom the noon bell\n")
    assert [p.text for p in normalise(text)] == ["Intro.", "- First item", "- Second item wrapped",
                                                 "On 1 November, prose."]


def test_plain_headings_titles_and_captions_are_structure_that_opens_sections() -> None:
    text = ("The Siege of Lucknow, 1857\nA handout for Year 9\n\nBackground\n\n"
            "The garrison held the Residency for months.\n\n"
            "Relief\nOn 25 September Havelock fought his way in.\n\n"
            "Figure 2: The Residency after the siege, 1858.\n\n"
            "The second relief came in November.\n")
    ps = normalise(text)
    assert [(p.text, p.structure) for p in ps] == [
        ("The Siege of Lucknow, 1857 A handout for Year 9", True),
        ("Background", True),
        ("The garrison held the Residency for months.", False),
        ("Relief", True),  # a heading line atop its paragraph is split from it
        ("On 25 September Havelock fought his way in.", False),
        ("Figure 2: The Residency after the siege, 1858.", True),
        ("The second relief came in November.", False),
    ]
    # Each heading opens a section named by it; a caption does not.
    assert [p.section for p in ps] == [1, 2, 2, 3, 3, 3, 3]
    assert ps[4].heading == "Relief" and ps[6].heading == "Relief"
    # Offsets still point at the source.
    assert text[ps[3].offsets[0]:ps[3].offsets[-1]] == "Relief"


def test_prose_lines_are_not_headings() -> None:
    wrapped = ("On 4 November the tanks came back into the city from three\n"
               "sides and the fighting went on in the factories of the\n"
               "outskirts for a week.\n")
    assert [p.structure for p in normalise(wrapped)] == [False]
    # A line that introduces a list, a sentence, a last line with nothing under it: prose.
    text = ("Several events alarmed the government:\n\n- the strikes\n- the marches\n\n"
            "He died.\n\nSigned in the field\n")
    assert not any(p.structure for p in normalise(text))


def test_a_plain_back_matter_heading_skips_its_section() -> None:
    text = "The city fell on 4 May.\n\nReferences\n\nSmith, J. The Fall. London, 1990.\n"
    assert [p.text for p in normalise(text)] == ["The city fell on 4 May.", "References"]


def test_a_clock_time_with_a_full_stop_does_not_end_a_sentence_on_its_own() -> None:
    t = "At 6 a.m. General Jaruzelski spoke. They left at 6 p.m. The next day it rained."
    assert [t[a:b] for a, b in sentence_spans(t)] == [
        "At 6 a.m. General Jaruzelski spoke.", "They left at 6 p.m.", "The next day it rained."]
