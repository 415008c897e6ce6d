"""Shared page helpers: the database session, the signed-in user, translation, tables, pager."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from db.bootstrap import prepare_database
from db.engine import database_url, make_engine, make_session_factory
from db.enums import TOL_SECTIONS
from services.audit import data_version as audit_data_version
from services.auth import CurrentUser, authenticate, current_user, sign_in_by_email
from services.errors import DomainError, DuplicateBusinessId
from services.exports import to_csv, to_xlsx
from services.i18n import DEFAULT_LANGUAGE, format_date, format_number, format_percent, translate
from services.paging import Page
from services.permissions import Action, can
from services.reference import Option
from services.sessions import (
    COOKIE_NAME,
    end_session,
    resume_session,
    start_session,
    touch_session,
)
from services.users import set_language

ROW_HEIGHT = 35
HIGHLIGHT_CSS = "background-color: #fde2e1; color: #7a1212"
MAX_TABLE_HEIGHT = 1800

# Session-state keys, initialised in one place.
USER_ID = "user_id"
LANGUAGE = "language"
SIGN_IN = "sign_in_cookie"
COOKIE_ACTION = "cookie_action"  # the token to set, or "clear"
SESSION_ENDED = "session_ended"


def init_session_state() -> None:
    st.session_state.setdefault(USER_ID, None)
    st.session_state.setdefault(LANGUAGE, DEFAULT_LANGUAGE)


LOCAL_ZONE = ZoneInfo("Europe/Helsinki")


def local_time(moment: dt.datetime | None) -> str:
    """A stored UTC moment as Finnish local time, 22.11.2026 17:30."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(LOCAL_ZONE)
    return f"{format_date(local.date(), language())} {local:%H:%M}"


def language() -> str:
    return st.session_state.get(LANGUAGE, DEFAULT_LANGUAGE)


def t(key: str, **params: object) -> str:
    """The message for `key` in the user's language."""
    return translate(key, language(), **params)


def label(kind: str, value: str | None) -> str:
    """The shown name of an enumeration value, e.g. label('channel', 'visit')."""
    return "" if value is None else t(f"{kind}.{value}")


# --- Database ---------------------------------------------------------------------------------


