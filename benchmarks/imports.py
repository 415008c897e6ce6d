"""Import speed: a semicolon CSV in Windows-1252, as Finnish Excel writes it.

    python -m benchmarks.imports --url sqlite:////tmp/bench.db --rows 10000 100000

Writes new companies into the database it is given; use a copy made for benchmarking.
"""

from __future__ import annotations

import argparse
import random
import time

from sqlalchemy import select

from db.engine import database_url, make_engine, make_session_factory
from db.enums import Role
from db.models import Company, Town, User
from services import importing
from services.auth import current_user
from services.validation import business_id_check_digit


def company_csv(rows: int, towns: list[str], taken: set[str], rng: random.Random) -> bytes:
    lines = ["Y-tunnus;Nimi;Kotikunta;Toimiala;Henkilöstö;Kotisivu"]
    base = rng.randrange(5_000_000, 6_000_000)
    while len(lines) <= rows:
        base += 1
        digit = business_id_check_digit(f"{base:07d}")
        business_id = f"{base:07d}-{digit}"
        if digit is None or business_id in taken:
            continue
        number = len(lines)
        lines.append(
            f"{business_id};Tuontiyhtiö Äijälä {number} Oy;{rng.choice(towns)};"
            f"{rng.choice(['25110', '47110', '62010', '01110'])};{rng.randrange(0, 400)};"
            f"www.tuonti{number}.fi"
        )
    return "\r\n".join(lines).encode("cp1252")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    args = parser.parse_args()
    engine = make_engine(args.url or database_url())
    sessions = make_session_factory(engine)
    rng = random.Random(11)
    with sessions() as session:
        admin_id = session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1))
        admin = current_user(session, admin_id)
        towns = list(session.scalars(select(Town.name)))
        taken = set(session.scalars(select(Company.business_id)))
    assert admin is not None
    print(f"{'rows':>8}{'read s':>9}{'check s':>9}{'import s':>10}{'total s':>9}{'created':>9}")
    for rows in args.rows:
        data = company_csv(rows, towns, taken, rng)
        started = time.perf_counter()
        table = importing.read_file(data, "yritykset.csv")
        read = time.perf_counter()
        with sessions.begin() as session:
            mapping = importing.auto_mapping("companies", table.headers)
            checked = importing.check_rows(session, admin, "companies", table, mapping)
            checked_at = time.perf_counter()
            report = importing.import_rows(session, admin, checked)
        done = time.perf_counter()
        taken.update(values["business_id"] for _, values in checked.valid)
        print(
            f"{rows:>8}{read - started:>9.2f}{checked_at - read:>9.2f}{done - checked_at:>10.2f}"
            f"{done - started:>9.2f}{report.created:>9}"
        )


if __name__ == "__main__":
    main()
