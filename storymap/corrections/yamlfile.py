"""corrections.yaml as text: composed strictly, and changed in place so a hand edit survives.

Reading: libyaml composes the document (C, linear in the text); before anything is built
from it, the node graph is walked once and refused if it holds an alias (``*name``: the
447-byte "billion laughs" file expands to gigabytes wherever its value is formatted or
walked) or is nested deeper than a corrections file ever is. Nothing the app writes uses
either, and a file meant to be shared between teachers must be safe to open.

Writing: the app's changes are appending an entry to a section and removing entries
(a dragged pin is both). :func:`spliced` makes exactly those changes to the file's text —
an entry's lines cut out, a one-line entry added after the section's last one — so the
teacher's comments, order, blank lines and quoting stay as they were, and a write costs
a few string operations instead of dumping the whole file. Where the layout is one it
does not know (a flow-style document, a JSON file), it answers None and the caller writes
the file out whole. Either way the caller reads the new text back with the file's own
parser before it is saved (fileio.save_corrections): what cannot be read is never written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import CorrectionsError
from .model import SECTIONS, Corrections, Entry

__all__ = ["MAX_DEPTH", "Composed", "compose", "construct", "entry_line", "spliced"]

#: Nesting a corrections file never needs (a document, a section, an entry, a list in it).
MAX_DEPTH = 12


@dataclass(frozen=True)
class Composed:
    """A corrections file's text and its composed YAML node (None for an empty document)."""

    text: str
    node: Any


def compose(text: str, *, file: str) -> Composed:
    """Compose ``text`` with libyaml; refuse aliases and deep nesting (CorrectionsError).

    Messages quote no part of the document beyond libyaml's own short problem text.
    """
    import yaml

    loader_class = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = str(getattr(exc, "problem", None) or "not valid YAML")[:80]
        raise CorrectionsError(f"{file}: not valid YAML{where} ({problem}); fix the YAML "
                               "(docs/corrections.md shows the format)") from None
    finally:
        loader.dispose()
    if node is not None:
        _check_graph(node, file=file)
    return Composed(text=text, node=node)


def _check_graph(root: Any, *, file: str) -> None:
    """Refuse a node reached twice (an alias) or nested deeper than MAX_DEPTH."""
    import yaml

    seen: set[int] = set()
    stack: list[tuple[Any, int, Any]] = [(root, 0, root)]
    while stack:
        node, depth, parent = stack.pop()
        if id(node) in seen:
            line = parent.start_mark.line + 1
            raise CorrectionsError(
                f"{file}: line {line}: an alias (*name) repeats the value at line "
                f"{node.start_mark.line + 1}; a corrections file takes no anchors or aliases: "
                "write each value out in full")
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise CorrectionsError(
                f"{file}: line {node.start_mark.line + 1}: nested more than {MAX_DEPTH} levels "
                "deep; see docs/corrections.md for the format")
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1, key))
                stack.append((value, depth + 1, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1, node) for item in node.value)


def construct(composed: Composed) -> Any:
    """Return the plain data (str, list, dict) of a checked document."""
    import yaml

    if composed.node is None:
        return None
    constructor = yaml.constructor.BaseConstructor()
    return constructor.construct_document(composed.node)


def entry_line(entry: Entry) -> str:
    """Return ``entry`` as one YAML flow mapping on one line (no trailing newline)."""
    import yaml

    from .model import entry_dict

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(entry_dict(entry), Dumper=_one_line_dumper(dumper), default_flow_style=True,
                     allow_unicode=True, width=1 << 20, sort_keys=False).strip()


@functools.cache
def _one_line_dumper(base: type[Any]) -> type[Any]:
    """A dumper that writes a string with a line break double-quoted (``\\n``), on one line."""

    class OneLine(base):  # type: ignore[misc]
        pass

    def text(dumper: Any, value: str) -> Any:
        style = '"' if any(c in value for c in "\n\r\t\f") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    OneLine.add_representer(str, text)
    return OneLine


# -- changing the text in place --------------------------------------------------------
Edit = tuple[int, int, str]  # replace text[start:end] with the string


def spliced(composed: Composed, old: Corrections, new: Corrections) -> str | None:
    """Return ``composed.text`` changed from ``old`` (what it holds) to ``new``, or None.

    ``new`` must be ``old`` with entries removed and others appended to their sections
    (every change the app makes). None when the layout is not one this knows how to
    change in place: the caller then writes the file out whole.
    """
    import yaml

    root = composed.node
    if root is None:  # nothing but comments (or nothing): the entries go after them
        text = composed.text
        lead = "" if not text or text.endswith("\n") else "\n"
        body = [f"version: {new.version}"]
        for section in SECTIONS:
            entries = getattr(new, section)
            body.append(f"{section}:" if entries else f"{section}: []")
            body.extend(f"  - {entry_line(e)}" for e in entries)
        return text + lead + "\n".join(body) + "\n"
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    values = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    edits: list[Edit] = []
    for section in SECTIONS:
        before: Sequence[Entry] = getattr(old, section)
        after: Sequence[Entry] = getattr(new, section)
        removed, added = _diff(before, after)
        if removed is None:
            return None
        if not removed and not added:
            continue
        key, value = values.get(section, (None, None))
        made = _section_edits(composed.text, section, key, value, removed, added, root)
        if made is None:
            return None
        edits.extend(made)
    text = composed.text
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _diff(before: Sequence[Entry], after: Sequence[Entry]) -> tuple[list[int] | None,
                                                                     list[Entry]]:
    """Indexes of ``before`` removed and entries appended, so that ``after`` results."""
    removed: list[int] = []
    j = 0
    for i, entry in enumerate(before):
        if j < len(after) and after[j] == entry:
            j += 1
        else:
            removed.append(i)
    return removed, list(after[j:])


