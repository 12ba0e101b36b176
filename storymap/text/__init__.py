"""Text: passages with offsets, folding, repairs of lost letters, display edits."""
