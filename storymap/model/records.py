"""``dataclasses.asdict`` without its per-value overhead (same result, several times faster).

``asdict`` asks ``fields()`` and ``copy.deepcopy`` of every value of every record; a story
has tens of thousands of records (mentions, dates, events), all of str, int, float, bool,
None, tuples and nested records. This converter caches each class's field names and
returns those immutable scalars as they are (``deepcopy`` returns them as they are too).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

__all__ = ["as_dict", "as_plain", "record_fields", "record_lines", "records_json"]

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def as_dict(record: Any) -> dict[str, Any]:
    """Return what ``dataclasses.asdict(record)`` returns.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class P:
    ...     name: str
    ...     at: tuple[float, ...]
    >>> as_dict(P("Pécs", (46.07, 18.23)))
    {'name': 'Pécs', 'at': (46.07, 18.23)}
    """
    if not hasattr(type(record), "__dataclass_fields__") or isinstance(record, type):
        raise TypeError("as_dict() should be called on dataclass instances")
    out: dict[str, Any] = _convert(record)
    return out


def as_plain(value: Any) -> Any:
    """Return ``value`` with every record in it (at any depth) as ``as_dict`` gives it."""
    return _convert(value)


def _names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass (cached), None for another class."""
    names = _FIELDS.get(cls)
    if names is None and hasattr(cls, "__dataclass_fields__"):
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


def _convert(obj: Any) -> Any:
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    names = _names(cls)
    if names is not None:
        out = {}
        for name in names:
            value = getattr(obj, name)
            out[name] = value if type(value) in _SCALARS else _convert(value)
        return out
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return cls(*[_convert(v) for v in obj])
    if isinstance(obj, (list, tuple)):
        return cls(v if type(v) in _SCALARS else _convert(v) for v in obj)
    if isinstance(obj, dict):
        return cls((_convert(k), _convert(v)) for k, v in obj.items())
    return copy.deepcopy(obj)


def record_fields(obj: Any) -> Mapping[str, Any]:
    """The JSON encoders' ``default``: a record's fields, in order, values as they are.

    The encoder converts the values itself (a nested record comes back here), so a story
    is written without first being copied into dicts (``as_dict``: a third of writing a
    corpus's story). A frozen record's ``__dict__`` is its fields in field order (its
    ``__init__`` sets them so; ``__post_init__`` only replaces values): it is given as it
    is when it holds just the fields, else the fields are read one by one.
    """
    names = _names(type(obj)) if not isinstance(obj, type) else None
    if names is None:
        if isinstance(obj, Mapping):  # a read-only mapping (MappingProxyType)
            return dict(obj)
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
    own = getattr(obj, "__dict__", None)
    if own is not None and len(own) == len(names):
        return own  # type: ignore[no-any-return]
    return {name: getattr(obj, name) for name in names}


#: The C encoder: ``json.dumps`` with an ``indent`` runs the pure-Python one, five times
#: slower (0.9 s of a 1,322-text corpus's rebuild went there).
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=record_fields,
                           separators=(", ", ": ")).encode


def records_json(data: Any) -> str:
    """Return ``data`` (records, at any depth) as one line of JSON, as ``json.dumps`` of
    its ``as_plain`` form gives it."""
    return _ENCODE(data)


def _item_encoder() -> Callable[[Any], str]:
    """The same encoding for the items of a list, made once rather than once per item.

    ``JSONEncoder.encode`` sets up a C encoder for every call: a quarter of encoding the
    21,000 records of a corpus's story. The C encoder is made here once (without the
    check for circular references, which records cannot have); where Python has no C
    encoder, ``_ENCODE`` is used.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _ENCODE

    encoder = make(None, record_fields, json.encoder.encode_basestring, None, ": ", ", ",
                   False, False, False)
    return lambda item: "".join(encoder(item, 0))


_ENCODE_ITEM = _item_encoder()


def record_lines(data: Mapping[str, Any], pad: str) -> str:
    """Return ``data`` (its values records, lists of records or plain values) as JSON with
    a line per field and per item of a list field."""
    # One list of pieces joined once: a corpus's story is MBs, and each join copies it.
    parts = ["{\n"]
    last = len(data) - 1
    inner = ",\n" + pad * 2
    for n, (key, value) in enumerate(data.items()):
        comma = ",\n" if n < last else "\n"
        if isinstance(value, (list, tuple)) and value:
            parts += (pad, _ENCODE(key), ": [\n", pad * 2)
            for i, item in enumerate(value):
                if i:
                    parts.append(inner)
                parts.append(_ENCODE_ITEM(item))
            parts += ("\n", pad, "]", comma)
        else:
            parts += (pad, _ENCODE(key), ": ", _ENCODE(value), comma)
    parts.append("}")
    return "".join(parts)