#: A line that ends the YAML document ("...") or begins the next ("---").
_DOCUMENT_END = re.compile(r"(?m)^(?:\.\.\.|---)(?=[ \t]|$)")


def _section_edits(text: str, section: str, key: Any, value: Any, removed: list[int],
                   added: list[Entry], root: Any) -> list[Edit] | None:
    import yaml

    lines = [entry_line(e) for e in added]
    if value is None:  # no such section yet: add it at the end of the document
        if not added or root.start_mark.column != 0:
            return None
        # at the document's end: before a "..." or "---" that ends it, not after
        marker = _DOCUMENT_END.search(text, root.end_mark.index)
        at = marker.start() if marker else len(text)
        lead = "" if not text[:at] or text[:at].endswith("\n") else "\n"
        body = "".join(f"  - {line}\n" for line in lines)
        return [(at, at, f"{lead}{section}:\n{body}")]
    indent = " " * (key.start_mark.column + 2)
    if isinstance(value, yaml.ScalarNode):  # "events:" or "events: ~": null, no entries
        if removed or value.value not in ("", "~", "null", "Null", "NULL"):
            return None
        start = _back_over_spaces(text, value.start_mark.index)
        body = "".join(f"\n{indent}- {line}" for line in lines)
        return [(start, value.end_mark.index, body)]
    if not isinstance(value, yaml.SequenceNode):
        return None
    items = value.value
    if value.flow_style:
        return _flow_edits(text, value, items, removed, lines, indent)
    edits: list[Edit] = []
    for i in removed:
        span = _item_lines(text, items[i])
        if span is None:
            return None
        edits.append((*span, ""))
    if lines:
        last = items[-1]
        dash = _dash(text, last)
        if dash is None:
            return None
        at = _line_end(text, _deep_end(last))
        lead = "" if text[at - 1:at] == "\n" else "\n"
        pad = " " * (dash - _line_start(text, dash))
        edits.append((at, at, lead + "".join(f"{pad}- {line}\n" for line in lines)))
    return edits


def _flow_edits(text: str, value: Any, items: list[Any], removed: list[int],
                lines: list[str], indent: str) -> list[Edit] | None:
    """Edits to ``[a, b, c]``; an emptied ``[]`` that gets entries becomes block style."""
    if not items and lines:
        if "\n" in text[value.start_mark.index:value.end_mark.index]:
            return None
        start = _back_over_spaces(text, value.start_mark.index)
        body = "".join(f"\n{indent}- {line}" for line in lines)
        return [(start, value.end_mark.index, body)]
    edits: list[Edit] = []
    gone = set(removed)
    kept = [i for i in range(len(items)) if i not in gone]
    for i in removed:
        item = items[i]
        if i + 1 < len(items):  # "b, " up to the next item
            edits.append((item.start_mark.index, items[i + 1].start_mark.index, ""))
        elif i > 0:  # the last: ", c" from the end of the one before
            edits.append((items[i - 1].end_mark.index, item.end_mark.index, ""))
        else:
            edits.append((item.start_mark.index, item.end_mark.index, ""))
    if lines:
        if kept:
            at = items[-1].end_mark.index
            edits.append((at, at, "".join(f", {line}" for line in lines)))
        else:
            at = items[0].start_mark.index  # every item removed: the new ones take their place
            edits.append((at, at, ", ".join(lines)))
    # overlapping cuts (two neighbours removed) are merged into one
    edits.sort()
    merged: list[Edit] = []
    for start, end, rep in edits:
        if merged and start < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], end), prev[2] + rep)
        else:
            merged.append((start, end, rep))
    return merged


def _deep_end(node: Any) -> int:
    """Where ``node``'s own text ends: a block collection's end mark runs on to the next
    token (past comments), so it is the end of its last scalar or flow collection."""
    import yaml

    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style \
            and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.index)


def _dash(text: str, item: Any) -> int | None:
    """The index of the ``-`` that starts block sequence item ``item``, or None."""
    i = item.start_mark.index - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return i if i >= 0 and text[i] == "-" else None


def _item_lines(text: str, item: Any) -> tuple[int, int] | None:
    """The span of the whole lines of a block sequence item (its trailing comment too)."""
    dash = _dash(text, item)
    if dash is None:
        return None
    start = _line_start(text, dash)
    if text[start:dash].strip():
        return None  # "key: - item" or similar: not a line of its own
    return start, _line_end(text, _deep_end(item))


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _line_end(text: str, at: int) -> int:
    """Just past the line break of the line holding ``at`` (or the end of the text)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end + 1


def _back_over_spaces(text: str, at: int) -> int:
    while at > 0 and text[at - 1] in " \t":
        at -= 1
    return at
