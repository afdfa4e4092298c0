"""Write the example notebooks from the cells below, without outputs, byte for byte the same on every run.

    python notebooks/make_notebooks.py            # (re)write 01_quickstart.ipynb and 02_analysis.ipynb
    python notebooks/make_notebooks.py --check    # exit 1 if a committed notebook differs from this script

The notebooks are committed as this script writes them (no outputs, no execution counts, fixed cell ids), so
a diff shows a change of content and never a re-run; tests/test_notebooks.py executes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

HERE = Path(__file__).resolve().parent

#: Finds the repository root whether the kernel starts in the root or in notebooks/.
ROOT_LINE = 'ROOT = Path.cwd() if (Path.cwd() / "seeds").exists() else Path.cwd().parent'

Cells = list[tuple[str, str]]

QUICKSTART: Cells = [
    ("md", """\
# newsgraph quickstart

This notebook builds the knowledge graph of the sample article in `seeds/` through the Python API, shows
what was found as tables, asks the graph three saved SPARQL questions and opens the interactive view.
It runs from the repository root or from `notebooks/` and writes only into a temporary folder, removed
when the kernel stops."""),
    ("md", """\
## Setup

The imports, the repository root (found from the working directory) and a fresh temporary output folder."""),
    ("code", f"""\
import html
import tempfile
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

import graph
from graph.explore import analysis
from graph.exporters.html import render_html
from graph.ask.sparql import load_store, saved_queries

{ROOT_LINE}
WORKDIR = tempfile.TemporaryDirectory(prefix="newsgraph-quickstart-")  # removed when the kernel stops
OUT = Path(WORKDIR.name)
pd.set_option("display.max_colwidth", 90)
print("articles:", ROOT / "seeds")
print("outputs: ", OUT)"""),
    ("md", """\
## 1. Build

`graph.build` reads the articles, finds actors, agreements, relations and quotes with spaCy, checks the
result against the SHACL shapes and writes `graph.ttl`, `graph.html` and a query store into `OUT`. The
report holds the graph and says what was written; the counts below are what the article yielded."""),
    ("code", """\
report = graph.build([ROOT / "seeds"], OUT)
kg = report.graph
print(f"built in {report.seconds:.1f} s:", kg.counts())
for fmt, path in sorted(report.outputs.items()):
    print(f"  {fmt:8} {path.name}")"""),
    ("md", """\
## 2. Actors

`analysis.to_frames` turns the graph into pandas tables. In the entities table every actor (person,
organisation, country, place) is one row: its label, type, the other names it went by (aliases), the
titles it was given (roles) and, for countries, the ISO code."""),
    ("code", """\
frames = analysis.to_frames(kg)
frames["entities"].drop(columns="key")"""),
    ("md", """\
## 3. Agreements and events

Agreements (ceasefires, deals, exchanges ...) and events (meetings, talks ...) are nodes of their own,
with the status the article gives them (proposed, agreed, rejected, hoped for ...) and a date where the
text gives one."""),
    ("code", """\
frames["agreements"].drop(columns="key")"""),
    ("md", """\
## 4. Asking the graph in SPARQL

The build also wrote an RDF store. The saved queries in `ontology/queries/` answer the usual questions;
this table lists them, with the parameters each one takes."""),
    ("code", """\
store = load_store(OUT)
pd.DataFrame(
    [(q.name, q.description, ", ".join(p.name for p in q.params)) for q in saved_queries().values()],
    columns=["query", "description", "parameters"],
)"""),
    ("md", """\
### Who agreed to, proposed or rejected what

`agreements` gives one row per piece of evidence: the actor, what it did, the agreement with its status,
and the sentence that says so."""),
    ("code", """\
analysis.query(store, "agreements")[["actor", "relation", "agreement", "status", "date", "confidence", "sentence"]]"""),
    ("md", """\
### Who spoke or met with whom

`contacts` lists calls and meetings between actors, dated by the relation itself or else by the article."""),
    ("code", """\
