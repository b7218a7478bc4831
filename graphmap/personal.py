"""What may come into the graph as text about people, whichever way it comes (an import's cell, an API body).

Personal data: the archive keeps a phone as its area code and last four digits, an e-mail as its domain
(DOMAIN.md), unless the deployment keeps the details (GRAPHMAP_KEEP_CONTACT_DETAILS); either way the value
must be a phone or an e-mail. A value already reduced or masked (138****5678, *@example.com) is kept.
Each rule raises ValueError with a sentence that never repeats the value.

Text: no character that changes how the text around it is shown rather than what it says (the bidi
controls that make "gpj.exe" read "exe.jpg", CVE-2021-42574); no name or note needs them.
"""

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
BIDI_REFUSED = (
    "text may not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069) / 文本不能包含双向控制字符"
)


def plain_text(value: str) -> str:
    if BIDI_CONTROLS.search(value):
        raise ValueError(BIDI_REFUSED)
    return value


MOBILE = re.compile(r"^1[3-9]\d{9}$")


def reduced_phone(value: str) -> str:
    if "*" in value:
        return _masked_phone(value)
    text, digits = _phone_digits(value)
    last = digits[-4:]
    if text.startswith("+") or digits.startswith("00"):  # international: only China's plan is known here
        national = digits.removeprefix("00").removeprefix("86")
        if national == digits.removeprefix("00"):
            return f"+****{last}"
        digits = national if MOBILE.match(national) else "0" + national
    if MOBILE.match(digits):
        return f"{digits[:3]}****{last}"
    if digits.startswith("0"):
        area = digits[:3] if digits.startswith(("010", "02")) else digits[:4]  # 010 and 02x have three digits
        if 7 <= len(digits) - len(area) <= 8:
            return f"{area}-****{last}"
    return f"****{last}"


MASKED_PHONE = re.compile(r"^\+?[\d\s()\-.（）*]+$")


def _masked_phone(value: str) -> str:
    """A phone already reduced or masked elsewhere (138****5678, 021-****1234): kept as it is."""
    if not MASKED_PHONE.match(value.strip()):
        raise ValueError("expected a phone number: digits, spaces, + - ( ) and * (personal data: value not shown)")
    if sum(ch.isdigit() for ch in value) > 8:  # a four-digit area code and the last four
        raise ValueError("a masked phone keeps at most the area code and the last four digits")
    return value.strip()


def checked_phone(value: str) -> str:
    """For a deployment that opted out of the reduction (GRAPHMAP_KEEP_CONTACT_DETAILS): checked, kept."""
    if "*" in value:
        return _masked_phone(value)
    _phone_digits(value)
    return value.strip()


def _phone_digits(value: str) -> tuple[str, str]:
    text = re.sub(r"\s*(?:转|ext\.?|x)\s*\d+$", "", value.strip(), flags=re.IGNORECASE)  # an extension
    if re.search(r"[^\d\s()+\-（）.]", text):
        raise ValueError("expected a phone number: digits, spaces, + - ( ) (personal data: value not shown)")
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15:
        raise ValueError("expected a phone number of 7 to 15 digits (personal data: value not shown)")
    return text, digits


EMAIL_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")


def email_domain(value: str) -> str:
    domain = value.strip().rsplit("@", 1)[-1].lower()
    if not EMAIL_DOMAIN.match(domain):
        raise ValueError("expected an e-mail address or its domain (personal data: value not shown)")
    return domain


def checked_email(value: str) -> str:
    email_domain(value)
    return value.strip()
