// The crate's default build (pkg/cognito_wasm.js, and the wasm test suites' build: the same
// features) bundles at most four JS snippet files: wasm-bindgen-test-runner's page in Chromium
// asks for each snippet at once, and five stalled one run in three (scripts/wasm-test-runner).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

test("the default build's JS snippets are at most four files", () => {
  const glue = readFileSync(new URL("../../pkg/cognito_wasm.js", import.meta.url), "utf8");
  const snippets = glue.match(/^\/\/ src\/js\/[\w-]+\.js$/gm) ?? [];
  assert.ok(snippets.length >= 1, "pkg/cognito_wasm.js names no snippet (scripts/pkg-entries.mjs changed?)");
  assert.ok(snippets.length <= 4, `five or more snippet files: ${snippets.join(", ")}`);
});
