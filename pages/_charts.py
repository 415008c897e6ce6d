"""Chart helpers: one colour per need category everywhere, translated titles, and downloads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from pages import _ui as ui
from services.exports import to_csv, to_xlsx

# One colour per need category code, the same in every chart. Okabe-Ito's eight colour-blind
# safe colours first, then Paul Tol's muted scheme for the rest.
CATEGORY_COLOURS: dict[str, str] = {
    "workforce": "#0072B2",
    "training": "#E69F00",
    "funding": "#009E73",
    "internationalisation": "#CC79A7",
    "rdi": "#56B4E9",
    "premises": "#D55E00",
    "networks": "#F0E442",
    "digitalisation": "#000000",
    "circular_economy": "#117733",
    "succession": "#882255",
    "marketing": "#DDCC77",
    "permits": "#44AA99",
    "other": "#999999",
}
# Thousands with a space on axes (Vega's default grouping is a comma).
SPACED = "replace(datum.label, ',', ' ')"
# For other categorical series (channels, roles, statuses): Okabe-Ito.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]


def category_scale(rows: Sequence[Mapping[str, Any]]) -> alt.Scale:
    """A colour scale mapping each category's shown name to its fixed colour."""
    pairs = {row["category"]: CATEGORY_COLOURS.get(row["category_code"], "#999999") for row in rows}
    return alt.Scale(domain=list(pairs), range=list(pairs.values()))


def show(chart: alt.Chart) -> None:
    st.altair_chart(chart, width="stretch")


def downloads(
    name: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, key: str
) -> None:
    """The chart's data as CSV and XLSX, with the headers shown in the app."""
    headers = {column: ui.t(f"col.{column}") for column in columns}
    ui.download_buttons(
        name,
        lambda: to_csv(rows, headers),
        lambda: to_xlsx([(name, rows, headers)]),
        key=key,
    )


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([{column: row.get(column) for column in columns} for row in rows])
