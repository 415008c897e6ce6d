"""Database layer: models, engine and session factory, migrations and demo data."""