@st.cache_resource
def _database(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    return {
        "engine": engine,
        "sessions": make_session_factory(engine),
        "readers": make_session_factory(engine, for_reading=True),
        "ready": False,
        "lock": threading.Lock(),
    }


def ensure_database() -> None:
    """Migrate (and, on a new embedded database, fill with demo data) once per process."""
    database = _database(database_url())
    if database["ready"]:
        return
    with database["lock"]:
        if database["ready"]:
            return
        bar = st.progress(0.0, text=t("app.preparing"))

        def progress(step: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=t("app.preparing_step", step=step))

        prepare_database(database["engine"], progress=progress)
        bar.empty()
        database["ready"] = True


@contextmanager
def transaction(*, write: bool = False) -> Iterator[Any]:
    """One session and one transaction for one user action; `write` when it may change data."""
    sessions = _database(database_url())["sessions" if write else "readers"]
    with sessions.begin() as session:
        yield session


# --- The signed-in user -----------------------------------------------------------------------


def signed_in_user() -> CurrentUser | None:
    """The user of this browser, read afresh on every run: signing out elsewhere, disabling
    the account or idling too long ends the sign-in at once.

    A reload starts a new Streamlit session; the sign-in cookie resumes it.
    """
    cookie = st.context.cookies.get(COOKIE_NAME)
    token = st.session_state.get(SIGN_IN) or (cookie if isinstance(cookie, str) else None)
    user_id = st.session_state.get(USER_ID)
    if not token and user_id is None:
        return None
    with transaction() as session:
        user = resume_session(session, token) if token else current_user(session, user_id)
    if user is None:
        if token:
            st.session_state[COOKIE_ACTION] = "clear"
            st.session_state[SESSION_ENDED] = True
        st.session_state[USER_ID] = None
        st.session_state.pop(SIGN_IN, None)
        return None
    if token:
        with transaction(write=True) as session:
            touch_session(session, token)
        st.session_state[SIGN_IN] = token
    st.session_state[USER_ID] = user.id
    return user


def sync_cookie() -> None:
    """Set or clear the sign-in cookie in the browser when the sign-in changed."""
    action = st.session_state.pop(COOKIE_ACTION, None)
    if action is None:
        return
    secure = "; Secure" if (st.context.url or "").startswith("https:") else ""
    if action == "clear":
        cookie = f"{COOKIE_NAME}=; Path=/; Max-Age=0; SameSite=Strict{secure}"
    else:
        # The token is ours (URL-safe base64), never user input.
        cookie = f"{COOKIE_NAME}={action}; Path=/; SameSite=Strict{secure}"
    st.html(f"<script>document.cookie = {cookie!r};</script>", unsafe_allow_javascript=True)


def session_ended_note() -> None:
    if st.session_state.pop(SESSION_ENDED, False):
        st.info(t("login.session_ended"))


def _through_entry_script() -> None:
    """Make sure this page runs behind the entry script's sign-in gate.

    Until the first `st.navigation` call in a server process, Streamlit treats a folder named
    `pages/` as an old-style multipage app and runs a page opened directly by its URL on its own,
    without the entry script. Such a run is sent round once more, through the entry script.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def sign_in(*, username: str, password: str) -> bool:
    """Check the credentials; on success remember the user in this browser session."""
    sessions = _database(database_url())["sessions"]
    with sessions() as session:
        try:
            user = authenticate(session, username=username, password=password)
        except DomainError as error:
            # Commit anyway: the failed attempt must count towards the lock.
            session.commit()
            show_error(error)
            return False
        token = start_session(session, user)
        session.commit()
    st.session_state[USER_ID] = user.id
    st.session_state[SIGN_IN] = token
    st.session_state[COOKIE_ACTION] = token
    st.session_state[LANGUAGE] = user.language
    return True


def sso_configured() -> bool:
    """Single sign-on is on when `[auth]` is configured in Streamlit's secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in_with_sso() -> bool:
    """Back from the identity provider: sign in the user whose email it vouched for."""
    if not sso_configured() or not st.user.is_logged_in:
        return False
    sessions = _database(database_url())["sessions"]
    with sessions() as session:
        try:
            user = sign_in_by_email(session, email=str(st.user.get("email") or ""))
        except DomainError as error:
            show_error(error)
            st.button(t("login.sso_other_account"), on_click=st.logout)
            return False
        token = start_session(session, user)
        session.commit()
    st.session_state[USER_ID] = user.id
    st.session_state[SIGN_IN] = token
    st.session_state[COOKIE_ACTION] = token
    st.session_state[LANGUAGE] = user.language
    return True


def save_language() -> None:
    """The language switch changed: remember the choice for the next sign-in."""
    user = signed_in_user()
    if user is not None:
        attempt(lambda session: set_language(session, user, st.session_state[LANGUAGE]))


def sign_out() -> None:
    token = st.session_state.pop(SIGN_IN, None)
    if token:
        with transaction(write=True) as session:
            end_session(session, token)
        st.session_state[COOKIE_ACTION] = "clear"
    st.session_state[USER_ID] = None


def require_user() -> CurrentUser:
    """The signed-in user; a run without one stops here."""
    _through_entry_script()
    user = signed_in_user()
    if user is None:
        st.stop()
    return user


GENERAL_ERRORS = frozenset(
    {"error.required", "error.invalid", "error.text.too_long", "error.text.control_characters"}
)


def show_error(error: DomainError) -> None:
    """The error in the user's language, naming the field it is about when there is one."""
    message = t(error.key, **error.params)
    field = getattr(error, "field", None)
    label_key = f"field.{field}"
    # The general messages do not say which field they are about; the rest already do.
    if error.key in GENERAL_ERRORS and field and translate(label_key, language()) != label_key:
        message = f"{t(label_key)}: {message}"
    st.error(message)
    if isinstance(error, DuplicateBusinessId) and "company_id" in error.params:
        # The company already in the register, one click away.
        st.page_link(
            "pages/companies.py",
            label=t("company.open_existing"),
            icon=":material/open_in_new:",
            query_params={"company": str(error.params["company_id"])},
        )


# --- Widgets ----------------------------------------------------------------------------------


def widget_key(key: str) -> str:
    """A select box's key in the current language.

    A select box keeps showing the option names it was first drawn with; a new key per
    language draws it anew when the language changes (its choice starts over). A kept None
    ("any") is dropped, so the box shows "any" rather than an empty choice.
    """
    full = f"{key}.{language()}"
    if full in st.session_state and st.session_state[full] is None:
        del st.session_state[full]
    return full


def select_option(
    title: str, options: Sequence[Option], *, key: str, any_label: str | None = None
) -> int | None:
    """A select box over reference options; None when 'any' is chosen."""
    ids: list[int | None] = [None, *(option.id for option in options)]
    names = {option.id: option.label for option in options}
    return st.selectbox(
        title,
        ids,
        format_func=lambda value: (any_label or t("filter.any")) if value is None else names[value],
        key=widget_key(key),
        on_change=reset_page,
        args=(key,),
    )


def select_enum(
    title: str, kind: str, values: Sequence[str], *, key: str, default: str | None = None
) -> str | None:
    """A select box over enumeration values with translated names; None when 'any'."""
    choices = [None, *values]
    return st.selectbox(
        title,
        choices,
        index=choices.index(default),
        format_func=lambda value: t("filter.any") if value is None else label(kind, value),
        key=widget_key(key),
        on_change=reset_page,
        args=(key,),
    )


def select_section(key: str) -> str | None:
    """A TOL 2008 section filter; None when every section is wanted."""
    return st.selectbox(
        t("filter.industry_section"),
        [None, *TOL_SECTIONS],
        format_func=lambda s: t(f"tol.{s}") if s else t("filter.any"),
        key=widget_key(key),
        on_change=reset_page,
        args=(key,),
    )


def reset_page(widget_key: str) -> None:
    """A filter changed: go back to the first page of the list it filters."""
    prefix = widget_key.split(".", 1)[0]
    st.session_state[f"{prefix}.page"] = 1


def current_page(prefix: str) -> int:
    return int(st.session_state.get(f"{prefix}.page", 1))


def pager(prefix: str, page: Page) -> None:
    """Page number, page count and row count under a table."""
    left, right = st.columns([1, 3])
    # The list may have shrunk since the number was chosen; show the page actually shown.
    st.session_state[f"{prefix}.page"] = page.page
    with left:
        st.number_input(
            t("pager.page"), min_value=1, max_value=page.page_count, step=1, key=f"{prefix}.page"
        )
    with right:
        st.caption(
            t(
                "pager.summary",
                page=page.page,
                pages=page.page_count,
                total=page.total,
            )
        )


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    enums: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    empty_key: str = "table.empty",
    highlight: Callable[[Mapping[str, Any]], bool] | None = None,
    select_key: str | None = None,
    raw: Sequence[str] = (),
    max_height: int = MAX_TABLE_HEIGHT,
) -> Mapping[str, Any] | None:
    """A read-only table with translated headers and Finnish (or English) formats.

    Rows for which `highlight` is true stand out in red. With `select_key` a row can be
    chosen; the chosen row is returned. `raw` columns stay numbers, so they sort as numbers.
    """
    if not rows:
        st.info(t(empty_key))
        return None
    enums = enums or {}
    decimals = decimals or {}
    lang = language()

    def shown(column: str, value: Any) -> Any:
        if column in raw:
            return value
        if value is None:
            return ""
        if column in enums:
            return label(enums[column], value)
        if isinstance(value, bool):
            return t("common.yes") if value else t("common.no")
        if isinstance(value, dt.date):
            return format_date(value, lang)
        if isinstance(value, float) or column in decimals:
            return format_number(value, lang, decimals.get(column, 1))
        if isinstance(value, int):
            return format_number(value, lang)
        return value

    headers = [t(f"col.{c}") for c in columns]
    frame = pd.DataFrame([[shown(c, row.get(c)) for c in columns] for row in rows], columns=headers)
    data: Any = frame
    if highlight is not None:
        marked = [highlight(row) for row in rows]
        data = frame.style.apply(
            lambda r: [HIGHLIGHT_CSS if marked[r.name] else ""] * len(r), axis=1
        )
    # Tall enough to show a whole page of rows without an inner scroll bar.
    height = min(ROW_HEIGHT * (len(frame) + 1) + 3, max_height)
    if select_key is None:
        st.dataframe(data, hide_index=True, width="stretch", height=height)
        return None
    event = st.dataframe(
        data,
        hide_index=True,
        width="stretch",
        height=height,
        on_select="rerun",
        selection_mode="single-row",
        key=select_key,
    )
    chosen = event.selection.rows
    return rows[chosen[0]] if chosen and chosen[0] < len(rows) else None


