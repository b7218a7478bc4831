"""The HTTP API: a thin face over the library (FastAPI). create_app() builds it; `graphmap serve` runs it."""

from graphmap.api.app import create_app

__all__ = ["create_app"]
