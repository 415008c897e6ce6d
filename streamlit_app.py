"""Seutu CRM: the entry point. Page config, sign-in gate and the role's navigation."""

import streamlit as st

from pages import _ui as ui
from services.i18n import LANGUAGES
from services.permissions import PAGES, pages_for

# page key -> (script, URL path, icon). The home page lives at "/". Each script is named as
# its URL path: until the first st.navigation call in a server process Streamlit treats pages/
# as an old-style page folder, and a bookmark must find its page there too.
PAGE_FILES: dict[str, tuple[str, str, str]] = {
    "home": ("pages/home.py", "home", ":material/home:"),
    "companies": ("pages/companies.py", "companies", ":material/business:"),
    "log_contact": ("pages/log-contact.py", "log-contact", ":material/edit_note:"),
    "needs": ("pages/needs.py", "needs", ":material/flag:"),
    "follow_ups": ("pages/follow-ups.py", "follow-ups", ":material/event_available:"),
    "projects": ("pages/projects.py", "projects", ":material/hub:"),
    "ecosystem": ("pages/ecosystem.py", "ecosystem", ":material/diversity_3:"),
    "engagement": ("pages/engagement.py", "engagement", ":material/insights:"),
    "leadership": ("pages/leadership.py", "leadership", ":material/monitoring:"),
    "import_export": ("pages/import-export.py", "import-export", ":material/swap_vert:"),
    "admin": ("pages/admin.py", "admin", ":material/admin_panel_settings:"),
}
assert PAGE_FILES.keys() == PAGES.keys()


def page(key: str, *, allowed: bool = True) -> st.Page:
    script, url_path, icon = PAGE_FILES[key]
    title = ui.t(f"page.{key}")
    if allowed:
        return st.Page(script, title=title, icon=icon, url_path=url_path, default=key == "home")
    # Same URL path, so a bookmark of a page this role may not open explains itself.
    return st.Page(forbidden, title=title, url_path=url_path, visibility="hidden")


def forbidden() -> None:
    st.title(ui.t("app.forbidden_title"))
    st.error(ui.t("error.page_forbidden"))


def sign_in() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        sign_in_form()


def sign_in_form() -> None:
    st.title(ui.t("app.title"))
    st.caption(ui.t("app.tagline"))
    ui.session_ended_note()
    with st.form("login"):
        username = st.text_input(ui.t("login.username"), autocomplete="username")
        password = st.text_input(ui.t("login.password"), type="password")
        submitted = st.form_submit_button(ui.t("login.submit"), type="primary")
    if submitted and ui.sign_in(username=username, password=password):
        # The URL still names the page asked for, with its query parameters; open it.
        st.rerun()
    if ui.sso_configured():
        st.button(ui.t("login.sso"), on_click=st.login, icon=":material/key:")
        if ui.sign_in_with_sso():
            st.rerun()


def sidebar(user) -> None:  # type: ignore[no-untyped-def]
    with st.sidebar:
        st.markdown(f"**{ui.t('app.title')}**")
        st.caption(f"{user.full_name} · {ui.label('role', user.role)}")
        st.selectbox(
            ui.t("app.language"),
            LANGUAGES,
            format_func=lambda code: ui.t(f"language.{code}"),
            key=ui.LANGUAGE,
            on_change=ui.save_language,
        )
        if st.button(ui.t("app.logout"), icon=":material/logout:"):
            ui.sign_out()
            st.rerun()


st.set_page_config(page_title="Seutu CRM", page_icon=":material/handshake:", layout="wide")
ui.init_session_state()
ui.ensure_database()
current = ui.signed_in_user()
ui.sync_cookie()
if current is None:
    # Resolve the requested page without running it, so it opens after signing in.
    st.navigation([page(key) for key in PAGES], position="hidden")
    sign_in()
else:
    allowed = set(pages_for(current))
    navigation = st.navigation([page(key, allowed=key in allowed) for key in PAGES])
    sidebar(current)
    ui.show_flash()
    navigation.run()
