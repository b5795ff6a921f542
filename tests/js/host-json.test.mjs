// The browser modules' readers (src/js/host_json.js, feature `host-json`): the JSON tape that
// src/js/host_json.rs turns into the core's value tree, and what it refuses; a JWT part's text,
// which must answer as the core's `jwt::part_text` (b64::decode_url, then text::utf8); and the
// host's JSON.stringify of a string, which src/js/host_json.rs registers as the core's string
// writer (`json::HostQuoter`) and must write what `json::write_string` writes (serde_json's
// escapes: tests/json_differential.rs checks the core's writer against serde_json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tape, text } from "../../src/js/host_json.js";

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

test("a JWT part's text: base64url without padding, canonical, UTF-8", () => {
  const url = (s) => Buffer.from(s).toString("base64url");
  assert.equal(text("e30"), "{}");
  assert.equal(text(""), "");
  assert.equal(text(url('{"sub":"u1","s":"x\u{1F600}"}')), '{"sub":"u1","s":"x\u{1F600}"}');
  assert.equal(text(url("\uFEFF{}")), "\uFEFF{}", "a byte-order mark is kept, as text::utf8 keeps it");
  assert.equal(text(Buffer.from([0xff]).toString("base64url")), 2, "not UTF-8");
  assert.equal(text(Buffer.from([0xed, 0xa0, 0x80]).toString("base64url")), 2, "a surrogate is not UTF-8");
  for (const refused of ["e3 0", "e30=", "e3=0", "e31", "e+8", "e/8", "a", "abcde", "é30", "e30\n"]) {
    assert.equal(text(refused), 1, JSON.stringify(refused));
  }
});

test("a JWT part's text against Buffer's base64url decoder on generated parts", () => {
  // The same rules from other primitives: the alphabet, no 4k+1 length, the bytes re-encoding
  // to the part (canonical last symbol), then a fatal UTF-8 decode.
  const reference = (part) => {
    if (!/^[A-Za-z0-9_-]*$/.test(part) || part.length % 4 === 1) return 1;
    const bytes = Buffer.from(part, "base64url");
    if (bytes.toString("base64url") !== part) return 1;
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return 2;
    }
  };
  let seed = 0x9e3779b9;
  const next = (n) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .é";
  for (let i = 0; i < 5000; i++) {
    let part;
    if (next(2)) {
      const bytes = Buffer.from(Array.from({ length: next(12) }, () => (next(3) ? 0x20 + next(0x5f) : next(256))));
      part = bytes.toString("base64url");
    } else {
      part = Array.from({ length: next(10) }, () => symbols[next(next(4) ? 64 : symbols.length)]).join("");
    }
    assert.deepEqual(text(part), reference(part), JSON.stringify(part));
  }
});

test("JSON.stringify of a string writes the core's write_string escapes", () => {
  // write_string: `"` and `\` escaped, U+0008 U+000C U+000A U+000D U+0009 as \b \f \n \r \t,
  // the other controls as \u00xx (lower-case hex), everything else as is.
  const short = { 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x22: '\\"', 0x5c: "\\\\" };
  const expected = (c) => short[c] ?? (c < 0x20 ? "\\u00" + c.toString(16).padStart(2, "0") : String.fromCodePoint(c));
  for (let c = 0; c < 0x3000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // no lone surrogate comes from a Rust &str
    assert.equal(JSON.stringify(String.fromCodePoint(c)), `"${expected(c)}"`, `U+${c.toString(16)}`);
  }
  for (const c of [0x2028, 0x2029, 0xfeff, 0xffff, 0x1f600, 0x10ffff]) assert.equal(JSON.stringify(String.fromCodePoint(c)), `"${String.fromCodePoint(c)}"`);
  assert.equal(JSON.stringify('a"b\\c\u0001\u007f\u00e9'), '"a\\"b\\\\c\\u0001\u007f\u00e9"');
});
