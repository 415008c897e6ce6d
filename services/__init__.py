"""The application: typed functions over a database session. Never imports streamlit."""
