"""Unleash's export/import API (/api/admin/features-batch): export, validate, import."""