def download_buttons(
    name: str, csv_bytes: Callable[[], bytes], xlsx_bytes: Callable[[], bytes], *, key: str
) -> None:
    """CSV and XLSX downloads; each file is built only when its button is clicked."""
    left, right = st.columns(2)
    left.download_button(
        t("export.csv"),
        csv_bytes,
        f"{name}.csv",
        "text/csv",
        key=f"{key}.csv",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        t("export.xlsx"),
        xlsx_bytes,
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}.xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def number(value: float | None, digits: int = 0) -> str:
    return format_number(value, language(), digits)


def percent(share: float | None) -> str:
    """A share as a percentage in the user's format, or a dash when there is no figure."""
    return "–" if share is None else format_percent(share, language())


def selection_key(base: str) -> str:
    """A table key that `clear_selection` can renew, so a chosen row does not stay chosen."""
    return f"{base}.{st.session_state.get(f'{base}.version', 0)}"


def clear_selection(base: str) -> None:
    st.session_state[f"{base}.version"] = st.session_state.get(f"{base}.version", 0) + 1


def query_int(name: str) -> int | None:
    """An integer id from the URL's query parameters; a malformed one stops the page."""
    raw = st.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value <= 0:
        st.error(t("error.query_param", name=name))
        st.stop()
    return value


