"""Outputs: view options, the one page renderer, the map view, assets and the JS bundle."""
