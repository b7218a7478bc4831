"""E-mail addresses as graphmap keeps them for capture: a keyed hash of the normalised address (HMAC-SHA256
with the deployment's secret) beside the domain, never the address (docs/capture.md)."""

import hashlib
import hmac

from graphmap.config import Settings
from graphmap.errors import Invalid
from graphmap.personal import email_domain

DEV_SECRET = b"graphmap development secret: not for real addresses"


def configured_secret(settings: Settings) -> bytes | None:
    """The deployment's key of address hashes; the development key with GRAPHMAP_DEV; else None."""
    if settings.capture_secret is not None and settings.capture_secret.get_secret_value():
        return settings.capture_secret.get_secret_value().encode()
    return DEV_SECRET if settings.dev else None


def capture_secret(settings: Settings) -> bytes:
    """The key of address hashes; refused without one, except on a development machine."""
    secret = configured_secret(settings)
    if secret is None:
        raise Invalid(
            "GRAPHMAP_CAPTURE_SECRET is not set: capture keeps e-mail addresses only as keyed hashes and needs a "
            "deployment secret (GRAPHMAP_DEV=true on a development machine) / 未设置 GRAPHMAP_CAPTURE_SECRET"
        )
    return secret


def normalised(address: str) -> str:
    """An address as it is hashed: trimmed, lower case, mailto: dropped."""
    return address.strip().lower().removeprefix("mailto:")


def address_key(address: str, secret: bytes) -> str:
    """The keyed hash of an address, normalised."""
    return hmac.new(secret, normalised(address).encode(), hashlib.sha256).hexdigest()[:32]


def checked_address(address: str) -> tuple[str, str]:
    """(address, domain) of a typed address (a local part, and a domain as the archive checks it), or Invalid."""
    normal = normalised(address)
    local, at, _ = normal.rpartition("@")
    try:
        if not at or not local or " " in normal or len(normal) > 254:
            raise ValueError(normal)
        return normal, email_domain(normal)
    except ValueError:
        raise Invalid("not an e-mail address (name@domain) / 不是有效的邮箱地址") from None
