"""The HTTP side of every operation, declared once.

A router declares each of its operations with `leash.api.operation.Operation` (operationId,
path, tag, credentials, permissions, request schemas, answers) and binds its handler with
`route`. The handler receives a `Call`: the caller, and the request's body, path and query
values validated against that declaration, typed. /docs/openapi.json (`leash.api.openapi`) is
built from the same declarations, and writes go through `Call.write` (`leash.api.write`), the
one unit of work that commits and then refreshes what SDKs are served.
"""
