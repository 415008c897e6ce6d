"""Bring a database to the latest migration, from code (app start, tests, seed)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from db.engine import PROJECT_ROOT

MIGRATION_LOCK_ID = 7_246_001


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "db" / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied to the engine's database."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several app processes may start at once; one migrates, the others wait.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
