"""The export/import API's rules: export, validate and import, as Unleash 8.2's
export-import service."""

from __future__ import annotations

from leash.export_import.exporting import export

__all__ = ["export"]
