"""The HTML our interchange exports carry for each event, written here and read back here.

Knight Lab's StoryMapJS and TimelineJS show ``text`` fields as HTML, so every story
string is HTML-escaped before it goes in. Besides being readable there, the markup keeps
what the two formats have no field for (event ids, exact dates, place coordinates) in
``data-*`` attributes, so ``storymap.formats.knightlab.read`` can rebuild the events::

    <li class="storymap-event" data-event="e1" data-date="1956-10-23" data-precision="day">
      <strong class="storymap-title">…</strong>
      <blockquote class="storymap-quote">…</blockquote>
      <ul class="storymap-places">
        <li data-place="budapest" data-lat="47.49835" data-lon="19.04045" …>Budapest</li>
      </ul>
    </li>

Reading is tolerant: any HTML becomes a small tree; scripts and styles are dropped.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..model import Event, Place, Story

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def esc(text: str) -> str:
    """Return ``text`` escaped for HTML text and attribute values.

    >>> esc('<b title="x">Kilián & co</b>')
    '&lt;b title=&quot;x&quot;&gt;Kilián &amp; co&lt;/b&gt;'
    """
    return html.escape(text, quote=True)


def format_date(iso: str, *, end: str | None = None) -> str:
    """Return an ISO date cut to its precision (or a range) as English words.

    >>> format_date("1956-10-23"), format_date("1957-01"), format_date("1989")
    ('23 October 1956', 'January 1957', '1989')
    >>> format_date("1956-11-01", end="1956-11-03")
    '1–3 November 1956'
    >>> format_date("1956-10-30", end="1956-11-02")
    '30 October – 2 November 1956'
    """
    if not end or end == iso:
        return _words(iso)
    first, last = iso.split("-"), end.split("-")
    if len(first) == len(last) == 3 and first[:2] == last[:2]:
        return f"{int(first[2])}–{_words(end)}"
    if len(first) == len(last) == 3 and first[0] == last[0]:
        return f"{int(first[2])} {MONTHS[int(first[1]) - 1]} – {_words(end)}"
    return f"{_words(iso)} – {_words(end)}"


def _words(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def event_date(event: Event) -> str:
    """Return the event's date in words, with its time when it has one."""
    words = format_date(event.date, end=event.end_date)
    return f"{words}, {event.time}" if event.time else words


def _attrs(pairs: Mapping[str, str | None]) -> str:
    return "".join(f' {k}="{esc(v)}"' for k, v in pairs.items() if v)


def _number(value: float) -> str:
    return repr(round(value, 6))


def place_item(place: Place, *, mention: str) -> str:
    """Return one ``<li>`` of a places list, with the coordinates in data attributes."""
    data = {
        "data-place": place.id,
        "data-lat": _number(place.lat),
        "data-lon": _number(place.lon),
        "data-kind": place.kind,
        "data-country": place.country,
        "data-mention": mention,
    }
    return f"<li{_attrs(data)}>{esc(place.name)}</li>"


def event_html(story: Story, event: Event, *, tag: str = "li", title: bool = True) -> str:
    """Return one event as escaped HTML: its title, quote, places and people.

    ``tag`` is the wrapping element; ``title`` False leaves the title out (TimelineJS
    already shows it as the headline).
    """
    data = {
        "class": "storymap-event",
        "data-event": event.id,
        "data-date": event.date,
        "data-precision": event.precision,
        "data-end-date": event.end_date,
        "data-time": event.time,
    }
    parts = [f"<{tag}{_attrs(data)}>"]
    if title:
        parts.append(f'<strong class="storymap-title">{esc(event.title)}</strong>')
        if event.time:
            parts.append(f" <span>{esc(event.time)}</span>")
    parts.append(f'<blockquote class="storymap-quote">{esc(event.quote)}</blockquote>')
    by_id = story.places_by_id
    items = [place_item(by_id[r.place_id], mention=r.mention)
             for r in event.places if r.place_id in by_id]
    if items:
        parts.append(f'<ul class="storymap-places">{"".join(items)}</ul>')
    if event.people:
        people = ", ".join(f'<span class="storymap-person">{esc(p)}</span>' for p in event.people)
        parts.append(f'<p class="storymap-people">{people}</p>')
    parts.append(f"</{tag}>")
    return "".join(parts)


