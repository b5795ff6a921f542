// The browser modules' JSON reader (src/js/host_json.js, feature `host-json`): the tape that
// src/js/host_json.rs turns into the core's value tree, and what it refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tape } from "../../src/js/host_json.js";

test("each value in document order as its tag and data", () => {
  assert.deepEqual(tape('{"a":[1,2.5e3,-0,true,false,null],"b":{"c":"\\u00e9"},"a":"last"}', 128), [
    6, 2,
    "a", 4, "last", // a duplicate key: the last value, at the first key's place (JSON.parse)
    "b", 6, 1, "c", 4, "é",
  ]);
  assert.deepEqual(tape("[1,2.5e3,-0,true,false,null]", 128), [5, 6, 3, "1", 3, "2500", 3, "0", 1, 2, 0]);
  assert.deepEqual(tape(' "x" ', 128), [4, "x"]);
  assert.deepEqual(tape("{}", 128), [6, 0]);
});

test("nesting up to max, numbers within f64, JSON only", () => {
  const nested = (n) => "[".repeat(n) + "]".repeat(n);
  assert.equal(tape(nested(128), 128).length, 256);
  assert.throws(() => tape(nested(129), 128), (e) => e === 1);
  assert.throws(() => tape("1e400", 128), (e) => e === 2);
  assert.throws(() => tape("{'a':1}", 128), SyntaxError);
  assert.throws(() => tape("[1,]", 128), SyntaxError);
  assert.throws(() => tape("", 128), SyntaxError);
});
