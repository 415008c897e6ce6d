"""The benchmark at scale: seed, search, saving contacts, need-fit, every page, concurrency.

    python -m benchmarks --url sqlite:////tmp/national.db --seed national
    python -m benchmarks --url postgresql+psycopg://postgres@127.0.0.1/bench --seed demo

Prints a table and writes the numbers as JSON under benchmarks/results/. The database is
written to (contacts are saved); use one made for benchmarking. `--seed` fills it first when it
is empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import threading
import time
from typing import Any
from unittest import mock

import streamlit as st
from sqlalchemy import func, select

from benchmarks.advisor import SEARCHES, percentile, timed
from benchmarks.dashboards import ROOT, _PathWithoutPagesFolder, pages_manager, run_page
from db.engine import DATABASE_URL_ENV, make_engine, make_session_factory
from db.enums import Channel, Severity
from db.migrate import upgrade
from db.models import Company, Interaction, NeedCategory, User
from db.seed import database_is_empty, seed
from services import ecosystem
from services.auth import current_user
from services.companies import search_companies
from services.contacts import ContactInput, FollowUpInput, NeedInput, log_contact
from services.graph_layout import spring_layout
from services.need_fit import need_fit

# Each page as the role that uses it most.
PAGE_ROLES = {
    "home": "advisor",
    "companies": "advisor",
    "log-contact": "advisor",
    "needs": "advisor",
    "follow-ups": "advisor",
    "projects": "manager",
    "ecosystem": "advisor",
    "engagement": "manager",
    "leadership": "leader",
    "import-export": "admin",
    "admin": "admin",
}
TARGETS = {"search_p95_ms": 100, "save_p95_ms": 50, "page_cold_s": 2.0, "page_warm_s": 0.3,
           "need_fit_s": 1.0, "peak_memory_mb": 600}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--seed", choices=("demo", "national"), default=None)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    os.environ[DATABASE_URL_ENV] = args.url
    engine = make_engine(args.url)
    results: dict[str, Any] = {"url": engine.url.render_as_string(hide_password=True),
                               "when": dt.datetime.now(dt.UTC).isoformat()}  # fmt: skip

    upgrade(engine)
    if args.seed and database_is_empty(engine):
        report = seed(engine, scale=args.seed)
        results["seed_s"] = round(report.seconds, 1)
        results["seed_rows"] = sum(report.counts.values())
        print(f"seed ({args.seed}): {report.seconds:.1f} s, {results['seed_rows']:,} rows")

    sessions = make_session_factory(engine)
    with sessions() as session:
        results["companies"] = session.scalar(select(func.count()).select_from(Company))
        results["interactions"] = session.scalar(select(func.count()).select_from(Interaction))
    results.update(search_and_save(sessions, args.repeats))
    results.update(need_fit_times(sessions))
    results.update(ecosystem_times(sessions))
    if not args.skip_pages:
        results["pages"] = page_times(engine)
    results["concurrency"] = concurrency(sessions, threads=args.threads, seconds=args.seconds)
    results["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    show(results)
    folder = ROOT / "benchmarks" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{dt.datetime.now():%Y%m%d-%H%M%S}-{engine.dialect.name}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nwritten: {path.relative_to(ROOT)}")


def _user(sessions: Any, username: str) -> Any:
    with sessions() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        return current_user(session, user_id)


def search_and_save(sessions: Any, repeats: int) -> dict[str, Any]:
    rng = random.Random(7)
    advisor = _user(sessions, "advisor")
    with sessions() as session:
        business_ids = session.scalars(select(Company.business_id).limit(2000)).all()
        company_ids = session.scalars(select(Company.id).limit(5000)).all()
        categories = session.scalars(select(NeedCategory.id)).all()
    sample = rng.sample(business_ids, 4)
    queries = [*SEARCHES, *sample[:2], *(b.replace("-", "") for b in sample[2:]), sample[0][:4]]
    searches: list[float] = []
    for query in queries:

        def run(query: str = query) -> None:
            with sessions() as session:
                search_companies(session, advisor, query=query)

        searches += timed(run, repeats)
    today = dt.date.today()

    def save() -> None:
        contact = ContactInput(
            occurred_on=today,
            channel=Channel.VISIT,
            summary="Benchmark: recruitment and premises discussed.",
            company_id=rng.choice(company_ids),
            needs=(NeedInput(rng.choice(categories), Severity.YELLOW, "Two welders needed."),),
            follow_up=FollowUpInput(description="Call back."),
        )
        with sessions.begin() as session:
            log_contact(session, advisor, contact, today=today)

    saves = timed(save, repeats * 5)
    return {
        "search_p50_ms": round(percentile(searches, 0.5), 1),
        "search_p95_ms": round(percentile(searches, 0.95), 1),
        "save_p50_ms": round(percentile(saves, 0.5), 1),
        "save_p95_ms": round(percentile(saves, 0.95), 1),
    }


def need_fit_times(sessions: Any) -> dict[str, Any]:
    leader = _user(sessions, "leader")
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        with sessions() as session:
            need_fit(session, leader, today=dt.date.today())
        samples.append(time.perf_counter() - started)
    return {
        "need_fit_first_s": round(samples[0], 2),
        "need_fit_p50_s": round(sorted(samples)[2], 2),
    }


def ecosystem_times(sessions: Any) -> dict[str, Any]:
    """The ecosystem page's work: every regional town's figures for this year, and the network
    (with its layout) and Invest-in gaps of the town with the most companies in projects."""
    advisor = _user(sessions, "advisor")
    year, today = dt.date.today().year, dt.date.today()

    def figures() -> list[dict[str, Any]]:
        with sessions() as session:
            return ecosystem.measured_figures(session, advisor, year=year)

    started = time.perf_counter()
    rows = figures()
    figures_s = time.perf_counter() - started
    busiest = max(rows, key=lambda row: row["companies_engaged"])
    started = time.perf_counter()
    with sessions() as session:
        found = ecosystem.network(session, advisor, town_id=busiest["town_id"], year=year)
    network_s = time.perf_counter() - started
    started = time.perf_counter()
    edges = [(edge["source"], edge["target"]) for edge in found.edges]
    spring_layout([node["key"] for node in found.nodes], edges)
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    with sessions() as session:
        ecosystem.invest_in_gaps(
            session, advisor, town_id=busiest["town_id"], today=today, min_needs=5
        )
    gaps_s = time.perf_counter() - started
    return {
        "ecosystem_figures_s": round(figures_s, 2),
        "ecosystem_network_s": round(network_s, 2),
        "ecosystem_layout_s": round(layout_s, 2),
        "ecosystem_gaps_s": round(gaps_s, 2),
        "ecosystem_network_nodes": f"{len(found.nodes)} of {found.total_nodes}",
        "ecosystem_town": busiest["town"],
    }


def page_times(engine: Any) -> dict[str, dict[str, float]]:
    with engine.connect() as connection:
        ids = dict(connection.execute(select(User.username, User.id)).all())
    times: dict[str, dict[str, float]] = {}
    with mock.patch.object(pages_manager, "Path", _PathWithoutPagesFolder):
        # Imports and the database check happen once per server process, not per page load.
        for page, username in PAGE_ROLES.items():
            run_page(ids[username], page)
        for page, username in PAGE_ROLES.items():
            st.cache_data.clear()
            cold, failed_cold = run_page(ids[username], page)
            warm, failed_warm = run_page(ids[username], page)
            times[page] = {"cold_s": round(cold, 2), "warm_s": round(warm, 2),
                           "exception": failed_cold or failed_warm}  # fmt: skip
    return times


def concurrency(sessions: Any, *, threads: int, seconds: float) -> dict[str, Any]:
    """Threads logging contacts at once: no errors, and every saved contact there exactly once."""
    advisor = _user(sessions, "advisor")
    with sessions() as session:
        company_ids = session.scalars(select(Company.id).limit(2000)).all()
    marker = f"concurrency-{time.time_ns()}"
    saved: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(number: int) -> None:
        rng = random.Random(number)
        count = 0
        while time.perf_counter() < deadline:
            contact = ContactInput(
                occurred_on=dt.date.today(),
                channel=Channel.PHONE,
                summary=f"{marker} {number} {count}",
                company_id=rng.choice(company_ids),
            )
            try:
                with sessions.begin() as session:
                    logged = log_contact(session, advisor, contact, today=dt.date.today())
                with lock:
                    saved.append(logged.interaction_id)
                count += 1
            except Exception as error:  # counted and reported, the run goes on
                with lock:
                    errors.append(type(error).__name__)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    with sessions() as session:
        stored = session.scalar(select(func.count()).where(Interaction.summary.like(f"{marker} %")))
        distinct = session.scalar(
            select(func.count(Interaction.summary.distinct())).where(
                Interaction.summary.like(f"{marker} %")
            )
        )
    return {
        "threads": threads,
        "seconds": round(elapsed, 1),
        "saved": len(saved),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "stored": stored,
        "duplicates": (stored or 0) - (distinct or 0),
        "lost": len(saved) - (stored or 0),
        "per_second": round(len(saved) / elapsed, 1) if elapsed else 0,
    }


def show(results: dict[str, Any]) -> None:
    print(f"\n{results['url']}: {results['companies']:,} companies, "
          f"{results['interactions']:,} interactions")  # fmt: skip
    rows = [
        ("company search p50 / p95", f"{results['search_p50_ms']} / {results['search_p95_ms']} ms",
         f"p95 ≤ {TARGETS['search_p95_ms']} ms"),
        ("log contact p50 / p95", f"{results['save_p50_ms']} / {results['save_p95_ms']} ms",
         f"p95 ≤ {TARGETS['save_p95_ms']} ms"),
        ("need-fit, all projects", f"{results['need_fit_first_s']} s (then "
         f"{results['need_fit_p50_s']} s)", f"≤ {TARGETS['need_fit_s']} s"),
        ("ecosystem figures, all towns", f"{results['ecosystem_figures_s']} s", "≤ 1.0 s"),
        (f"ecosystem network, {results['ecosystem_town']}",
         f"{results['ecosystem_network_s']} s query + {results['ecosystem_layout_s']} s layout, "
         f"{results['ecosystem_network_nodes']} nodes", "≤ 1.0 s"),
        ("ecosystem Invest-in gaps", f"{results['ecosystem_gaps_s']} s", "≤ 1.0 s"),
    ]  # fmt: skip
    for page, numbers in results.get("pages", {}).items():
        rows.append(
            (f"page /{page if page != 'home' else ''}",
             f"{numbers['cold_s']} s cold, {numbers['warm_s']} s warm"
             + (" (exception!)" if numbers["exception"] else ""),
             f"≤ {TARGETS['page_cold_s']} s / {TARGETS['page_warm_s']} s")
        )  # fmt: skip
    c = results["concurrency"]
    outcome = (
        f"{c['saved']} saved, {c['per_second']}/s, {c['errors']} errors, "
        f"{c['lost']} lost, {c['duplicates']} duplicated"
    )
    rows.append((f"{c['threads']} threads × {c['seconds']} s", outcome, "0 errors, 0 lost"))
    rows.append(("peak memory", f"{results['peak_memory_mb']} MB",
                 f"≤ {TARGETS['peak_memory_mb']} MB"))  # fmt: skip
    if "seed_s" in results:
        rows.insert(0, ("seed", f"{results['seed_s']} s, {results['seed_rows']:,} rows", "≤ 300 s"))
    width = max(len(row[0]) for row in rows) + 2
    for name, value, target in rows:
        print(f"{name:<{width}}{value:<64}{target}")


if __name__ == "__main__":
    main()
