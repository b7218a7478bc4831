// Lints Cypher with Neo4j's own parser and Neo4j 5's function and procedure lists (the ones the package
// ships in testData.mockSchema, taken from a Neo4j 5 server), so a removed or misspelt function is caught.
// Usage: node lint.mjs FILE...        the files
//        node lint.mjs --json < IN    IN is {"<name>": "<statement>", ...}: statements built in Python
// Prints one JSON object: {"<file or name>": [{"severity", "message", "line", "character"}, ...]}.
import { readFileSync } from "node:fs";
import { lintCypherQuery, testData } from "@neo4j-cypher/language-support";

const schema = {
  functions: testData.mockSchema.functions,
  procedures: testData.mockSchema.procedures,
};
const statements =
  process.argv[2] === "--json"
    ? JSON.parse(readFileSync(0, "utf8"))
    : Object.fromEntries(process.argv.slice(2).map((file) => [file, readFileSync(file, "utf8")]));

const results = {};
for (const [name, text] of Object.entries(statements)) {
  const { diagnostics } = lintCypherQuery(text, schema);
  results[name] = diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    line: d.range.start.line + 1,
    character: d.range.start.character + 1,
  }));
}
process.stdout.write(JSON.stringify(results));
