"""Import and export: the company register out to CSV and XLSX, with filters applied."""

import streamlit as st

from pages import _ui as ui
from services import reference
from services.companies import export_companies, search_companies
from services.exports import to_csv, to_xlsx

user = ui.require_user()
st.title(ui.t("page.import_export"))
st.subheader(ui.t("export.companies"))

with ui.transaction() as session:
    towns = reference.towns(session)

c1, c2 = st.columns(2)
with c1:
    town_id = ui.select_option(ui.t("filter.town"), towns, key="export.town")
with c2:
    section = ui.select_section("export.section")

columns = ["business_id", "name", "town", "industry_section", "size_class", "staff_count"]
with ui.transaction() as session:
    preview = search_companies(
        session, user, town_id=town_id, industry_section=section, page=ui.current_page("export")
    )
st.caption(ui.t("export.preview", total=preview.total))
ui.table(preview.rows, columns, enums={"size_class": "size_class"})
ui.pager("export", preview)


def export_rows() -> list[dict[str, object]]:
    with ui.transaction() as session:
        rows = export_companies(session, user, town_id=town_id, industry_section=section)
    for row in rows:
        row["size_class"] = ui.label("size_class", row["size_class"])
    return rows


headers = {column: ui.t(f"col.{column}") for column in columns}
ui.download_buttons(
    ui.t("export.companies_file"),
    lambda: to_csv(export_rows(), headers),
    lambda: to_xlsx([(ui.t("export.companies"), export_rows(), headers)]),
    key="export.companies",
)
