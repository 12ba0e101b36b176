"""``python -m storymap`` runs the command line."""

from .cli import run

run()
