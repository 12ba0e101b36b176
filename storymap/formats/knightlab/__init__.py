"""Knight Lab StoryMapJS and TimelineJS: read and write."""
