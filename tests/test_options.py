"""One options module: the served page, the embed, oEmbed and the export check alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from storymap.cli import main
from storymap.errors import ConfigError
from storymap.formats.html import export_html
from storymap.model import Story
from storymap.outputs.options import OptionError, ViewOptions, parse_options

BAD = [
    ({"day": "1956-02-30"}, "day=1956-02-30: February 1956 has 29 days"),
    ({"day": "23-10-1956"}, "day=23-10-1956: write the year first: 1956-10-23"),
    ({"start": "1956-13"}, "start=1956-13: there is no month 13"),
    ({"end": "soon"}, "end=soon: expected a date as YYYY-MM-DD"),
    ({"start": "1956-11-04", "end": "1956-10-23"}, "is after end"),
    ({"controls": "big"}, "controls=big: expected one of full, minimal, none"),
    ({"autoplay": "maybe"}, "autoplay=maybe: expected 1 or 0"),
    ({"lang": "magyar"}, "lang=magyar: expected a language code such as en or hu: for magyar "
                         "write hu"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_the_page_the_embed_oembed_the_export_and_the_cli_say_the_same(
    story: Story, client: FlaskClient, runner: CliRunner, tmp_path: Path,
    args: dict[str, str], message: str,
) -> None:
    with pytest.raises(OptionError, match=message):
        parse_options(args)
    kwargs = {k: v for k, v in args.items() if k in ("day", "start", "end")}
    if kwargs:
        with pytest.raises(ConfigError, match=message):
            export_html(story, **kwargs)
    query = "&".join(f"{k}={v}" for k, v in args.items())
    for path in ("/embed", "/"):
        if path == "/" and not {"day", "lang"} & set(args):
            continue  # the full page has its own controls: it ignores the range options
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        if "lang" not in args:  # "lang=magyar" is answered in Hungarian (a test below)
            assert message in re.sub(r"<[^>]+>", "", response.get_data(as_text=True))
    oembed = client.get("/oembed", query_string={"url": f"http://localhost/embed?{query}"})
    assert oembed.status_code == 400
    assert message in oembed.get_json()["error"]
    if not {"controls", "autoplay"} & set(args):  # the CLI's options: day, start, end, lang
        story_file = tmp_path / "story.json"
        story_file.write_text(story.to_json(), encoding="utf-8")
        flags = [part for k, v in args.items() for part in (f"--{k}", v)]
        result = runner.invoke(main, ["export", str(story_file), "-f", "html", "-o",
                                      str(tmp_path / "out.html"), *flags])
        assert result.exit_code == 1
        option, rest = message.split("=", 1) if "=" in message else ("start", message)
        assert f"Error: --{option} " in result.output and rest in result.output
        assert not (tmp_path / "out.html").exists()


def test_a_hungarian_page_says_what_is_wrong_in_hungarian(client: FlaskClient) -> None:
    text = client.get("/embed?lang=hu&day=1956-02-30").get_data(as_text=True)
    assert "1956. február 29 napos" in text and '<html lang="hu">' in text
    # The browser's language, when the URL's is the option that is wrong ("magyar": hu).
    text = client.get("/?lang=magyar").get_data(as_text=True)
    assert '<html lang="hu">' in text and "helyett ezt írd: hu" in text
    text = client.get("/?start=x&day=0000", headers={"Accept-Language": "hu"}).get_data(
        as_text=True)
    assert "nincs 0. év" in text


def test_the_cli_refuses_a_language_it_has_no_strings_for(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "-f", "html", "-o", str(tmp_path / "x.html"),
                                  "--lang", "de"])
    assert result.exit_code == 1
    assert "Error: --lang de: there is no interface in this language yet; use one of en, hu" \
        in result.output


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1956-02-30", "February 1956 has 29 days"),
        ("1900-02-29", "February 1900 has 28 days"),
        ("1956-04-31", "April 1956 has 30 days"),
        ("1956-13-01", "there is no month 13: months are 01 to 12"),
        ("1956-00", "there is no month 0"),
        ("1956-10-00", "days of a month start at 01"),
        ("0000-01-01", "there is no year 0"),
        ("23-10-1956", "write the year first: 1956-10-23"),
        ("10/23/1956", "write the year first: 1956-10-23"),
        ("02.11.1956", "write the year first: 1956-11-02 or 1956-02-11"),
        ("1956.10.23.", "write it with hyphens: 1956-10-23"),
        ("1956-1-5", "write the month and the day with two digits: 1956-01-05"),
        ("next Tuesday", "expected a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_a_date_option_says_what_is_wrong(value: str, reason: str) -> None:
    with pytest.raises(OptionError) as info:
        parse_options({"day": value})
    assert str(info.value).startswith(f"day={value}: {reason}"), str(info.value)


@pytest.mark.parametrize(("value", "lang"), [("hu", "hu"), ("HU", "hu"), ("hu-HU", "hu"),
                                             ("en_GB", "en"), ("de", "en"), ("pt-BR", "en")])
def test_a_language_code_is_read_by_its_first_part(value: str, lang: str) -> None:
    assert parse_options({"lang": value}).lang == lang


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
