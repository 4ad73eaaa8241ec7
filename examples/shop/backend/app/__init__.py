"""The shop's backend: a FastAPI service over PostgreSQL."""
