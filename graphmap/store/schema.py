"""What the queries look nodes up by: (label, property) pairs, indexed on every engine."""

# Ids are unique per label; account_id scopes the per-account reads.
UNIQUE_IDS = (
    "Account",
    "Department",
    "Person",
    "Contact",
    "Interaction",
    "Task",
    "Comment",
    "Change",
    "Card",
    "User",
    "Token",
    "Grant",
    "Setting",
    "Unmatched",
)
LOOKUPS = (
    ("Department", "account_id"),
    ("Person", "account_id"),
    ("Interaction", "account_id"),
    ("Task", "account_id"),
    ("Comment", "account_id"),
    ("Change", "account_id"),
    ("Card", "account_id"),
    ("Grant", "account_id"),
    ("Grant", "grantee"),
    ("Person", "email_key"),
    ("Contact", "email_key"),
)
