"""Lines on the map (rivers): simplified, and stored as encoded polylines.

The vendored river file (places/rivers/rivers.tsv) keeps each river's line as encoded
polylines — the Google algorithm, about two characters a coordinate instead of eight —
and the chosen river's line is decoded into a GeoJSON geometry only when a story uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["decode_line", "encode_line", "geometry", "simplify"]


def encode_line(points: Sequence[Sequence[float]], decimals: int) -> str:
    """Return ``[lon, lat]`` points as an encoded polyline string (x before y).

    Each coordinate is the difference from the previous point in units of
    10**-decimals, zig-zag signed, in 5-bit chunks offset by 63.

    >>> encode_line([[19.04, 47.5], [19.05, 47.49]], 2)
    '_vB{gHA@'
    """
    out, prev = [], [0, 0]
    for point in points:
        for i in (0, 1):
            value = round(point[i] * 10**decimals)
            delta, prev[i] = value - prev[i], value
            chunk = ~(delta << 1) if delta < 0 else delta << 1
            while chunk >= 0x20:
                out.append(chr((0x20 | (chunk & 0x1F)) + 63))
                chunk >>= 5
            out.append(chr(chunk + 63))
    return "".join(out)


def decode_line(text: str, decimals: int) -> list[list[float]]:
    """Return the ``[lon, lat]`` points of an encoded polyline (see ``encode_line``).

    Raises ValueError for a string that is not one.

    >>> decode_line("_vB{gHA@", 2)
    [[19.04, 47.5], [19.05, 47.49]]
    """
    out: list[list[float]] = []
    value, k, i, factor = [0, 0], 0, 0, 10**decimals
    while i < len(text):
        shift = result = 0
        while True:
            if i >= len(text):
                raise ValueError("encoded polyline ends inside a number")
            b = ord(text[i]) - 63
            i += 1
            if not 0 <= b < 64:
                raise ValueError(f"not an encoded polyline character: {text[i - 1]!r}")
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        value[k] += ~(result >> 1) if result & 1 else result >> 1
        if k == 1:
            out.append([value[0] / factor, value[1] / factor])
        k = 1 - k
    if k:
        raise ValueError("encoded polyline has an odd number of coordinates")
    return out


def geometry(encoded: Sequence[str], decimals: int) -> dict[str, Any]:
    """Return a GeoJSON LineString or MultiLineString of encoded lines."""
    lines = [decode_line(text, decimals) for text in encoded]
    lines = [line for line in lines if len(line) >= 2]
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def simplify(points: Sequence[Sequence[float]], tolerance: float) -> list[list[float]]:
    """Return ``points`` with the Douglas–Peucker algorithm (in degrees), ends kept.

    Iterative, so a line of any length keeps the stack flat.

    >>> simplify([[0, 0], [1, 0.001], [2, 0]], 0.01)
    [[0, 0], [2, 0]]
    """
    pts = [list(p[:2]) for p in points]
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        far, index = -1.0, -1
        for i in range(a + 1, b):
            x, y = pts[i]
            if norm == 0:
                d = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            else:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
            if d > far:
                far, index = d, i
        if index > 0 and far > tolerance:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(pts, keep, strict=True) if k]
