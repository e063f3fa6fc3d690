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
        return _checked(graph, modules)

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(" -> ".join(cycle), bold=False)
            output.new_line()


def _checked(graph: grimp.ImportGraph, modules: set[str]) -> ContractCheck:
    """One shortest way round each circle: an import a -> b closes one when b reaches a
    (grimp's chain search), reported once per set of modules it passes through."""
    cycles: dict[frozenset[str], tuple[str, ...]] = {}
    for importer in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & modules):
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain is None:
                continue
            cycle = (importer, *chain)
            known = cycles.get(frozenset(cycle))
            if known is None or len(cycle) < len(known):
                cycles[frozenset(cycle)] = cycle
    found = sorted(cycles.values())
    return ContractCheck(kept=not found, metadata={"cycles": found})
