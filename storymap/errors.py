"""The one exception tree of storymap.

"Not found" is data (an unresolved mention is kept in ``Story.unresolved``); these
exceptions are for things that are broken: bad files, bad configuration, failing services.

    StorymapError
     ├── InputError (also ValueError)        a text or story file we cannot read
     │    ├── EncodingError                  not UTF-8 / not text at all
     │    ├── StoryFormatError               a story JSON that does not match the schema
     │    ├── InputTooLargeError             a file beyond its size limit (bytes read)
     │    └── CorrectionsError               a corrections file that does not fit its format
     ├── OutputError (also OSError)          an output we cannot write (directory, disk
     │                                       full, permission, read-only file system)
     ├── ConfigError (also ValueError)       a bad option, an unknown resolver or format name
     ├── GazetteerError                      places/ data that does not load
     └── GeocoderError (also RuntimeError)   an online geocoder that fails

Every message names the file (and line or offset when it can), says what was expected,
what came, and what to do.
"""

from __future__ import annotations


class StorymapError(Exception):
    """Root of every error storymap raises on purpose."""


class InputError(StorymapError, ValueError):
    """An input file (text or story) that cannot be used."""


class EncodingError(InputError):
    """A file that is not UTF-8 text (binary, or another encoding)."""


class StoryFormatError(InputError):
    """A story JSON file that is malformed or does not match the schema."""


class InputTooLargeError(InputError):
    """A file larger than storymap will read in one go (counted while reading)."""


class OutputError(StorymapError, OSError):
    """An output file that cannot be written: a directory, a full disk, no permission."""


class CorrectionsError(InputError):
    """A corrections file (corrections.yaml) with an entry storymap cannot apply."""


class ConfigError(StorymapError, ValueError):
    """A bad option: unknown resolver, unknown export format, bad date."""


class GazetteerError(StorymapError):
    """Gazetteer data in places/ that cannot be loaded."""


class GeocoderError(StorymapError, RuntimeError):
    """An online geocoding service that failed (network, quota, bad answer)."""
