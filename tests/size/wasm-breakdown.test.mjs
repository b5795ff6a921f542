// The reader behind bench/run's breakdown of each .wasm by crate (bench/wasm-breakdown.mjs), on a
// module assembled here byte by byte: sections, code and data sizes, the name section, crates.
import assert from "node:assert/strict";
import { test } from "node:test";
import { baseName, breakdown, crateOf, demangle, parseWasm } from "../../bench/wasm-breakdown.mjs";

const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
const str = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const vec = (items) => [...leb(items.length), ...items.flat()];

function module() {
  const nop = (n) => Array(n).fill(0x01);
  const bodies = [[0x00, 0x0b], [0x00, ...nop(10), 0x0b], [0x00, ...nop(200), 0x0b]]; // 2-, 12- and 202-byte bodies
  const names = [[0, "imported"], [1, "serde_json::de::from_str::h0123456789abcdef"],
    [2, "serde_json::de::from_str::hfedcba9876543210"], [3, "<&T as core::fmt::Debug>::fmt::h00000000000000aa"]];
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 0x00, 0x00]])),
    ...section(2, vec([[...str("env"), ...str("f"), 0x00, 0x00]])),
    ...section(3, vec([[0x00], [0x00], [0x00]])),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(10, vec(bodies.map((b) => [...leb(b.length), ...b]))),
    ...section(11, vec([[0x00, 0x41, 0x08, 0x0b, ...str("hello")]])),
    ...section(0, [...str("name"),
      ...section(1, vec(names.map(([i, n]) => [...leb(i), ...str(n)]))),
      ...section(9, vec([[0x00, ...str(".rodata")]]))]),
  ]);
}

test("sections, function bodies, data segments and names", () => {
  const w = parseWasm(module());
  assert.deepEqual(w.sections.map((s) => s.id), [1, 2, 3, 5, 10, 11, 0]);
  assert.deepEqual(w.functions.map((f) => [f.index, f.size]), [[1, 3], [2, 13], [3, 204]], "indices after the import; size prefix included");
  assert.deepEqual(w.segments.map((s) => s.size), [10]);
  assert.equal(w.functionNames.get(3), "<&T as core::fmt::Debug>::fmt::h00000000000000aa");
  assert.equal(w.segmentNames.get(0), ".rodata");
});

test("bytes by crate: copies of one generic function together, data and structure apart, names not counted", () => {
  const bytes = module();
  const b = breakdown(bytes);
  const by = Object.fromEntries(b.crates.map((c) => [c.crate, c]));
  assert.equal(by.core.bytes, 204);
  assert.equal(by.serde_json.bytes, 16);
  assert.deepEqual(by.serde_json.items, [{ name: "serde_json::de::from_str", copies: 2, bytes: 16 }]);
  assert.equal(by["data .rodata"].bytes, 10);
  const names = parseWasm(bytes).sections.find((s) => s.name === "name").size;
  assert.equal(b.total, bytes.length - names);
  assert.equal(b.crates.reduce((s, c) => s + c.bytes, 0), b.total, "every byte but the names is in one row");
  assert.deepEqual(b.crates.map((c) => c.crate).slice(0, 2), ["core", "(module structure: types, imports, exports, tables)"]);
});

test("names: legacy demangling, hashes and disambiguators dropped, the crate of a trait impl", () => {
  const mangle = (...parts) => `_ZN${parts.map((p) => `${p.length}${p}`).join("")}E`;
  assert.equal(baseName(mangle("core", "fmt", "Formatter", "pad", "h0123456789abcdef")), "core::fmt::Formatter::pad");
  const impl = mangle("_$LT$serde_json..de..Deserializer$LT$R$GT$$u20$as$u20$serde..Deserializer$GT$", "deserialize_struct", "h0123456789abcdef");
  assert.equal(demangle(impl), "<serde_json::de::Deserializer<R> as serde::Deserializer>::deserialize_struct::h0123456789abcdef");
  assert.equal(crateOf(baseName(impl)), "serde_json");
  assert.equal(baseName("<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc<A>>::malloc"), "<dlmalloc::dlmalloc::Dlmalloc<A>>::malloc");
  assert.equal(crateOf("<char>::escape_debug_ext"), "core");
  assert.equal(crateOf("__wbindgen_malloc"), "wasm_bindgen");
  assert.equal(crateOf("memcpy"), "compiler_builtins");
  assert.equal(crateOf("cognitoauth_signIn"), "(no path: exports, shims)");
  assert.throws(() => breakdown(Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])), /no name section/);
});
