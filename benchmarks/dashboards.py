"""Server-side run time of the dashboards at scale, first load and repeat.

    python -m db.seed --scale national --url sqlite:////tmp/national.db
    python -m benchmarks.dashboards --url sqlite:////tmp/national.db

Each page runs in Streamlit's AppTest as the demo leadership user: "first" with every data cache
cleared (as after a write), "repeat" right after, as when the page runs again unchanged. Module
imports are warmed up first: a server process imports them once, not on every load.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from unittest import mock

import streamlit as st
import streamlit.runtime.pages_manager as pages_manager
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.engine import DATABASE_URL_ENV, database_url, make_engine
from db.models import User

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("engagement", "leadership", "projects", "ecosystem")


class _PathWithoutPagesFolder(type(Path())):  # type: ignore[misc]
    """AppTest re-detects the pages/ folder before every run; a server does so only once."""

    def exists(self, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        return False if self.name == "pages" else super().exists(*args, **kwargs)


def run_page(user_id: int, page: str) -> tuple[float, bool]:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.session_state["user_id"] = user_id
    app.run()
    app.switch_page(f"pages/{page}.py")
    start = time.perf_counter()
    app.run()
    return time.perf_counter() - start, bool(app.exception)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="database URL (default: the app's)")
    parser.add_argument("--username", default="leader")
    args = parser.parse_args()
    url = args.url or database_url()
    os.environ[DATABASE_URL_ENV] = url
    os.chdir(ROOT)
    with make_engine(url).connect() as connection:
        user_id = connection.scalar(select(User.id).where(User.username == args.username))
    if user_id is None:
        raise SystemExit(f"No user {args.username!r} in {url}")

    print(f"{'page':<14}{'first s':>10}{'repeat s':>10}")
    with mock.patch.object(pages_manager, "Path", _PathWithoutPagesFolder):
        # Module imports and the database check happen once per server process, not per load.
        for page in ("home", *PAGES):
            run_page(user_id, page)
        for page in PAGES:
            st.cache_data.clear()
            first, failed_first = run_page(user_id, page)
            repeat, failed_repeat = run_page(user_id, page)
            note = "  (exception!)" if failed_first or failed_repeat else ""
            print(f"{page:<14}{first:>10.2f}{repeat:>10.2f}{note}")


if __name__ == "__main__":
    main()
