"""The one blueprint of the web app; views.py and api.py add their routes to it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("storymap", __name__)
