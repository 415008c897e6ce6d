"""The advisor's daily work at scale: company search and saving a logged contact.

    python -m db.seed --scale national --url sqlite:////tmp/national.db
    python -m benchmarks.advisor --url sqlite:////tmp/national.db

Saving writes real contacts into the database it is given; use a copy made for benchmarking.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from sqlalchemy import func, select

from db.engine import database_url, make_engine, make_session_factory
from db.enums import Channel, Role, Severity
from db.models import Company, NeedCategory, User
from services.auth import current_user
from services.companies import search_companies
from services.contacts import ContactInput, FollowUpInput, NeedInput, log_contact

SEARCHES = [
    "aanekoski",
    "Äänekosken",
    "virtanen",
    "konepaja",
    "oy",
    "kone",
    "forssan",
    "zz-no-match",
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action: Callable[[], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="database URL (default: the app's)")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    engine = make_engine(args.url or database_url())
    sessions = make_session_factory(engine)
    rng = random.Random(7)

    with sessions() as session:
        companies = session.scalar(select(func.count()).select_from(Company))
        advisor_id = session.scalar(select(User.id).where(User.role == Role.ADVISOR).limit(1))
        advisor = current_user(session, advisor_id)
        category_ids = session.scalars(select(NeedCategory.id)).all()
        business_ids = session.scalars(select(Company.business_id).limit(2000)).all()
        company_ids = session.scalars(select(Company.id).limit(5000)).all()
    assert advisor is not None
    sample_ids = rng.sample(business_ids, 4)
    queries = [
        *SEARCHES,
        *sample_ids[:2],  # as written, with the hyphen
        *(business_id.replace("-", "") for business_id in sample_ids[2:]),
        sample_ids[0][:4],  # a prefix
    ]
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    print(f"companies: {companies:,}".replace(",", " "))

    search_samples: list[float] = []
    print(f"\n{'search':<24}{'rows':>10}{'p50 ms':>10}{'p95 ms':>10}")
    for query in queries:
        with sessions() as session:
            total = search_companies(session, advisor, query=query).total

        def run(query: str = query) -> None:
            with sessions() as session:
                search_companies(session, advisor, query=query)

        samples = timed(run, args.repeats)
        search_samples += samples
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print(f"{query:<24}{total:>10}{p50:>10.1f}{p95:>10.1f}")
    print(
        f"{'all searches':<24}{'':>10}{percentile(search_samples, 0.5):>10.1f}"
        f"{percentile(search_samples, 0.95):>10.1f}"
    )

    today = dt.date.today()

    def save() -> None:
        contact = ContactInput(
            occurred_on=today,
            channel=Channel.VISIT,
            summary="Benchmark visit: recruitment and premises discussed.",
            company_id=rng.choice(company_ids),
            needs=(
                NeedInput(rng.choice(category_ids), Severity.YELLOW, "Two welders needed."),
                NeedInput(rng.choice(category_ids), Severity.GREEN, "Larger premises."),
            ),
            follow_up=FollowUpInput(description="Call back."),
        )
        with sessions.begin() as session:
            log_contact(session, advisor, contact, today=today)

    save_samples = timed(save, args.repeats * 5)
    print(
        f"\nlog contact (2 needs, 1 follow-up), {len(save_samples)} saves: "
        f"p50 {percentile(save_samples, 0.5):.1f} ms, p95 {percentile(save_samples, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
