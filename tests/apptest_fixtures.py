"""For the page tests: a fresh AppTest session on a database, and a private copy of the demo
database for tests that write. tests/conftest.py turns them into the `app`, `own_database`
and `own_app` fixtures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
import streamlit.runtime.pages_manager as pages_manager
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from db.engine import DATABASE_URL_ENV
from tests.test_pages import _PathWithoutPagesFolder

ROOT = Path(__file__).resolve().parent.parent


def fresh_app(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """A fresh app session on the database at `url` (see tests/test_pages.py's `app`)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    monkeypatch.setattr(pages_manager, "Path", _PathWithoutPagesFolder)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(ROOT / "streamlit_app.py", default_timeout=60)
    st.cache_data.clear()
    st.cache_resource.clear()


def copy_database(demo_database_url: str, tmp_path: Path) -> str:
    """A copy of the demo database for a test that writes (SQLite's backup: WAL included)."""
    source = make_url(demo_database_url).database
    target = tmp_path / "own-demo.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"
