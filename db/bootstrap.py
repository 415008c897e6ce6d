"""What the app does to its database on start."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from db.engine import is_sqlite
from db.migrate import upgrade


def prepare_database(
    engine: Engine, *, progress: Callable[[str, float], None] | None = None
) -> bool:
    """Bring the database to the latest migration; fill a new embedded one with demo data.

    A PostgreSQL database, or one that already holds data, is never seeded here.
    Returns whether demo data was added.
    """
    from db.seed import database_is_empty, seed  # the seed pulls in Faker; only load it here

    upgrade(engine)
    if not is_sqlite(str(engine.url)) or not database_is_empty(engine):
        return False
    seed(engine, scale="demo", progress=progress)
    return True