def open_company(company_id: int) -> None:
    """Show a company's profile (`/companies?company=<id>`)."""
    clear_selection("companies.table")
    st.switch_page("pages/companies.py", query_params={"company": str(company_id)})


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """User-typed text made safe to place inside Markdown: every markup character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def attempt(action: Callable[[Any], object]) -> bool:
    """Run `action(session)` in one transaction; show the domain error, if any, and say so."""
    try:
        with transaction(write=True) as session:
            action(session)
    except DomainError as error:
        show_error(error)
        return False
    after_write()
    return True


def data_version() -> int:
    """Part of every cache key of figures: changes with any write, in any app process."""
    with transaction() as session:
        return audit_data_version(session)


def after_write() -> None:
    """Data changed: cached figures must be computed again."""
    st.cache_data.clear()


FLASH = "flash"


def flash(message: str) -> None:
    """A confirmation to show at the top of the next page run."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def date_param(name: str, default: dt.date) -> dt.date:
    """A date from the URL (yyyy-mm-dd); the default when missing or malformed."""
    try:
        return dt.date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return default


def int_params(name: str, allowed: Mapping[int, object]) -> list[int]:
    """The ids repeated in the URL under `name` that are among the allowed ones."""
    ids = []
    for raw in st.query_params.get_all(name):
        try:
            value = int(raw)
        except ValueError:
            continue
        if value in allowed and value not in ids:
            ids.append(value)
    return ids


def list_downloads(
    name: str,
    fetch: Callable[[Any], Sequence[Mapping[str, Any]]],
    columns: Sequence[str],
    *,
    enums: Mapping[str, str] | None = None,
    key: str,
) -> None:
    """CSV and XLSX of the whole filtered list, for roles that may export.

    `fetch(session)` gives the rows; it runs when a file is asked for.
    """
    user = signed_in_user()
    if user is None or not can(user, Action.EXPORT):
        return
    enums = enums or {}
    # The file is made later, outside the user's session: take the language now.
    lang = language()

    def rows() -> list[dict[str, Any]]:
        shown = []
        with transaction() as session:
            found = fetch(session)
        for row in found:
            item = {column: row.get(column) for column in columns}
            for column, kind in enums.items():
                if item.get(column) is not None:
                    item[column] = translate(f"{kind}.{item[column]}", lang)
            shown.append(item)
        return shown

    headers = {column: t(f"col.{column}") for column in columns}
    download_buttons(
        name, lambda: to_csv(rows(), headers), lambda: to_xlsx([(name, rows(), headers)]), key=key
    )
