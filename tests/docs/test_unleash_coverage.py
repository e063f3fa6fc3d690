"""How much of Unleash 8.2.0's API leash answers, measured against 8.2.0's own OpenAPI document."""

from __future__ import annotations

from unleash_coverage import declared_operations, readme_section, section, unleash_operations


def test_shared_operations__same_method_and_path_as_unleash() -> None:
    declared = declared_operations()
    differing = [
        (op["operationId"], op["method"], op["path"])
        for op in unleash_operations()
        if op["operationId"] in declared
        and (declared[op["operationId"]].method, declared[op["operationId"]].documented_path)
        != (op["method"], op["path"])
    ]
    assert differing == []


def test_readme__lists_every_unanswered_operation_with_its_reason() -> None:
    assert readme_section() == section(declared_operations())
