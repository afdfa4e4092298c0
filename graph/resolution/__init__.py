"""Many articles, one graph: which actors and agreements of different articles are one, at once or incrementally."""
