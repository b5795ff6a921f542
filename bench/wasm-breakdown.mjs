// Where a .wasm's bytes go, by crate, from the module's sections and its `name` section (function
// and data-segment names; the reader is scripts/wasm-sections.mjs), no external tool. The shipped
// .wasm has its names stripped by wasm-opt, so the breakdown reads the named original that
// scripts/optimise-wasm keeps as target/wasm-names/<sha256 of the shipped file>.wasm (the
// wasm-bindgen output, before wasm-opt).
//   node bench/wasm-breakdown.mjs pkg/cognito_wasm_browser_bg.wasm [--top 3]
//
// A function's bytes are its code-section entry (body and its size prefix); a data segment's, its
// data-section entry; everything else (types, imports, exports, tables, small custom sections) is
// one "module structure" row; the name section itself is not counted. A function belongs to the
// first `crate::` in its (demangled) name: `<serde_json::de::Deserializer<R> as serde_core::de::
// Deserializer>::deserialize_struct` counts for serde_json, `<&T as core::fmt::Debug>::fmt` for core.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { parseWasm } from "../scripts/wasm-sections.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export { parseWasm };

const ESCAPES = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };
/** Rust legacy (`_ZN…E`) demangling; names that are not mangled come back unchanged. */
export function demangle(name) {
  const m = /^_?_ZN(.*)E$/.exec(name);
  if (!m) return name;
  const parts = [];
  let rest = m[1];
  while (rest.length) {
    const len = /^(\d+)/.exec(rest);
    if (!len) return name;
    rest = rest.slice(len[1].length);
    let part = rest.slice(0, Number(len[1]));
    rest = rest.slice(Number(len[1]));
    if (part.startsWith("_$")) part = part.slice(1);
    part = part
      .replace(/\$([A-Z]+)\$/g, (s, k) => ESCAPES[k] ?? s)
      .replace(/\$u([0-9a-f]+)\$/g, (_, h) => String.fromCodePoint(parseInt(h, 16)))
      .replaceAll("..", "::");
    parts.push(part);
  }
  return parts.join("::");
}

/** The name without its hash suffix (`::h0123…`) and crate disambiguators (`dlmalloc[e24a…]`). */
export const baseName = (name) => demangle(name).replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{8,}\]/g, "");

