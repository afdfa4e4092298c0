"""Looking into a graph: cuts (an actor's neighbourhood, one article, the overview) and networkx analysis."""
