"""The Cypher catalog: one query per file, loaded by graphmap.queries."""