/** The crate a function belongs to: the first `ident::` of its name, else a bucket by shape. */
export function crateOf(name) {
  const m = /([A-Za-z_][A-Za-z0-9_]*)::/.exec(name);
  if (m) return m[1];
  if (/^<(\[|&|\*)?(str|char|bool|[iu](8|16|32|64|128|size)|f32|f64)\b/.test(name)) return "core";
  if (/^__wbg_|^__wbindgen|^__externref/.test(name)) return "wasm_bindgen";
  if (/^(mem(cpy|set|move|cmp)|__[a-z]+\d*[a-z]*\d*)$/.test(name)) return "compiler_builtins";
  return "(no path: exports, shims)";
}

/** For the project's own crates (cognito_wasm*): the module of a function, `client` or
 *  `js::panic::guard` (lower-case path segments, two levels, three under `js`); else null. */
export function moduleOf(name, crate) {
  if (!crate.startsWith("cognito_wasm")) return null;
  const m = new RegExp(`${crate}((?:::[a-z_][a-z0-9_]*)*)`).exec(name);
  const segments = (m?.[1] ?? "").split("::").filter(Boolean);
  const depth = segments[0] === "js" ? 3 : 2;
  return `${crate}::${segments.slice(0, depth).join("::") || "(root)"}`;
}

const STRUCTURE = "(module structure: types, imports, exports, tables)";

/** Breakdown of a named module: {total, names, crates: [{crate, bytes, functions, items: [{name, copies, bytes}]}]}. */
export function breakdown(bytes) {
  const w = parseWasm(bytes);
  const namesSize = w.sections.filter((s) => s.name === "name").reduce((a, s) => a + s.size, 0);
  if (!namesSize) throw new Error("the module has no name section");
  const crates = new Map();
  const add = (crate, name, size) => {
    let c = crates.get(crate);
    if (!c) crates.set(crate, (c = { crate, bytes: 0, functions: 0, items: new Map() }));
    c.bytes += size;
    c.functions++;
    const item = c.items.get(name) ?? { name, copies: 0, bytes: 0 };
    item.copies++;
    item.bytes += size;
    c.items.set(name, item);
  };
  const modules = new Map();
  for (const f of w.functions) {
    const name = baseName(w.functionNames.get(f.index) ?? `function[${f.index}]`);
    const crate = crateOf(name);
    add(crate, name, f.size);
    const module = moduleOf(name, crate);
    if (module) modules.set(module, (modules.get(module) ?? 0) + f.size);
  }
  for (const s of w.segments) {
    const name = w.segmentNames.get(s.index) ?? `segment[${s.index}]`;
    add(`data ${name}`, name, s.size);
  }
  const counted = w.functions.reduce((a, f) => a + f.size, 0) + w.segments.reduce((a, s) => a + s.size, 0);
  const total = bytes.length - namesSize;
  const structure = total - counted;
  crates.set(STRUCTURE, { crate: STRUCTURE, bytes: structure, functions: 0, items: new Map() });
  const list = [...crates.values()]
    .map((c) => ({ ...c, items: [...c.items.values()].sort((a, b) => b.bytes - a.bytes) }))
    .sort((a, b) => b.bytes - a.bytes);
  const byModule = [...modules].map(([module, size]) => ({ module, bytes: size })).sort((a, b) => b.bytes - a.bytes);
  return { total, names: namesSize, functions: w.functions.length, crates: list, modules: byModule };
}

/** The named original of a shipped .wasm (scripts/optimise-wasm), or null. */
export function namedOriginal(shipped) {
  const hash = createHash("sha256").update(readFileSync(shipped)).digest("hex");
  const path = join(root, "target/wasm-names", `${hash}.wasm`);
  return existsSync(path) ? path : null;
}

const kb = (b) => (b / 1000).toFixed(1) + " KB";
const short = (s, n = 90) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

/** Markdown lines: one table per shipped .wasm; crates under `minBytes` folded into one row. */
export function formatBreakdown(shippedFiles, { top = 3, minBytes = 2000 } = {}) {
  const lines = [];
  for (const shipped of shippedFiles) {
    const named = namedOriginal(shipped);
    const raw = readFileSync(shipped);
    const label = shipped.startsWith(root) ? shipped.slice(root.length + 1) : shipped;
    if (!named) {
      lines.push(`${label}: no named original in target/wasm-names (build it with scripts/build-pkg, which keeps one)`, "");
      continue;
    }
    const b = breakdown(readFileSync(named));
    lines.push(`${label}: ${kb(b.total)} before wasm-opt (name section of ${kb(b.names)} not counted; ${b.functions} functions) → ` +
      `${kb(raw.length)} after wasm-opt -Oz (${((1 - raw.length / b.total) * 100).toFixed(0)}% less) → ${kb(gzipSync(raw, { level: 9 }).length)} gzip -9`, "");
    lines.push("| crate | bytes before wasm-opt | share | functions | largest items (copies × , bytes) |", "| --- | --- | --- | --- | --- |");
    let rest = { bytes: 0, crates: 0, functions: 0 };
    for (const c of b.crates) {
      if (c.bytes < minBytes && c.crate !== STRUCTURE) {
        rest.bytes += c.bytes; rest.crates++; rest.functions += c.functions;
        continue;
      }
      const items = c.items.slice(0, top)
        .map((i) => `${short(i.name)}${i.copies > 1 ? ` ×${i.copies}` : ""} ${kb(i.bytes)}`).join("; ");
      lines.push(`| ${c.crate} | ${kb(c.bytes)} | ${((c.bytes / b.total) * 100).toFixed(1)}% | ${c.functions || ""} | ${items} |`);
      for (const m of b.modules.filter((x) => x.module.startsWith(`${c.crate}::`) && x.bytes >= minBytes).slice(0, 8)) {
        lines.push(`| ↳ ${m.module.slice(c.crate.length + 2)} | ${kb(m.bytes)} | ${((m.bytes / b.total) * 100).toFixed(1)}% | | |`);
      }
    }
    if (rest.crates) lines.push(`| ${rest.crates} crates under ${kb(minBytes)} | ${kb(rest.bytes)} | ${((rest.bytes / b.total) * 100).toFixed(1)}% | ${rest.functions} | |`);
    lines.push("");
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--top");
  const files = process.argv.slice(2).filter((a, k, all) => a !== "--top" && all[k - 1] !== "--top");
  console.log(formatBreakdown(files.map((f) => resolve(f)), { top: i > 0 ? Number(process.argv[i + 1]) : 3 }).join("\n"));
}
