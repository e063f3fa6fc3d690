"""Moving a whole state in and out of leash: `leash export/import` and `leash migrate --from`.

state.py is the one format (leash-state, version 1); export.py reads it from a leash database,
load.py writes it into one in one transaction, unleash.py reads it from a live Unleash's admin
API, report.py counts what moved and names what did not.
"""
