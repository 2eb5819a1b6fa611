"""The product's import graph has no cycle: no module of ``contracts``, ``klachtspoor`` or ``services``
imports, directly or through others, a module that imports it back.

The layer and independence rules are import-linter's contracts in ``pyproject.toml`` (``lint-imports``);
this test adds what those contracts cannot say: that the graph as a whole is acyclic. It builds the graph
with grimp (import-linter's own graph library) at module level and asks grimp, for every module, which
modules it depends on and which depend on it: a module found on both sides, or one that imports itself,
lies on a cycle.

Every edge counts. Imports under ``if TYPE_CHECKING:`` are kept, because a cycle that only an annotation
closes is still two modules that each need the other to be understood (the escalation domain's last cycle,
case state -> confidant -> safety -> case state, ran through two of them). No ``__init__`` edge is ignored
either: a package's ``__init__`` may re-export its modules, and none of those modules imports its package
back, so re-exports close no cycle. grimp records the imports a module writes, not the parent packages
Python runs first, so an ``__init__`` is only part of a cycle when a module names it.
"""

from __future__ import annotations

import grimp

PRODUCT = ("contracts", "klachtspoor", "services")


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The modules of ``graph`` that import each other round, one sorted group per cycle, in sorted order:
    a module's group is itself and every module both upstream and downstream of it."""
    groups: set[tuple[str, ...]] = set()
    for module in graph.modules:
        around = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if around or graph.direct_import_exists(importer=module, imported=module):
            groups.add(tuple(sorted({module, *around})))
    return sorted(list(group) for group in groups)


def test_the_product_has_no_import_cycle() -> None:
    graph = grimp.build_graph(*PRODUCT, cache_dir=None)
    assert "services.escalation.domain.decider" in graph.modules, "the graph holds the product's modules"
    cycles = import_cycles(graph)
    found = "\n".join(", ".join(cycle) for cycle in cycles)
    assert not cycles, f"modules that import each other round in a cycle, one cycle a line:\n{found}"


def test_a_cycle_is_found_however_it_closes() -> None:
    """The finder itself: a three-module loop, a self-import and an acyclic tail are told apart."""
    graph = grimp.ImportGraph()
    for importer, imported in (
        ("a.state", "a.confidant"),
        ("a.confidant", "a.safety"),
        ("a.safety", "a.state"),
        ("a.safety", "a.errors"),
        ("a.selfish", "a.selfish"),
        ("a.decider", "a.state"),
        ("a.decider", "a.errors"),
    ):
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["a.confidant", "a.safety", "a.state"], ["a.selfish"]]
    acyclic = grimp.ImportGraph()
    acyclic.add_import(importer="a.x", imported="a.y")
    assert import_cycles(acyclic) == []
