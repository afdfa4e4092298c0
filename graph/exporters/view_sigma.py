"""sigma.js (WebGL) for big graphs, taken from the installed ipysigma package: no vendored JavaScript, no CDN.

ipysigma ships sigma.js, graphology and its widget as one AMD module (``nbextension/index.js``) written for
a Jupyter widget manager. The page gives it the little of ``@jupyter-widgets/base`` it uses (a model that
answers ``get`` from a dict, a view with an element) and the widget state that ipysigma's own Python class
computes, so the state always matches the bundle of the installed version. The page's own script then
drives the sigma renderer (filters, search, selection); ipysigma's side panels are hidden.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from .html import script_safe

_BUNDLE = "nbextension/index.js"
_EDGES_WHILE_MOVING = 10_000  # above this many edges, panning and zooming draw the nodes only (software WebGL)
#: Captures the bundle's ``define([...deps], factory)`` instead of a require.js loader.
_AMD_SHIM = """var __newsgraphAmd = null;
var define = function (deps, factory) {
  if (Array.isArray(deps) && deps.indexOf("@jupyter-widgets/base") >= 0) { __newsgraphAmd = factory; }
};
define.amd = true;
"""


def sigma_js() -> str:
    """The script that defines ``__newsgraphAmd`` (ipysigma's module factory)."""
    bundle = resources.files("ipysigma").joinpath(_BUNDLE).read_text(encoding="utf-8")
    lines = [line for line in bundle.splitlines() if not line.startswith("//# sourceMappingURL=")]
    return script_safe(_AMD_SHIM + "\n".join(lines) + "\n")


def sigma_state(data: dict[str, Any]) -> dict[str, Any]:
    """ipysigma's widget settings for the page, without the graph: the page's script builds the graph and its
    layout from its own node and edge lists, so a 20,000-node page does not carry them twice."""
    import networkx as nx
    from ipysigma import Sigma

    g = nx.DiGraph()
    g.add_edge("a", "b", color="#000", label="x", ids=["e"])
    g.nodes["a"].update(label="a", color="#000", size=3.0)
    g.nodes["b"].update(label="b", color="#000", size=3.0)
    many = len(data["edges"]) > _EDGES_WHILE_MOVING
    widget = Sigma(g, layout={"a": {"x": 0, "y": 0}, "b": {"x": 1, "y": 1}}, raw_node_color="color",
                   raw_node_size="size", node_label="label", raw_edge_color="color", edge_label="label",
                   clickable_edges=True, hide_info_panel=True, hide_search=True, height=600,
                   default_node_label_size=14, label_density=1, label_rendered_size_threshold=4,
                   start_layout=False, hide_edges_on_move=many, default_edge_type="line" if many else "arrow")
    state = widget.get_state()
    keep = ("visual_variables", "renderer_settings", "program_settings", "ui_settings",
            "camera_state", "background_color", "height", "clickable_edges", "edge_weight", "max_categorical_colors",
            "node_metrics", "sync_targets", "layout_settings", "start_layout", "start_layout_for_seconds",
            "selected_node", "selected_edge", "selected_node_category_values", "selected_edge_category_values",
            "name", "sync_key", "snapshot", "tooltip")
    return {k: state[k] for k in keep if k in state}