#: Characters of an event's title in a later slide's reminder of it.
REMINDER_TITLE = 120


def event_reminder(event: Event, *, tag: str = "li") -> str:
    """Return a short reminder of an event listed in full on an earlier slide: its id and
    dates (so a reader of the export still finds it) and its title, cut, with no quote."""
    data = {"class": "storymap-event storymap-continuing", "data-event": event.id,
            "data-date": event.date, "data-precision": event.precision,
            "data-end-date": event.end_date}
    title = event.title if len(event.title) <= REMINDER_TITLE else \
        event.title[:REMINDER_TITLE - 1] + "…"
    return (f"<{tag}{_attrs(data)}><strong class=\"storymap-title\">{esc(title)}</strong> "
            f"(continuing)</{tag}>")


def attributions_html(story: Story) -> str:
    """Return the story's attributions as an HTML list (links only for http(s) URLs)."""
    items = []
    for a in story.attributions:
        data = {"data-name": a.name, "data-license": a.license, "data-url": a.url}
        text = esc(a.text)
        if a.url.startswith(("https://", "http://")):
            text = f'<a href="{esc(a.url)}">{text}</a>'
        items.append(f"<li{_attrs(data)}>{text}</li>")
    return f'<ul class="storymap-attributions">{"".join(items)}</ul>'


def overview_html(story: Story) -> str:
    """Return the text of a title slide: how many events over which dates, and the credits."""
    dated = sorted(story.events, key=lambda e: e.date)
    summary = f"{len(story.events)} events"
    if dated:
        last = max(e.end_date or e.date for e in dated)
        summary += f", {format_date(dated[0].date, end=last)}"
    return f"<p>{esc(summary)}</p>{attributions_html(story)}"


# -- reading -----------------------------------------------------------------------
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "source", "track", "wbr"})
_DROPPED = frozenset({"script", "style", "template", "iframe", "noscript", "object"})
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "br", "blockquote", "h1", "h2", "h3",
                    "h4", "h5", "h6", "section", "article", "table", "tr", "td", "th"})


@dataclass
class Node:
    """An element of parsed HTML: tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """Yield this node and every element below it, in document order."""
        stack: list[Node] = [self]  # not recursive: a chain of generators costs per level
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def find_all(self, *, attr: str = "", cls: str = "") -> list[Node]:
        """Return the elements below this one with attribute ``attr`` or class ``cls``."""
        return [
            n for n in self.iter()
            if n is not self and (not attr or attr in n.attrs)
            and (not cls or cls in n.attrs.get("class", "").split())
        ]

    def text(self, *, skip: frozenset[str] = frozenset()) -> str:
        """Return the plain text below this node, whitespace collapsed to single spaces.

        Elements whose class is in ``skip`` are left out.
        """
        out: list[str] = []
        self._collect(out, skip)
        return " ".join("".join(out).split())

    def _collect(self, out: list[str], skip: frozenset[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                out.append(child)
            elif not skip.intersection(child.attrs.get("class", "").split()):
                if child.tag in _BLOCK:
                    out.append(" ")
                child._collect(out, skip)
                if child.tag in _BLOCK:
                    out.append(" ")


#: How deep imported HTML may nest (20,000 nested <div> would overflow the tree walks).
_MAX_DEPTH = 100


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in _DROPPED:
            self.dropping += tag in _DROPPED
            return
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        # Deeper elements stay children of the deepest open one: walking the tree never
        # recurses more than _MAX_DEPTH levels, and closing a tag never scans far.
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropping and tag not in _DROPPED:
            self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            self.dropping -= tag in _DROPPED
            return
        for i in range(len(self.stack) - 1, 0, -1):  # close up to the matching element
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    """Parse an HTML fragment into a tree, leaving out scripts, styles and frames.

    >>> parse_html("<p>A <b>bold</b><script>x()</script> &amp; plain</p>").text()
    'A bold & plain'
    """
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def plain_text(text: str) -> str:
    """Return the plain text of an HTML fragment, whitespace collapsed.

    >>> plain_text("<p>Shots at the <i>Radio</i></p><p>at 20:00</p>")
    'Shots at the Radio at 20:00'
    """
    return parse_html(text).text()