analysis.query(store, "contacts")[["actor1", "relation", "actor2", "date", "sentence"]]"""),
    ("md", """\
### Who said what

`quotes` lists direct quotes and reported claims with their speaker and the verb that introduced them.
Parameters narrow a saved query: the second table keeps only the speaker quoted most often."""),
    ("code", """\
quotes = analysis.query(store, "quotes")
display(quotes[["speaker", "kind", "cue", "quote"]])
top_speaker = quotes.groupby("speaker").size().sort_values(ascending=False, kind="stable").index[0]
print("only", top_speaker)
analysis.query(store, "quotes", actor=top_speaker)[["speaker", "kind", "cue", "quote"]]"""),
    ("md", """\
Raw SPARQL works the same way; the usual prefixes (`rdf`, `rdfs`, `schema`, `prov`, `ng` ...) need no
declaration. This one counts the nodes of each class of the newsgraph ontology."""),
    ("code", '''\
analysis.query(store, """
SELECT ?class (COUNT(DISTINCT ?node) AS ?nodes)
WHERE {
  ?node a ?c .
  FILTER(STRSTARTS(STR(?c), STR(ng:)))
  BIND(STRAFTER(STR(?c), "#") AS ?class)
}
GROUP BY ?class ORDER BY DESC(?nodes) ?class
""")'''),
    ("md", """\
## 5. The interactive view

The same page as `graph.html`: self-contained and offline. Agreements and events are the hubs with their
parties around them; hover or click a node to see the relations on its edges (the colour says for, against
or involved), click an edge to read the sentences behind it. The strip below the graph is the timeline:
agreements and events by their own date, else the article's, filtered with the graph (try the date boxes).
Actors the article only mentions, with no relation, are listed under "Only mentioned" instead of being
drawn. The page is embedded through an `<iframe srcdoc>` with the page HTML-escaped, so article text
cannot break out of the attribute, and sandboxed so the page cannot touch the notebook."""),
    ("code", """\
page = render_html(kg, title="newsgraph quickstart")
HTML(
    f'<div><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
    'style="width: 100%; height: 760px; border: 1px solid #ccc"></iframe></div>'
)"""),
]

ANALYSIS: Cells = [
    ("md", """\
# What the graph can tell

The sample article as a network: who is central and why, which actors form groups, the neighbourhood of
the most central actor, who backs or rejects which agreement, and what happened when. Every number is
computed at run time, so the text explains how to read the measures rather than quoting them."""),
    ("md", """\
## Setup

Build the graph of `seeds/` into a temporary folder (the same graph `newsgraph build` writes) and fix the
colours: actor types as in the HTML view, and one colour per predicate."""),
    ("code", f"""\
%matplotlib inline
import html
import tempfile
import textwrap
from collections import Counter
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import graph
from graph.explore import analysis

{ROOT_LINE}
WORKDIR = tempfile.TemporaryDirectory(prefix="newsgraph-analysis-")  # removed when the kernel stops
OUT = Path(WORKDIR.name)
kg = graph.build([ROOT / "seeds"], OUT).graph
pd.set_option("display.max_colwidth", 70)

NODE_COLOURS = {{"Person": "#4e79a7", "Organization": "#f28e2b", "Country": "#76b7b2", "Place": "#9c755f",
                "agreement": "#59a14f", "event": "#b07aa1"}}
EDGE_COLOURS = {{"agreedTo": "#59a14f", "signed": "#2e7d32", "proposed": "#edc948", "supports": "#8cd17d",
                "rejected": "#e15759", "opposes": "#ff7f0e", "attacked": "#8b0000",
                "negotiated": "#4e79a7", "participatesIn": "#9d9d9d"}}
EVENTS = {{"Event", "Meeting", "Talks", "Summit", "Call", "Attack"}}


def node_group(data):
    \"\"\"The colour group of a node: its actor type, or agreement / event.\"\"\"
    if data["kind"] == "agreement":
        return "event" if data["type"] in EVENTS else "agreement"
    return data["type"]


