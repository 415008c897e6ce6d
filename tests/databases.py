"""Test databases: which backends there are, new empty databases on them, rolled-back sessions.

Backends: SQLite always; PostgreSQL when SEUTU_TEST_POSTGRES_URL names a server (a URL to a
database there from which the test user may create databases), or else when a server answers
on 127.0.0.1:5432 (trust auth as `postgres`). Each test run makes its own databases on that
server and drops them at the end. With CI=true a missing PostgreSQL (or browser) fails the
tests that need it instead of skipping them.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from services.auth import CurrentUser, current_user

POSTGRES_URL_ENV = "SEUTU_TEST_POSTGRES_URL"
LOCAL_POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> None:
    """Skip the test for a missing server or tool, except in CI, where every test must run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason)


class PostgresServer:
    """A PostgreSQL server on which this test run creates, and later drops, its own databases."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self._admin = create_engine(
            self.admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self._created: list[str] = []

    def check(self) -> None:
        with self._admin.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def create_database(self) -> URL:
        """A new empty database; its URL."""
        name = f"seutu_test_{secrets.token_hex(6)}"
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self.admin_url.set(database=name)

    def drop_databases(self) -> None:
        with self._admin.connect() as connection:
            for name in self._created:
                connection.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()
        self._admin.dispose()


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    return LOCAL_POSTGRES_ADMIN_URL


def new_empty_database(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    """The URL of a new database with no tables on the backend."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'empty.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database().render_as_string(hide_password=False)


@contextmanager
def rolled_back_session(engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back at the end.

    SQLAlchemy's "join a session into an external transaction" recipe: the session's own
    commits only release savepoints, so nothing a test writes outlives it.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def user_of(session: Session, account: dict[str, Any]) -> CurrentUser:
    """The demo account as the services' acting user."""
    user = current_user(session, account["id"])
    assert user is not None
    return user
