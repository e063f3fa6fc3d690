"""An import-linter contract the installed version lacks: no cycle between modules at all.

`acyclic_siblings` squashes each package: it finds cycles between the modules of one package,
but leash's domain packages rightly refer to each other (features and segments, tokens and
projects), so across packages it would report those and miss a real circle between modules
(the one `auth`, `tokens.service`, `events.service`, `permissions` and `users.roles` once
made, held together by lazy imports). This contract looks at modules only.
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModulesContract(Contract):
    """No module of `root` reaches itself through the modules it imports (a lazy import, one
    inside a function, counts as well)."""

    type_name = "acyclic_modules"

    root = fields.ModuleExpressionField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root = str(self.root)
        modules = {m for m in graph.modules if m == root or m.startswith(root + ".")}
        cycles = [_one_cycle(graph, component) for component in _components(graph, modules)]
        return ContractCheck(kept=not cycles, metadata={"cycles": sorted(cycles)})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle), bold=False)
            output.new_line()


def _components(graph: grimp.ImportGraph, modules: set[str]) -> list[set[str]]:
    """The strongly connected sets of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    # The depth-first path: each module with the imports it has yet to follow.
    work: list[tuple[str, list[str]]] = []

    def enter(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        imported = graph.find_modules_directly_imported_by(module) & modules
        work.append((module, sorted(imported)))

    for start in sorted(modules):
        if start in index:
            continue
        enter(start)
        while work:
            module, pending = work[-1]
            if pending:
                nxt = pending.pop()
                if nxt not in index:
                    enter(nxt)
                elif nxt in on_stack:
                    low[module] = min(low[module], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _one_cycle(graph: grimp.ImportGraph, component: set[str]) -> tuple[str, ...]:
    """One shortest way round the component, from its first module back to it."""
    first = min(component)
    best: tuple[str, ...] | None = None
    for nxt in sorted(graph.find_modules_directly_imported_by(first) & component):
        chain = graph.find_shortest_chain(importer=nxt, imported=first)
        if chain is not None and (best is None or len(chain) < len(best) - 1):
            best = (first, *chain)
    assert best is not None  # a strongly connected module reaches itself
    return best
