"""Import and export: bring in spreadsheets (administrators) and take the register out."""

import hashlib

import streamlit as st

from db.enums import SizeClass
from pages import _ui as ui
from services import importing, reference
from services.companies import export_companies, search_companies
from services.duplicates import likely_duplicates, merge_companies
from services.errors import DomainError
from services.exports import full_export_zip, to_csv, to_xlsx
from services.permissions import Action, can

user = ui.require_user()
st.title(ui.t("page.import_export"))
may_import = can(user, Action.IMPORT)
tabs = st.tabs(
    [ui.t("import.title"), ui.t("export.title"), ui.t("duplicates.title")]
    if may_import
    else [ui.t("export.title")]
)


def import_section() -> None:
    entity = st.selectbox(
        ui.t("import.entity"),
        importing.ENTITIES,
        format_func=lambda e: ui.t(f"import.entity.{e}"),
        key=ui.widget_key("import.entity"),
    )
    st.caption(ui.t(f"import.help.{entity}"))
    upload = st.file_uploader(
        ui.t("import.file"), type=["csv", "txt", "xlsx", "json"], key="import.file"
    )
    if upload is None:
        return
    data = upload.getvalue()
    file_key = hashlib.sha256(data).hexdigest()[:16]
    try:
        table = read_table(data, upload.name)
    except DomainError as error:
        ui.show_error(error)
        return
    st.success(ui.t("import.read", rows=len(table.rows), columns=len(table.headers)))

    st.markdown(f"**{ui.t('import.mapping')}**")
    guessed = importing.auto_mapping(entity, table.headers)
    mapping: dict[str, str | None] = {}
    columns = st.columns(3)
    for index, (name, (required, _)) in enumerate(importing.FIELDS[entity].items()):
        choices = [None, *table.headers]
        mapping[name] = columns[index % 3].selectbox(
            ui.t(f"import.field.{name}") + (" *" if required else ""),
            choices,
            index=choices.index(guessed[name]),
            format_func=lambda c: ui.t("import.not_in_file") if c is None else c,
            key=f"import.map.{file_key}.{entity}.{name}.{ui.language()}",
        )

    try:
        with ui.transaction() as session:
            checked = importing.check_rows(session, user, entity, table, mapping)
    except DomainError as error:
        ui.show_error(error)
        return

    st.markdown(f"**{ui.t('import.preview')}**")
    preview = [{**values, "row": number} for number, values in checked.valid[:10]]
    if preview:
        st.dataframe(
            [{key: value for key, value in row.items() if not key.startswith("_")}
             for row in preview],
            hide_index=True,
        )  # fmt: skip
    invalid = checked.invalid_rows
    if invalid:
        st.warning(ui.t("import.invalid", invalid=invalid, total=checked.total))
        report = importing.problems_csv(checked.problems, ui.t)
        ui.table(report[:200], ["row", "column", "problem"], max_height=400)
        headers = {"row": ui.t("col.row"), "column": ui.t("col.column"),
                   "problem": ui.t("col.problem")}  # fmt: skip
        ui.download_buttons(
            ui.t("import.report_file"),
            lambda: to_csv(report, headers),
            lambda: to_xlsx([(ui.t("import.report_file"), report, headers)]),
            key=f"import.report.{file_key}",
        )
    else:
        st.success(ui.t("import.all_valid", total=checked.total))

    with st.form(f"import.go.{file_key}"):
        update_existing = False
        if entity == "companies":
            update_existing = st.radio(
                ui.t("import.duplicates"),
                [False, True],
                format_func=lambda u: ui.t("import.update") if u else ui.t("import.skip"),
                horizontal=True,
            )
        valid_only = st.checkbox(ui.t("import.valid_only"), disabled=not invalid)
        go = st.form_submit_button(ui.t("import.go"), type="primary", icon=":material/upload:")
    if not go:
        return
    bar = st.progress(0.0, text=ui.t("import.importing"))
    try:
        with ui.transaction(write=True) as session:
            result = importing.import_rows(
                session,
                user,
                checked,
                update_existing=update_existing,
                valid_only=valid_only,
                progress=lambda share: bar.progress(share, text=ui.t("import.importing")),
            )
    except DomainError as error:
        bar.empty()
        ui.show_error(error)
        return
    bar.empty()
    ui.after_write()
    st.success(
        ui.t(
            "import.done",
            created=result.created,
            updated=result.updated,
            skipped=result.skipped,
            refused=result.refused,
        )
    )


