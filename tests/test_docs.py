"""Docs that cannot drift: every CLI command and option is in the README, and CI runs its check."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import pytest

from storymap.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """Return the README text under the ``## title`` heading, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}[^\n]*\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def code_blocks(text: str) -> str:
    """Return the contents of the fenced code blocks in ``text``, joined."""
    return "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M))


def long_options(command: click.Command) -> list[str]:
    """Return the long options of ``command`` (``--format``, ``--unresolved``), --help left out."""
    names = []
    for param in command.params:
        if isinstance(param, click.Option):
            names += [o for o in param.opts + param.secondary_opts
                      if o.startswith("--") and o != "--help"]
    return names


COMMANDS = sorted(main.commands.items())
OPTIONS = [(name, opt) for name, cmd in COMMANDS for opt in long_options(cmd)]


def test_the_cli_has_the_commands_the_issue_promises() -> None:
    assert {"build", "export", "places", "serve"} <= set(main.commands)
    assert ("export", "--format") in OPTIONS and ("places", "--unresolved") in OPTIONS


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_readme_documents_command(name: str) -> None:
    assert re.search(rf"\bstorymap {name}\b", section("Commands")), (
        f"README.md's Commands section does not show `storymap {name}`; add it"
    )


@pytest.mark.parametrize(("name", "option"), OPTIONS + [("(main)", o) for o in long_options(main)])
def test_readme_documents_option(name: str, option: str) -> None:
    assert re.search(rf"{re.escape(option)}(?![\w-])", section("Commands")), (
        f"README.md's Commands section does not mention {option} of `storymap {name}`; add it"
    )


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_command_and_option_has_help(name: str) -> None:
    command = main.commands[name]
    assert (command.help or "").strip(), f"`storymap {name}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"`storymap {name} {param.opts[-1]}` has no help"


def test_quick_start_runs_the_map_and_the_checks() -> None:
    commands = code_blocks(section("Quick start"))
    assert "pip install ." in commands
    assert re.search(r"\bstorymap serve\b", commands)
    assert re.search(r"^scripts/check\b", commands, re.M)


def test_ci_runs_the_readme_check() -> None:
    check = ROOT / "scripts" / "check"
    assert check.is_file() and os.access(check, os.X_OK), "scripts/check must be executable"
    ci = ROOT / ".ci" / "run"
    assert os.access(ci, os.X_OK), ".ci/run must be executable"
    lines = [line.split("#", 1)[0] for line in ci.read_text(encoding="utf-8").splitlines()]
    assert any(re.search(r"(^|\s)scripts/check\b", line) for line in lines), (
        ".ci/run does not call scripts/check (the README's test command)"
    )
