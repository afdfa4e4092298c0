"""graph.quality."""
