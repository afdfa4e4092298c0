"""How good the extraction is: a graph scored against hand-written gold facts (score.py), over a folder (corpus.py)."""
