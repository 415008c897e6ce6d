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

ROOT = Path(__file__).resolve().parent.parent


class _PathWithoutPagesFolder(type(Path())):  # type: ignore[misc]
    def exists(self, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        return False if self.name == "pages" else super().exists(*args, **kwargs)


def fresh_app(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """A fresh app session on the database at `url`, run from the project root."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    # A `pages/` folder next to the entry makes Streamlit start each process in its old
    # folder-based multipage mode until the first st.navigation call switches it off for good.
    # AppTest re-detects the folder before every run, and would then run a page script
    # without the entry file around it; make it behave like a running server instead.
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