@st.cache_data(max_entries=4, show_spinner=False)
def read_table(data: bytes, name: str) -> importing.Table:
    """The uploaded file read once, not again on every widget change."""
    return importing.read_file(data, name)


def export_section() -> None:
    st.subheader(ui.t("export.companies"))
    with ui.transaction() as session:
        towns = reference.towns(session)
    c1, c2 = st.columns(2)
    with c1:
        town_id = ui.select_option(ui.t("filter.town"), towns, key="export.town")
    with c2:
        section = ui.select_section("export.section")
    columns = ["business_id", "name", "town", "industry_section", "size_class", "staff_count"]
    # The file holds every field the import reads back.
    file_columns = [*columns, "industry_code", "website", "is_active"]
    with ui.transaction() as session:
        preview = search_companies(
            session, user, town_id=town_id, industry_section=section,
            page=ui.current_page("export"),
        )  # fmt: skip
    st.caption(ui.t("export.preview", total=preview.total))
    ui.table(preview.rows, columns, enums={"size_class": "size_class"})
    ui.pager("export", preview)

    # The file is made later, outside the user's session: take the names now.
    sizes = {size: ui.label("size_class", size) for size in SizeClass}

    def export_rows() -> list[dict[str, object]]:
        with ui.transaction() as session:
            rows = export_companies(session, user, town_id=town_id, industry_section=section)
        for row in rows:
            row["size_class"] = sizes.get(row["size_class"], row["size_class"])
            row["is_active"] = yes if row["is_active"] else no
        return rows

    headers = {column: ui.t(f"col.{column}") for column in file_columns}
    yes, no = ui.t("common.yes"), ui.t("common.no")
    ui.download_buttons(
        ui.t("export.companies_file"),
        lambda: to_csv(export_rows(), headers),
        lambda: to_xlsx([(ui.t("export.companies"), export_rows(), headers)]),
        key="export.companies",
    )
    if can(user, Action.ADMINISTER):
        st.subheader(ui.t("export.full"))
        st.caption(ui.t("export.full_help"))

        def full_export() -> bytes:
            with ui.transaction(write=True) as session:
                return full_export_zip(session, user)

        st.download_button(
            ui.t("export.full_download"),
            full_export,
            "seutu-crm.zip",
            "application/zip",
            on_click="ignore",
            icon=":material/folder_zip:",
        )


def duplicates_section() -> None:
    st.caption(ui.t("duplicates.help"))
    with ui.transaction() as session:
        rows = likely_duplicates(session, user)
    if not rows:
        st.success(ui.t("duplicates.none"))
        return
    groups: dict[tuple[str, str], list[dict]] = {}  # type: ignore[type-arg]
    for row in rows:
        groups.setdefault((row["name_key"], row["town"]), []).append(row)
    labels = {key: f"{members[0]['name']} · {key[1]} ({len(members)})"
              for key, members in groups.items()}  # fmt: skip
    chosen = st.selectbox(
        ui.t("duplicates.group"), list(labels), format_func=labels.get, key="duplicates.group"
    )
    members = groups[chosen]
    ui.table(members, ["id", "business_id", "name", "town", "is_active", "created_at"])
    names = {m["id"]: f"#{m['id']} {m['business_id']} {m['name']}" for m in members}
    with st.form(f"merge.{chosen}"):
        keep = st.selectbox(ui.t("duplicates.keep"), list(names), format_func=names.get)
        remove = st.selectbox(
            ui.t("duplicates.remove"), list(names), index=1, format_func=names.get
        )
        sure = st.checkbox(ui.t("duplicates.confirm"))
        merge = st.form_submit_button(ui.t("duplicates.merge"), type="primary")
    if merge and not sure:
        st.warning(ui.t("duplicates.confirm_first"))
    elif merge and ui.attempt(lambda s: merge_companies(s, user, keep_id=keep, remove_id=remove)):
        ui.flash(ui.t("duplicates.merged"))
        st.rerun()


if may_import:
    with tabs[0]:
        import_section()
    with tabs[1]:
        export_section()
    with tabs[2]:
        duplicates_section()
else:
    with tabs[0]:
        export_section()
