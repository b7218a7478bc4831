"""Settings from the environment (GRAPHMAP_*) or a .env file."""

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graphmap.errors import Invalid
from graphmap.model import Day

# bolt:// one server, neo4j:// a cluster with routing, +s / +ssc with TLS (Aura is neo4j+s://).
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def default_data_dir() -> Path:
    """Per-user data folder: $XDG_DATA_HOME/graphmap, else ~/.local/share/graphmap."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "graphmap"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRAPHMAP_", env_file=".env", extra="ignore")

    # The embedded engine (used when no Neo4j URI is set).
    data_dir: Path = Field(default_factory=default_data_dir)
    graph: str = "graphmap"
    idle_timeout: int = Field(default=1800, ge=0, description="seconds without a client before it stops; 0 = never")

    # The day analyses are computed for when a command gives none: today, unless set (to replay a past
    # review, or to look at the sample portfolio on the day its dates lead up to).
    as_of: Day | None = None

    # Personal data: the archive's phones are kept as area code + last four digits and e-mails as their
    # domain (docs/tables.md). A deployment whose rules allow the full details may opt out.
    keep_contact_details: bool = False

    # Capture (graphmap capture, docs/capture.md): e-mail addresses are kept only as a keyed hash (HMAC-SHA256
    # with this secret) beside their domain. Required, except on a development machine (GRAPHMAP_DEV=true).
    capture_secret: SecretStr | None = None
    dev: bool = False
    our_mail_domains: str = Field(default="", description="our company's mail domains, comma-separated")
    personal_mail_domains: str = Field(
        default="qq.com,foxmail.com,163.com,126.com,yeah.net,sina.com,sina.cn,sohu.com,139.com,189.cn,aliyun.com,"
        "gmail.com,googlemail.com,outlook.com,hotmail.com,live.com,msn.com,yahoo.com,icloud.com,me.com,proton.me",
        description="mail domains of private mailboxes: never matched by name, never queued",
    )
    capture_max_participants: int = Field(default=10, ge=2, description="larger meetings are not relationship touches")
    capture_window_days: int = Field(default=365, ge=1, le=3660, description="recurring meetings expand this far back")
    capture_file_limit: int = Field(default=200_000_000, ge=1_000, description="bytes of one calendar or mailbox")
    capture_items_limit: int = Field(default=200_000, ge=1, description="events or messages of one file")

    # The HTTP API (graphmap serve): request bodies and uploads larger than these are refused (413).
    api_body_limit: int = Field(default=1_000_000, ge=1_000, description="bytes of a JSON request body")
    api_upload_limit: int = Field(default=50_000_000, ge=1_000, description="bytes of an uploaded table")
    # An upload's bytes do not bound its work (a few KB of XLSX can inflate to gigabytes): the API reads at
    # most this much sheet XML and this many rows per table, and larger imports run with `graphmap import`.
    api_import_unzipped_limit: int = Field(default=200_000_000, ge=1_000, description="bytes of a workbook's XML")
    api_import_rows: int = Field(default=200_000, ge=1, description="rows of one uploaded table")
    api_threads: int = Field(default=4, ge=1, le=200, description="threads the API's routes run in")

    # Neo4j: bolt://, neo4j:// (cluster routing) or neo4j+s:// (Aura).
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None

    @field_validator("neo4j_uri")
    @classmethod
    def _bolt_or_neo4j(cls, uri: str | None) -> str | None:
        if uri is not None:
            uri = uri.strip() or None
        if uri is not None and uri.split("://", 1)[0] not in NEO4J_SCHEMES:
            raise ValueError(f"{uri!r} is not a Neo4j URI; expected one of {', '.join(NEO4J_SCHEMES)}://HOST[:PORT]")
        return uri

    @model_validator(mode="after")
    def _secret_where_capture_is_set_up(self) -> "Settings":
        # Refused at start: a deployment that names its mail domains captures, and must hash with its own key.
        if self.our_mail_domains.strip() and self.capture_secret is None and not self.dev:
            raise ValueError(
                "GRAPHMAP_CAPTURE_SECRET is required when GRAPHMAP_OUR_MAIL_DOMAINS is set (capture keeps e-mail "
                "addresses only as keyed hashes); GRAPHMAP_DEV=true on a development machine / 未设置 "
                "GRAPHMAP_CAPTURE_SECRET"
            )
        return self

    @property
    def our_domains(self) -> frozenset[str]:
        return _domains(self.our_mail_domains)

    @property
    def personal_domains(self) -> frozenset[str]:
        return _domains(self.personal_mail_domains)

    @property
    def engine(self) -> str:
        return "neo4j" if self.neo4j_uri else "falkordb"


def _domains(text: str) -> frozenset[str]:
    return frozenset(d.strip().lower().lstrip("@") for d in text.split(",") if d.strip())


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            (f"GRAPHMAP_{'_'.join(map(str, e['loc'])).upper()}: " if e["loc"] else "")
            + e["msg"].removeprefix("Value error, ")
            for e in error.errors()
        )
        raise Invalid(f"bad setting: {problems}") from None
