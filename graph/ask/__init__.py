"""graph.ask."""
