"""Language profiles: the words each stage reads by, as data (one folder per language).

A stage never hard-codes a word list; it asks the profile the pipeline passes it:
``load_profile("en").words("locative_cues")``. See ``profile.py`` for the file layout.
"""

from __future__ import annotations

from .profile import Profile, load_profile

__all__ = ["Profile", "load_profile"]
