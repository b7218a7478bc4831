// Lints Cypher files with Neo4j's own parser. Usage: node lint.mjs FILE...
// Prints one JSON object: {"<file>": [{"severity", "message", "line", "character"}, ...]}.
import { readFileSync } from "node:fs";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const results = {};
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const { diagnostics } = lintCypherQuery(text, {});
  results[file] = diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
    character: d.range.start.character + 1,
  }));
}
process.stdout.write(JSON.stringify(results));
