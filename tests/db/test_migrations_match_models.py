"""The migrations and the SQLAlchemy models describe one schema: a database upgraded from empty to
head by the migrations (the `database_url` fixture's template is made by `leash.db.migrate`)
differs from `leash.db.models.metadata` in nothing Alembic's autogenerate compares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from leash.db import create_db_engine
from leash.db.migrate import alembic_config
from leash.db.models import metadata


def test_migrated_database__compared_with_the_models__no_differences(database_url: str) -> None:
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = create_db_engine(database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            revision = context.get_current_revision()
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    # The schema compared is the migrations' own, not one made from the models.
    assert head is not None
    assert revision == head
    assert differences == []
