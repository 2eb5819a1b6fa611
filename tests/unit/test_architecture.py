"""The product's import graph has no cycle: no module of ``contracts``, ``klachtspoor`` or ``services``
imports, directly or through others, a module that imports it back.

The layer and independence rules are import-linter's contracts in ``pyproject.toml`` (``lint-imports``);
this test adds what those contracts cannot say: that the graph as a whole is acyclic. It builds the graph
with grimp (import-linter's own graph library) at module level and looks for strongly connected components:
every component of more than one module, or a module that imports itself, is a cycle.

Every edge counts. Imports under ``if TYPE_CHECKING:`` are kept, because a cycle that only an annotation
closes is still two modules that each need the other to be understood (the escalation domain's last cycle,
case state -> confidant -> safety -> case state, ran through two of them). No ``__init__`` edge is ignored
either: a package's ``__init__`` may re-export its modules, and none of those modules imports its package
back, so re-exports close no cycle. grimp records the imports a module writes, not the parent packages
Python runs first, so an ``__init__`` is only part of a cycle when a module names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set

import grimp

PRODUCT = ("contracts", "klachtspoor", "services")


def import_cycles(imports: Mapping[str, Set[str]]) -> list[list[str]]:
    """The strongly connected components of ``imports`` (module -> the modules it imports) that are cycles,
    each sorted, in sorted order (Tarjan's algorithm, iterative so a deep chain cannot exhaust the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(imports.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, todo = work[-1]
            child = next(todo, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in imports.get(module, ()):
                    cycles.append(sorted(component))
    return sorted(cycles)


def product_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph(*PRODUCT, cache_dir=None)
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def test_the_product_has_no_import_cycle() -> None:
    imports = product_imports()
    assert "services.escalation.domain.decider" in imports, "the graph holds the product's modules"
    cycles = import_cycles(imports)
    found = "\n".join(", ".join(cycle) for cycle in cycles)
    assert not cycles, f"modules that import each other round in a cycle, one cycle a line:\n{found}"


def test_a_cycle_is_found_however_it_closes() -> None:
    """The finder itself: a three-module loop, a self-import and an acyclic tail are told apart."""
    imports = {
        "a.state": {"a.confidant"},
        "a.confidant": {"a.safety"},
        "a.safety": {"a.state", "a.errors"},
        "a.errors": set(),
        "a.selfish": {"a.selfish"},
        "a.decider": {"a.state", "a.errors"},
    }
    assert import_cycles(imports) == [["a.confidant", "a.safety", "a.state"], ["a.selfish"]]
    assert import_cycles({"a.x": {"a.y"}, "a.y": set()}) == []