def wrap(text, width=18):
    return "\\n".join(textwrap.wrap(text, width)) or text"""),
    ("md", """\
## Loading into networkx

`kg.to_networkx()` gives a MultiDiGraph: actors, agreements and quotes as nodes, every relation (and every
*said* / *claimed* link to a quote) as its own directed edge carrying the sentence, article and confidence.
The measures below use `analysis.actor_graph(kg)`: the same actors and agreements as an undirected simple
graph, quotes left out, one edge for each pair that any relation links."""),
    ("code", """\
G = kg.to_networkx()
A = analysis.actor_graph(kg)
print(f"MultiDiGraph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges;",
      dict(sorted(Counter(d["kind"] for _, d in G.nodes(data=True)).items())))
print(f"actor graph:  {A.number_of_nodes()} nodes, {A.number_of_edges()} edges,",
      nx.number_connected_components(A), "connected components")
pd.DataFrame(
    [(G.nodes[u]["label"], d["predicate"], G.nodes[v]["label"], d["confidence"], d["sentence"])
     for u, v, d in G.edges(data=True)],
    columns=["from", "predicate", "to", "confidence", "sentence"],
).head(8)"""),
    ("md", """\
## Who is central

Three measures, each answering its own question:

- **degree**: how many distinct others a node is tied to, i.e. who deals with the most counterparts;
- **betweenness**: the share of shortest paths between other nodes that run through it, i.e. a broker
  linking parts of the story that would otherwise not meet;
- **PageRank**: ties to well-tied nodes count more, i.e. being connected to the central players.

Agreements are nodes too (an agreement many actors took a stand on is central in its own right); the
ranking below keeps the actors. The cell prints the top three actors by each measure and the most central
actor overall (first by degree, then betweenness, then PageRank)."""),
    ("code", """\
cent = analysis.centrality(kg)
actors = cent[cent["kind"] == "entity"].reset_index(drop=True)
display(actors.drop(columns="key").head(10).round(3))
for measure in ("degree", "betweenness", "pagerank"):
    top = actors.sort_values([measure, "label"], ascending=[False, True], kind="stable").head(3)
    print(f"top 3 by {measure:<12}", ", ".join(f"{r.label} ({getattr(r, measure):.3g})" for r in top.itertuples()))
print("most central actor:", actors.loc[0, "label"])"""),
    ("md", """\
How to read them: an actor near the top of all three lists is both well connected and a bridge. High
degree with low betweenness means many contacts inside one tight group; high betweenness with a modest
degree marks a go-between, often a country that ties a place or a proposal to the rest of the story.
On a graph from one article PageRank mostly follows degree, but it also lifts a node whose neighbours have
no other ties, so read it together with the other two. The figure puts the three rankings side by side:
names that appear in every panel are central in every sense."""),
    ("code", """\
fig, axes = plt.subplots(1, 3, figsize=(14, 4.5))
for ax, measure in zip(axes, ("degree", "betweenness", "pagerank"), strict=True):
    top = actors.sort_values([measure, "label"], ascending=[False, True], kind="stable").head(8)
    ax.barh(top["label"][::-1], top[measure][::-1],
            color=[NODE_COLOURS.get(t, "#999") for t in top["type"][::-1]])
    ax.set_title(measure)
fig.suptitle("Most central actors by three measures (colour: actor type)")
fig.tight_layout()
plt.show()"""),
    ("md", """\
## Communities

Greedy modularity groups nodes that are more tied to each other than to the rest of the graph. In a news
story these are usually the sides of a negotiation, or a strand of the story told in its own paragraphs.
Nodes without any tie are left out. Louvain (seeded, so it gives the same answer every run) is the
usual second opinion; the last line says how many groups it finds."""),
    ("code", """\
comm = analysis.communities(kg)
for cid, members in comm.groupby("community"):
    print(f"community {cid} ({len(members)}):", "; ".join(members["label"]))
louvain = analysis.communities(kg, method="louvain", seed=0)
print("Louvain finds", louvain["community"].nunique(), "communities")"""),
    ("md", """\
