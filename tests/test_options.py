"""One options module: the served page, the embed, oEmbed and the export check alike."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from storymap.errors import ConfigError
from storymap.formats.html import export_html
from storymap.model import Story
from storymap.outputs.options import OptionError, ViewOptions, parse_options

BAD = [
    ({"day": "1956-02-30"}, "day: expected a date"),
    ({"day": "23-10-1956"}, "day: expected a date"),
    ({"start": "1956-13"}, "start: expected a date"),
    ({"end": "soon"}, "end: expected a date"),
    ({"start": "1956-11-04", "end": "1956-10-23"}, "is after end"),
    ({"controls": "big"}, "controls: expected one of full, minimal, none"),
    ({"autoplay": "maybe"}, "autoplay: expected 1 or 0"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_the_export_refuses_what_the_app_refuses(
    story: Story, client: FlaskClient, args: dict[str, str], message: str
) -> None:
    with pytest.raises(OptionError, match=message):
        parse_options(args)
    kwargs = {k: v for k, v in args.items() if k in ("day", "start", "end")}
    if kwargs:
        with pytest.raises(ConfigError, match=message):
            export_html(story, **kwargs)
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/embed?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    oembed = client.get("/oembed", query_string={"url": f"http://localhost/embed?{query}"})
    assert oembed.status_code == 400
    assert message in oembed.get_json()["error"]


def test_an_end_month_includes_its_days() -> None:
    opts = parse_options({"start": "1956-11-05", "end": "1956-11"})
    assert (opts.start, opts.end) == ("1956-11-05", "1956-11")


def test_languages_without_strings_fall_back_to_english(story: Story) -> None:
    assert parse_options({"lang": "de"}).lang == "en"
    assert parse_options({}, preferred_lang="hu").lang == "hu"
    assert parse_options({}).lang is None  # the reader's browser decides
    assert '<html lang="en"' in export_html(story, lang="de")


def test_the_page_ignores_the_embeds_range_options() -> None:
    assert parse_options({"start": "x", "controls": "big"}, mode="page") == ViewOptions()


def test_a_long_bad_value_is_cut_in_the_message() -> None:
    with pytest.raises(OptionError) as info:
        parse_options({"day": "9" * 100_000})
    assert len(str(info.value)) < 200
