"""schemathesis against the app's own OpenAPI schema: no server errors and answers that match the schema,
for every operation, as each role (embedded engine; more examples in bench)."""

import os
import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from graphmap.api import create_app
from graphmap.api.deps import StoreHolder
from graphmap.config import Settings
from graphmap.model import Portfolio
from graphmap.sample import portfolio_path
from graphmap.store.embedded import EmbeddedServer, EmbeddedStore
from tests.api.conftest import seed

pytestmark = pytest.mark.integration
EXAMPLES = int(os.environ.get("GRAPHMAP_FUZZ_EXAMPLES", "25"))


# The schema is read at import; the store is handed to the app by the fixture, before any request.
app = create_app(Settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def fuzzed(embedded_server: EmbeddedServer) -> Iterator[tuple[object, dict[str, str]]]:
    store = EmbeddedStore(embedded_server, f"fuzz-{uuid.uuid4().hex[:12]}")
    store.ensure_schema()
    tokens = seed(store, Portfolio.model_validate_json(portfolio_path().read_text(encoding="utf-8")))
    app.state.stores = StoreHolder(app.state.settings, store)
    yield app, tokens
    store.clear()
    store.close()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_match_the_schema(case: schemathesis.Case, fuzzed: tuple) -> None:
    _, tokens = fuzzed
    for who in ("east_viewer", "east_editor", "admin"):  # the admin last: its deletions would hide the rest
        response = case.call(headers={"Authorization": f"Bearer {tokens[who]}"})
        assert response.status_code < 500, (who, case.method, case.formatted_path, response.text)
        if response.status_code < 300 and "json" in response.headers.get("content-type", ""):
            case.operation.validate_response(response)
