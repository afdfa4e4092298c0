"""graph.resolution."""
