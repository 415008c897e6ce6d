"""Paginated reads: a count and one page of rows, both in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# A download of a whole filtered list stops here.
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))


def paginate(
    session: Session,
    stmt: Select[Any],
    *,
    page: int = 1,
    page_size: int | None = DEFAULT_PAGE_SIZE,
    count: Select[Any] | None = None,
) -> Page:
    """Run `stmt` for one page (1-based); the total counts every matching row.

    `page_size=None` gives every row (up to EXPORT_LIMIT), for a download. `count` is a
    cheaper query for the total, when there is one.
    """
    if page_size is None:
        rows = session.execute(stmt.limit(EXPORT_LIMIT)).mappings()
        found = [dict(row) for row in rows]
        return Page(rows=found, total=len(found), page=1, page_size=max(1, len(found)))
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    if count is None:
        count = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = session.scalar(count) or 0
    page = min(max(1, page), max(1, -(-total // page_size)))
    rows = session.execute(stmt.limit(page_size).offset((page - 1) * page_size)).mappings()
    return Page(rows=[dict(row) for row in rows], total=total, page=page, page_size=page_size)