## One actor's neighbourhood

The ego network of the most central actor (the first row of the ranking): every node one tie away and the
ties among them. The centre is drawn larger; each edge is labelled with the relations that link the pair,
and the colours are the node types of the HTML view."""),
    ("code", """\
center = actors.loc[0, "label"]
E = analysis.ego(kg, center, radius=1)
pos = nx.spring_layout(E, seed=7)
fig, ax = plt.subplots(figsize=(10, 6.5))
nx.draw_networkx_edges(E, pos, ax=ax, edge_color="#999999", width=1.5)
nx.draw_networkx_nodes(E, pos, ax=ax, node_color=[NODE_COLOURS[node_group(E.nodes[n])] for n in E],
                       node_size=[1800 if n == E.graph["center"] else 900 for n in E])
nx.draw_networkx_labels(E, pos, ax=ax, labels={n: wrap(E.nodes[n]["label"]) for n in E}, font_size=9)
nx.draw_networkx_edge_labels(E, pos, ax=ax, font_size=8,
                             edge_labels={(u, v): ", ".join(d["predicates"]) for u, v, d in E.edges(data=True)})
groups = sorted({node_group(E.nodes[n]) for n in E})
ax.legend(handles=[Patch(color=NODE_COLOURS[g], label=g) for g in groups], loc="lower left", fontsize=8)
ax.set_title(f"Ego network of {center}")
ax.axis("off")
plt.show()"""),
    ("md", """\
The same neighbourhood as an interactive view (what `newsgraph view OUT --focus NAME` writes): two hops
around the actor, its quotes shown and linked to the actors and agreements they name, the actor selected,
and the timeline of the agreements and events in reach under the graph. Embedded as in the quickstart:
HTML-escaped into a sandboxed `<iframe srcdoc>`."""),
    ("code", """\
from IPython.display import HTML

from graph.explore.cuts import find_node, neighbourhood
from graph.exporters.html import render_html

key = find_node(kg, center)
page = render_html(neighbourhood(kg, key, depth=2), title=f"Around {center}", focus=key)
HTML(f'<div><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
     'style="width: 100%; height: 760px; border: 1px solid #ccc"></iframe></div>')"""),
    ("md", """\
## Who backs which agreement

`analysis.bipartite` keeps only the edges from actors to agreements and events. `stance` reads the
predicate: *for* (agreed to, signed, proposed, supports), *against* (rejected, opposes, attacked) and
*involved* (negotiated, took part in)."""),
    ("code", """\
bip = analysis.bipartite(kg)
bip.drop(columns=["actor_key", "agreement_key"])"""),
    ("md", """\
The drawing puts actors on the left and agreements and events on the right; the colour of an edge is the
predicate, so a red edge is a rejection, a green one an acceptance, a yellow one a proposal. An actor
linked to an agreement twice (say, it negotiated and then agreed to it) gets two curved edges."""),
    ("code", """\
left = sorted(set(bip["actor"]), reverse=True)
right = sorted(set(bip["agreement"]), reverse=True)
ypos = {name: i / max(len(left) - 1, 1) for i, name in enumerate(left)}
ypos_r = {name: i / max(len(right) - 1, 1) for i, name in enumerate(right)}
fig, ax = plt.subplots(figsize=(11, max(4, 0.55 * max(len(left), len(right)))))
seen = Counter()
for row in bip.itertuples():
    k = seen[(row.actor, row.agreement)]
    seen[(row.actor, row.agreement)] += 1
    ax.annotate("", xy=(1, ypos_r[row.agreement]), xytext=(0, ypos[row.actor]),
                arrowprops={"arrowstyle": "-|>", "color": EDGE_COLOURS.get(row.predicate, "#555555"), "lw": 2,
                            "shrinkA": 6, "shrinkB": 6, "connectionstyle": f"arc3,rad={0.12 * k}"})
