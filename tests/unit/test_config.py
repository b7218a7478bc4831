import pytest

from graphmap.config import Settings, get_settings
from graphmap.errors import Invalid


@pytest.fixture(autouse=True)
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_embedded_is_the_default_engine(monkeypatch, tmp_path):
    monkeypatch.delenv("GRAPHMAP_NEO4J_URI", raising=False)
    monkeypatch.delenv("GRAPHMAP_DATA_DIR", raising=False)  # the suite sets its own (tests/conftest.py)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    settings = Settings(_env_file=None)
    assert settings.engine == "falkordb"
    assert settings.data_dir == tmp_path / "graphmap"


@pytest.mark.parametrize("uri", ["bolt://db:7687", "neo4j://cluster", "neo4j+s://x.databases.neo4j.io"])
def test_neo4j_uris_select_neo4j(monkeypatch, uri):
    monkeypatch.setenv("GRAPHMAP_NEO4J_URI", uri)
    assert get_settings().engine == "neo4j"


def test_a_bad_setting_is_named(monkeypatch):
    monkeypatch.setenv("GRAPHMAP_NEO4J_URI", "http://db:7474")
    with pytest.raises(Invalid, match="GRAPHMAP_NEO4J_URI: 'http://db:7474' is not a Neo4j URI"):
        get_settings()
