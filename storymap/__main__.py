"""``python -m storymap`` runs the command line."""

from .cli import run

# Guarded: worker processes (storymap.corpus.engines) import the main module again, by
# another name, and must not run the command a second time.
if __name__ == "__main__":
    run()
