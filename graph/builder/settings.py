"""The build's settings and tuning constants, in a module that imports nothing heavy (the CLI reads its defaults)."""

from ..nlp.confidence import DEFAULT_MIN_CONFIDENCE  # noqa: F401  (re-exported) the one export threshold, beside the confidences it splits

#: Held for the whole of a build (see _exclusive).
LOCK_FILE = ".lock"

NQUADS = "graph.nq"
CACHE_DIR = "cache"
INDEX_FILE = "_index.sqlite"  # not an article id: ExtractionCache.ids() skips names starting with "_"
#: When at least this share of the article graphs changed, the store is loaded again whole (bulk loader).
RELOAD_SHARE = 0.3
#: Quads handed to Oxigraph's bulk loader at a time: its memory grows with what it is given at once, and
#: smaller slices make a larger store (100,000 at a time: half as large again). The last slice is loaded
#: after the article graphs are done.
LOAD_SLICE = 200_000
#: Merged nodes read from the index at a time (and its checkpoint interval) when many changed.
NODE_CHUNK = 2000
#: Extractions read from the cache at a time (and the index's checkpoint interval) when many articles are new.
INDEX_CHUNK = 500
#: Whole-graph files (graph.nq and the exporters' files) are rewritten by a build while the merged graph has
#: at most this many triples; past it the store alone is kept up to date (``newsgraph export`` writes them).
DEFAULT_EXPORT_LIMIT = 100_000
#: Article graphs mapped together (one task for a worker process).
VALIDATION_CHUNK = 100
#: Article graphs per SHACL validation call: pyrudof's cost per triple grows with the size of what it is
#: given, and falls with fewer calls; ten article graphs at a time cost least (3.4 ms an article, 4.3 at 100).
VALIDATE_BATCH = 10
#: Merged nodes mapped and validated per call, for the same reason.
NODE_BATCH = 200