types = dict(zip(bip["actor"], bip["actor_type"], strict=False))
for name, y in ypos.items():
    ax.scatter(0, y, s=160, color=NODE_COLOURS.get(types[name], "#999999"), zorder=3)
    ax.text(-0.04, y, name, ha="right", va="center", fontsize=9)
kinds = dict(zip(bip["agreement"], bip["agreement_type"], strict=False))
for name, y in ypos_r.items():
    ax.scatter(1, y, s=160, marker="D", zorder=3,
               color=NODE_COLOURS["event" if kinds[name] in EVENTS else "agreement"])
    ax.text(1.04, y, name, ha="left", va="center", fontsize=9)
used = [p for p in EDGE_COLOURS if p in set(bip["predicate"])]
ax.legend(handles=[Line2D([0], [0], color=EDGE_COLOURS[p], lw=2, label=p) for p in used],
          loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=min(len(used), 5), fontsize=8, frameon=False)
ax.set_xlim(-0.6, 1.6)
ax.set_ylim(-0.08, 1.08)
ax.set_title("Actors and the agreements and events they took a stand on (edge colour: predicate)")
ax.axis("off")
plt.show()"""),
    ("md", """\
## When things happened

`analysis.timeline` puts agreements, events and dated relations on one axis. A happening without a date
of its own is placed at the earliest dated relation about it or, failing that, at the publication date of
the first article that mentions it; `dated_by` says which."""),
    ("code", """\
tl = analysis.timeline(kg)
tl.drop(columns="key")"""),
    ("md", """\
The plot has one row per item: agreements as diamonds, events as stars, dated relations as dots; a filled
marker carries the item's own date, a hollow one a date borrowed from the article."""),
    ("code", """\
markers = {"agreement": "D", "event": "*", "relation": "o"}
colours = {"agreement": NODE_COLOURS["agreement"], "event": NODE_COLOURS["event"], "relation": "#4e79a7"}
fig, ax = plt.subplots(figsize=(10, max(3, 0.45 * len(tl))))
for i, row in enumerate(tl.itertuples()):
    own = row.dated_by != "article"
    ax.scatter(row.date, i, marker=markers[row.kind], s=140, color=colours[row.kind] if own else "white",
               edgecolors=colours[row.kind], linewidths=1.5, zorder=3)
ax.set_yticks(range(len(tl)), [wrap(label, 60) for label in tl["label"]], fontsize=9)
ax.invert_yaxis()
ax.grid(axis="x", alpha=0.3)
ax.set_xticks(sorted(tl["date"].unique()))
ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
ax.margins(x=0.2)
handles = [Line2D([0], [0], marker=m, color="white", markerfacecolor=colours[k], markeredgecolor=colours[k],
                  markersize=9, label=k) for k, m in markers.items()]
handles.append(Line2D([0], [0], marker="o", color="white", markerfacecolor="white", markeredgecolor="#555555",
                      markersize=9, label="dated by article"))
ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
ax.set_title("Agreements, events and dated relations by date")
fig.tight_layout()
plt.show()"""),
    ("md", """\
## Next steps

Point `graph.build` at your own folder of articles: with more articles the communities separate into the
stories' sides and betweenness picks out the actors that connect them. `analysis.query(OUT, "timeline",
actor=...)` and the other saved queries answer the same questions in SPARQL over the written store."""),
]

NOTEBOOKS: dict[str, Cells] = {"01_quickstart.ipynb": QUICKSTART, "02_analysis.ipynb": ANALYSIS}


def notebook(cells: Cells, prefix: str) -> NotebookNode:
    """A v4.5 notebook of ``cells``, no outputs, with cell ids fixed by position so rewrites are stable."""
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    for i, (kind, source) in enumerate(cells):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.id = f"{prefix}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(name: str) -> str:
    """The text of notebook ``name`` as it is committed."""
    return nbformat.writes(notebook(NOTEBOOKS[name], name[:2]), version=4) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed notebooks match")
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        path, text = HERE / name, render(name)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print("wrote", path)
    if stale:
        print("out of date (run python notebooks/make_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
