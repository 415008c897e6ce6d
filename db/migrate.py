"""Bring a database to the latest migration, from code (app start, tests, seed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from db.engine import PROJECT_ROOT

MIGRATION_LOCK_ID = 7_246_001


class ForeignKeyViolation(RuntimeError):
    """A migration left rows that point at nothing; it has been rolled back."""


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "db" / "migrations"))
    config.attributes["url"] = url
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for running migrations.

    SQLite changes a table's constraints by copying it and dropping the old one; with foreign
    keys on, that drop would cascade into every table that refers to it. So on SQLite foreign
    keys are off while migrating and checked as a whole before the commit.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Before any transaction begins: SQLite ignores this pragma inside one.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if not sqlite:
                    # Several app processes may start at once; one migrates, the others wait.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise ForeignKeyViolation(f"rows without their parent: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied to the engine's database."""
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
