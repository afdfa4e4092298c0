"""Asking the graph: SPARQL over a build folder (saved queries, parameters, result formats) and the HTTP endpoint."""
