// Adds the runtime entry points to the wasm-pack output and points package.json's conditional
// `exports` at them, so one install works in every bundler and browser, Node and Workers.
// pkg/ holds seven builds of the crate (scripts/build-pkg): the full one (`cognito_wasm*`) and six
// browser ones without the Workers side (no CognitoWorkerAuth, CookieJar, KvStorage), each a
// superset of the one before for the objects that may live in both: `cognito_wasm_restore*`, `cognito_wasm_session*`,
// `cognito_wasm_signin_plain*`, `cognito_wasm_signin*`, `cognito_wasm_signup*` and the full
// browser module `cognito_wasm_browser*` (docs/design/weight.md); restore and signin_plain take
// plain options only.
//   browser.js  starts fetching the first module's .wasm when its first object is made (or at the
//               end of the task that imported it); the classes wait for it, and each method runs
//               in the lowest module that has it (read from the six .d.ts) and the object may live
//               in, loaded on its first call
//   node.js     reads the full .wasm from disk and instantiates it synchronously (ESM)
//   node.cjs    the same for `require` (one file, glue included)
//   workerd.js  imports the full .wasm as a compiled module (Workers' CompiledWasm)
//   edge.js     the same through `?module` (Next.js middleware, the "edge-light" condition)
//   cognito-wasm/raw, cognito-wasm/raw-browser  the bare wasm-bindgen modules, for explicit init
//   loader-paths.js  the load's rarer paths and their messages, which browser.js imports when a
//               load takes one (the server entries bundle it)
// Each entry is scripts/pkg-src/<entry>.js + the loader (scripts/pkg-src/loader.js) + one
// `lazyClass` (`tieredClass` in browsers) per class of the glue, whose method lists are read from
// the glue's .d.ts, + the plain JS storage classes (scripts/pkg-src/storages.js); bundled
// with esbuild, the glue kept external (the CommonJS entry includes it).
// The crate's JS snippets (wasm-bindgen's `snippets/`) are bundled into each glue; pkg/snippets/ goes.
// No entry has top-level await. The glue's default `new URL('…_bg.wasm', import.meta.url)` is
// removed (bundlers would publish the unused .wasm), and its `[Symbol.dispose]` typings become
// an interface merge that needs no `esnext.disposable` lib.
// What pages download is minified: browser.js and the six browser glues (esbuild; export names
// kept), whose imports (and the five lower modules' exports) also get short names in glue and
// .wasm alike, and browser.js's own properties (LOADER_PROPS); no source maps. The Node and
// workerd entries and the full glue stay readable.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ROUTED } from "./pkg-src/call-tiers.js";

const dir = process.argv[2] ?? "pkg";
const src = join(dirname(fileURLToPath(import.meta.url)), "pkg-src");
const crateRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = join(dirname(fileURLToPath(import.meta.url)), "..", "target", "pkg-entries");
mkdirSync(work, { recursive: true });

const full = { name: "cognito_wasm" };
// The browser modules, lowest first (the order of scripts/pkg-src/browser.js's `tiers`), and
// which take plain options only (./pkg-src/first-module.js's PLAIN_ONLY: those without the cargo
// feature `session`).
const tiers = ["restore", "session", "signin_plain", "signin", "signup", "browser"].map((tier) => ({ name: `cognito_wasm_${tier}` }));
const PLAIN_ONLY = ["cognito_wasm_restore", "cognito_wasm_signin_plain"];
for (const t of tiers) t.plain = PLAIN_ONLY.includes(t.name);
const browser = tiers[tiers.length - 1];
// Each browser module's cargo features, from scripts/build-pkg's `browser_builds` (the arguments
// after the output folder: "<name> <features,…>" each).
for (const build of process.argv.slice(3)) {
  const [name, features = ""] = build.trim().split(/\s+/);
  const tier = tiers.find((t) => t.name === name);
  if (!tier) throw new Error(`scripts/pkg-entries.mjs: ${name} is not a browser module of the package`);
  tier.features = features.split(",").filter(Boolean);
}
if (tiers.some((t) => !t.features)) throw new Error("scripts/pkg-entries.mjs: pass each browser build as \"<name> <features>\" (scripts/build-pkg)");
const builtOrder = process.argv.slice(3).map((build) => build.trim().split(/\s+/)[0]);
if (builtOrder.join() !== tiers.map((t) => t.name).join()) throw new Error(`scripts/pkg-entries.mjs: the browser builds must come lowest first, as ${tiers.map((t) => t.name).join(", ")}`);
// A module that takes every option is built with `session` (a plain-only one is built without it).
for (const t of tiers) {
  if (!t.plain && !t.features.includes("session")) throw new Error(`scripts/pkg-entries.mjs: ${t.name} takes every option: build it with the feature session`);
}
/** Each cargo feature → the lowest browser module built with it (for the calls of ./pkg-src/call-tiers.js). */
const featureTiers = {};
tiers.forEach((t, i) => t.features.forEach((feature) => (featureTiers[feature] ??= i)));
for (const feature of ROUTED) {
  if (featureTiers[feature] === undefined) throw new Error(`scripts/pkg-entries.mjs: no browser module has the feature ${feature} that scripts/pkg-src/call-tiers.js routes to`);
}

/** Removes the glue's default .wasm URL; fails the build if wasm-bindgen's text changed. */
function neutraliseGlue({ name }) {
  const path = join(dir, `${name}.js`);
  const text = readFileSync(path, "utf8");
  const pattern = `module_or_path = new URL('${name}_bg.wasm', import.meta.url);`;
  if (!text.includes(pattern)) {
    if (text.includes("import.meta.url")) throw new Error(`${path}: the glue's default .wasm URL changed; update scripts/pkg-entries.mjs`);
    return; // already neutralised (a second run)
  }
  const replacement =
    'throw new TypeError("cognito-wasm/raw: pass the .wasm to init() (its URL, a Response, its bytes or a WebAssembly.Module)");';
  writeFileSync(path, text.replace(pattern, replacement));
}

/**
 * A lower browser module's glue without wasm-bindgen's fallbacks for runtimes that cannot compile
 * its .wasm anyway (reference types, multi-value and SIMD: Chrome 91, Firefox 89, Safari 16.4,
 * Node 20 and later have both): TextEncoder's `encodeInto` polyfill and the stand-in for a
 * missing FinalizationRegistry; and passStringToWasm0's path without `realloc`, which no call
 * takes. The build fails if the glue has either fallback, or a call without `realloc`, in another form.
 */
function dropDeadFallbacks({ name }) {
  const path = join(dir, `${name}.js`);
  let text = readFileSync(path, "utf8");
  const polyfill = `if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
`;
  const standIn = "(typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : new FinalizationRegistry(";
  const noRealloc = `    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

`;
  text = text.split(polyfill).join("").split(standIn).join("new FinalizationRegistry(");
  const calls = text.split("passStringToWasm0(").length - 2; // the definition is one
  const withRealloc = text.split("passStringToWasm0(").slice(1).filter((rest) => /^[\w.]+, wasm\.__wbindgen_malloc, wasm\.__wbindgen_realloc\)/.test(rest)).length;
  const reallocated = calls >= 0 && withRealloc === calls; // every call passes `realloc`
  if (reallocated) text = text.replace(noRealloc, "");
  if (text.includes("'encodeInto' in") || text.includes("typeof FinalizationRegistry") || (reallocated && text.includes("realloc === undefined"))) {
    throw new Error(`${path}: wasm-bindgen's fallbacks changed; update scripts/pkg-entries.mjs`);
  }
  writeFileSync(path, text);
}

/**
 * The glue's declarations, with `[Symbol.dispose]()` (TS2550 without the esnext.disposable lib)
 * declared through the global `Disposable` interface instead: empty unless that lib is loaded.
 */
function processTypes({ name }) {
  const path = join(dir, `${name}.d.ts`);
  let text = readFileSync(path, "utf8").replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
  const classes = [...text.matchAll(/^export class (\w+) \{/gm)].map((m) => m[1]);
  if (!text.includes("interface Disposable {}")) {
    const merges = classes.map((c) => `export interface ${c} extends Disposable {}`).join("\n");
    text += `\ndeclare global {\n    /** Declared by TypeScript's esnext.disposable lib; empty without it. */\n    interface Disposable {}\n}\n${merges}\n`;
  }
  writeFileSync(path, text);
  return text;
}

/** The API surface: each class's members by kind, from the .d.ts (class and interface merges). */
function apiOf(types) {
  const classes = new Map();
  const blocks = types.matchAll(/^export (class|interface) (\w+)(?: extends \w+)? \{\n([\s\S]*?)^\}/gm);
  const bodies = [];
  for (const [, kind, name, body] of blocks) {
    if (kind === "class") classes.set(name, { async: [], sync: [], deferred: [], getters: [] });
    bodies.push([name, body]);
  }
  for (const [name, body] of bodies) {
    const api = classes.get(name);
    if (!api) continue;
    const members = body.replace(/\/\*[\s\S]*?\*\//g, "").split(";").map((m) => m.replace(/\s+/g, " ").trim()).filter(Boolean);
    for (const member of members) {
      const getter = /^readonly (\w+)\??:/.exec(member);
      if (getter) {
        api.getters.push(getter[1]);
        continue;
      }
      // `name(…)` or a generic `name<T …>(…)`.
      const method = /^(\w+)(?:<[^()]*>)?\(/.exec(member);
      if (!method) throw new Error(`${name}: a member the loader cannot forward yet: ${member}`);
      if (method[1] === "constructor" || method[1] === "free") continue;
      let depth = 0;
      let end = method[0].length - 1;
      for (; end < member.length; end++) {
        if (member[end] === "(") depth++;
        if (member[end] === ")" && --depth === 0) break;
      }
      const returns = member.slice(end + 1).replace(/^:\s*/, "");
      if (returns.startsWith("Promise<")) api.async.push(method[1]);
      else if (returns.startsWith("(") && returns.includes("=>")) api.deferred.push(method[1]);
      else api.sync.push(method[1]);
    }
  }
  if (classes.size === 0) throw new Error("no classes found in the glue's .d.ts");
  return classes;
}

/**
 * Each declaration of a glue's .d.ts that the browser entry's one .d.ts (the full module's) stands
 * for in every module: its classes' members (`Class.member`, doc comment included) and its
 * exported interfaces and types (not the init section's, which are each glue's own).
 */
function declarations(types) {
  const found = new Map();
  for (const [, name, body] of types.matchAll(/^export (?:class|interface) (\w+)(?: extends \w+)? \{\n([\s\S]*?)^\}/gm)) {
    for (const member of body.split(/(?<=;\n)/)) {
      const declared = /^\s*(?:readonly\s+)?(\w+)/.exec(member.replace(/\/\*[\s\S]*?\*\//g, ""))?.[1];
      if (declared) found.set(`${name}.${declared}`, member);
    }
  }
  // (A blank line after the text: its last declaration ends there too.)
  for (const [text, name] of `${types}\n`.matchAll(/^export (?:interface|type) (\w+)\b[\s\S]*?\n(?=\n|\/\*\*|export )/gm)) {
    if (!/^(InitOutput|InitInput|SyncInitInput)$/.test(name)) found.set(name, text);
  }
  return found;
}

/**
 * Fails the build when a declaration shared by two browser modules differs between their .d.ts:
 * the loader takes each member's module from them by name, and pages see one declaration.
 */
function checkSameDeclarations(types) {
  const seen = new Map(); // key → [module, text]
  types.forEach((text, i) => {
    for (const [key, declared] of declarations(text)) {
      const first = seen.get(key);
      if (!first) seen.set(key, [tiers[i].name, declared]);
      else if (first[1] !== declared) throw new Error(`scripts/pkg-entries.mjs: ${key} is declared differently in ${first[0]}.d.ts and ${tiers[i].name}.d.ts; a member shared by browser modules must be declared byte-identically in each`);
    }
  });
  if (seen.size === 0) throw new Error("scripts/pkg-entries.mjs: no declarations found in the browser modules' .d.ts");
}

/** The entry's declarations: the glue's API (not its init functions), the storage classes' and the loader's. */
function entryTypes(types) {
  const cut = types.search(/^(declare function __wbg_|export type InitInput)/m);
  if (cut < 0) throw new Error("the glue's .d.ts has no init section");
  const api = types.slice(0, cut).trimEnd();
  const tail = types.slice(types.indexOf("declare global {")); // the Disposable merges
  const own = ["storages.d.ts", "loader.d.ts"].map((file) => readFileSync(join(src, file), "utf8")).join("");
  return `// Generated by scripts/pkg-entries.mjs.\n${api}\n\n${tail}${own}`;
}

/** The member `preload()` moves to: signIn's module (CognitoAuth only). */
const PRELOAD = { CognitoAuth: "signIn" };

function classesSource(api) {
  const lines = ['import { lazyClass } from "./loader.js";'];
  for (const [name, spec] of api) {
    const withPreload = PRELOAD[name] ? { ...spec, preload: 0 } : spec;
    lines.push(`export const ${name} = /* @__PURE__ */ lazyClass(main, ${JSON.stringify(name)}, ${JSON.stringify(withPreload)});`);
  }
  return lines.join("\n") + "\n";
}

/**
 * The browser entry's classes over the tiers: each class and member at the lowest tier whose
 * .d.ts has it (`apis` lowest first), so a method lands wherever its cargo feature puts it; a
 * call that needs more by its arguments (./pkg-src/call-tiers.js) goes to the lowest tier built
 * with the feature it needs; an object that is not plain (`plainFor`, browser.js: the options the
 * plain-only modules refuse) never lives in a plain-only module, nor does any object of a class
 * (`rich`) that first appears in a module that takes every option, or that a plain-only module
 * above that lacks (CookieStorage).
 */
function tieredSource(apis) {
  const routed = Object.fromEntries(ROUTED.map((feature) => [feature, featureTiers[feature]]));
  const lines = [
    'import { tieredClass } from "./loader.js";',
    'import { tierFor } from "./call-tiers.js";',
    `const needs = (name, member, args) => tierFor(${JSON.stringify(routed)}, name, member, args);`,
  ];
  const topApi = apis[apis.length - 1];
  const lowest = (has) => apis.findIndex(has);
  for (const [name, spec] of topApi) {
    const tiered = { level: lowest((api) => api.has(name)), async: {}, sync: {}, deferred: {}, getters: {} };
    if (!tiers[tiered.level].plain || tiers.some((t, i) => t.plain && i > tiered.level && !apis[i].has(name))) tiered.rich = 1;
    for (const kind of ["async", "sync", "deferred", "getters"]) {
      for (const member of spec[kind]) tiered[kind][member] = lowest((api) => api.get(name)?.[kind].includes(member));
    }
    if (PRELOAD[name]) tiered.preload = tiered.async[PRELOAD[name]];
    // Unquoted keys: the loader's own (LOADER_PROPS, shortened); the members' names stay quoted.
    const table = `{${Object.entries(tiered).map(([key, value]) => `${key}:${JSON.stringify(value)}`).join(",")}}`;
    lines.push(`export const ${name} = /* @__PURE__ */ tieredClass(tiers, ${JSON.stringify(name)}, ${table}, first, needs, plainFor);`);
  }
  return lines.join("\n") + "\n";
}

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    if (byte === undefined || shift > 28) throw new Error("malformed LEB128 in a .wasm");
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
  }
}
/** `value` as unsigned LEB128 bytes. */
function toLeb(value) {
  const out = [];
  do {
    out.push((value & 0x7f) | (value >= 0x80 ? 0x80 : 0));
    value = Math.floor(value / 128);
  } while (value > 0);
  return out;
}
/** A wasm name: its UTF-8 length, then its bytes. */
const nameBytes = (text) => [...toLeb(Buffer.byteLength(text)), ...Buffer.from(text)];

/** The length of an import's descriptor at `at` (function, table, memory, global, tag). */
function descriptorEnd(bytes, at) {
  const limits = (i) => {
    const flags = bytes[i];
    let [, next] = leb(bytes, i + 1);
    if (flags & 1) [, next] = leb(bytes, next);
    return next;
  };
  switch (bytes[at]) {
    case 0x00: return leb(bytes, at + 1)[1];
    case 0x01: return limits(at + 2);
    case 0x02: return limits(at + 1);
    case 0x03: return at + 3;
    case 0x04: return leb(bytes, at + 2)[1];
    default: throw new Error(`an import descriptor the build cannot read (kind ${bytes[at]})`);
  }
}

/** Short, distinct JS identifiers: a … z, A … Z, then a0 …. */
const shortName = (i) => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 52] + (i >= 52 ? String(Math.floor(i / 52) - 1) : "");

/**
 * The .wasm at `wasmPath` with each import `rename(module, field)` answers `[module, field]` for
 * renamed (the others kept as they are): `renamed` lists them as [old module, old field, new
 * module, new field] in import order, and `write()` writes the new bytes (nothing to write when
 * none is renamed). Keeps the .wasm's named original findable by the new hash (target/wasm-names,
 * scripts/optimise-wasm). Throws if the import section does not parse.
 */
function renameImports(wasmPath, rename) {
  const bytes = readFileSync(wasmPath);
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    if (id !== 2) {
      at = body + size;
      continue;
    }
    let [count, i] = leb(bytes, body);
    const entries = [];
    const renamed = [];
    for (let n = 0; n < count; n++) {
      const [moduleLength, moduleAt] = leb(bytes, i);
      const importModule = bytes.subarray(moduleAt, moduleAt + moduleLength).toString();
      const [fieldLength, fieldAt] = leb(bytes, moduleAt + moduleLength);
      const field = bytes.subarray(fieldAt, fieldAt + fieldLength).toString();
      const end = descriptorEnd(bytes, fieldAt + fieldLength);
      const to = rename(importModule, field);
      if (to) {
        renamed.push([importModule, field, ...to]);
        entries.push([...nameBytes(to[0]), ...nameBytes(to[1]), ...bytes.subarray(fieldAt + fieldLength, end)]);
      } else {
        entries.push([...bytes.subarray(i, end)]);
      }
      i = end;
    }
    if (i !== body + size) throw new Error(`${wasmPath}: the import section did not parse to its end`);
    const section = [...toLeb(count), ...entries.flat()];
    const write = () => {
      const out = Buffer.concat([bytes.subarray(0, at), Buffer.from([2, ...toLeb(section.length), ...section]), bytes.subarray(body + size)]);
      keepNames(bytes, out);
      writeFileSync(wasmPath, out);
    };
    return { renamed, write };
  }
  return { renamed: [], write() {} };
}

/**
 * wasm-bindgen imports a snippet's functions that need no glue code (externrefs in and out) from
 * the snippet's module itself: one `import * as importN` and one key of the import object per
 * function, each the snippet's long path (duplicate keys). Those imports become the glue's own
 * (module `./<name>_bg.js`, field `__snippet_<function>`: one key each of the glue's import
 * object, bound to the function), so shortenImports shortens them like the others. The build fails
 * if the glue does not have the expected shape.
 */
function snippetImportsToGlue({ name }) {
  const wasmPath = join(dir, `${name}_bg.wasm`);
  const gluePath = join(dir, `${name}.js`);
  const module = `./${name}_bg.js`;
  let glue = readFileSync(gluePath, "utf8");
  const { renamed, write } = renameImports(wasmPath, (importModule, field) => {
    if (!importModule.startsWith("./snippets/")) return undefined;
    if (!/^[A-Za-z_$][\w$]*$/.test(field)) throw new Error(`${wasmPath}: snippet import ${field} is not an identifier`);
    return [module, `__snippet_${field}`];
  });
  const moved = new Map(renamed.map(([importModule, field]) => [field, importModule])); // field → snippet path
  if (moved.size === 0) return;
  const namespaces = new Set(moved.values());
  glue = glue.replace(/^import \* as (import\d+) from "(\.\/snippets\/[^"]+)";?\n/gm, (line, _, path) => {
    if (!namespaces.has(path)) throw new Error(`${gluePath}: ${line.trim()} imports a snippet the .wasm does not`);
    return "";
  });
  glue = glue.replace(/^ {8}"(\.\/snippets\/[^"]+)": import\d+,\n/gm, (line, path) => {
    if (!namespaces.has(path)) throw new Error(`${gluePath}: ${line.trim()} is a snippet the .wasm does not import`);
    return "";
  });
  if (/import\d+/.test(glue.replace(/\bimport0\b/g, ""))) throw new Error(`${gluePath}: a snippet namespace is still used; update scripts/pkg-entries.mjs`);
  const objectStart = "    const import0 = {\n        __proto__: null,\n";
  if (glue.split(objectStart).length !== 2) throw new Error(`${gluePath}: the glue's import object changed; update scripts/pkg-entries.mjs`);
  const keys = [...moved.keys()].map((field) => `        __snippet_${field}: __snippet_fn_${field},\n`).join("");
  glue = glue.replace(objectStart, objectStart + keys);
  const imports = [...namespaces].map((path) => {
    const fields = [...moved].filter(([, p]) => p === path).map(([field]) => `${field} as __snippet_fn_${field}`);
    return `import { ${fields.join(", ")} } from "${path}";\n`;
  });
  const firstImport = glue.indexOf("\nimport ");
  if (firstImport < 0) throw new Error(`${gluePath}: no import line; update scripts/pkg-entries.mjs`);
  glue = glue.slice(0, firstImport + 1) + imports.join("") + glue.slice(firstImport + 1);
  write();
  writeFileSync(gluePath, glue);
}

/**
 * Renames a browser module's imports from its glue (`./<name>_bg.js`, wasm-bindgen's
 * `__wbg_<function>_<16 hex digits>` names) to short ones, in the .wasm's import section and the
 * glue's import object alike; the module name becomes "w". Every name must occur exactly once in
 * the glue (its key), or the build fails.
 */
function shortenImports({ name }) {
  const wasmPath = join(dir, `${name}_bg.wasm`);
  const gluePath = join(dir, `${name}.js`);
  const module = `./${name}_bg.js`;
  let glue = readFileSync(gluePath, "utf8");
  const renames = new Map();
  const { write } = renameImports(wasmPath, (importModule, field) => {
    if (importModule !== module) return undefined;
    if (!renames.has(field)) renames.set(field, shortName(renames.size));
    return ["w", renames.get(field)];
  });
  if (renames.size === 0) return; // nothing from the glue (already shortened: a second run)
  const moduleKey = `${JSON.stringify(module)}: import0`;
  if (glue.split(moduleKey).length !== 2) throw new Error(`${gluePath}: the glue's import object changed; update scripts/pkg-entries.mjs`);
  glue = glue.replace(moduleKey, '"w": import0');
  for (const [field, short] of renames) {
    const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const key = new RegExp(String.raw`(?<![\w$])` + escaped + String.raw`(?![\w$])`, "g");
    const found = glue.match(key)?.length ?? 0;
    if (found !== 1 || !glue.includes(`        ${field}: `)) {
      throw new Error(`${gluePath}: import ${field} is not one key of the import object (${found} occurrences); update scripts/pkg-entries.mjs`);
    }
    glue = glue.replace(`        ${field}: `, `        ${short}: `);
  }
  write();
  writeFileSync(gluePath, glue);
}

/**
 * A lower browser module's glue (every one but the full one) with one way in each:
 * `default({ module_or_path })` instantiates the WebAssembly.Module the loader compiled, and
 * `initSync({ module })` a Module or its bytes; wasm-bindgen's fetching, streaming and
 * deprecated-argument paths go (the loader does those). Not the full browser glue: it is also
 * `cognito-wasm/raw-browser`, whose `init` takes everything wasm-bindgen's does.
 */
function leanInit({ name }) {
  const path = join(dir, `${name}.js`);
  const text = readFileSync(path, "utf8");
  const from = text.indexOf("async function __wbg_load(module, imports) {");
  const end = "export { initSync, __wbg_init as default };";
  if (from < 0 && !text.includes("async function __wbg_init_once(")) return; // already lean (a second run)
  if (from < 0 || !text.trimEnd().endsWith(end) || !text.includes("function __wbg_finalize_init(instance, module) {")) {
    throw new Error(`${path}: the glue's init functions changed; update scripts/pkg-entries.mjs`);
  }
  const lean = `function initSync({ module }) {
    if (wasm !== undefined) return wasm;
    if (!(module instanceof WebAssembly.Module)) module = new WebAssembly.Module(module);
    return __wbg_finalize_init(new WebAssembly.Instance(module, __wbg_get_imports()), module);
}
let __wbg_init_promise;
function __wbg_init({ module_or_path: module }) {
    if (wasm !== undefined) return Promise.resolve(wasm);
    return (__wbg_init_promise ??= WebAssembly.instantiate(module, __wbg_get_imports()).then(
        (instance) => __wbg_finalize_init(instance, module),
        (error) => { __wbg_init_promise = undefined; throw error; },
    ));
}
${end}
`;
  writeFileSync(path, text.slice(0, from) + lean);
}

/** Copies the named original of `before` (target/wasm-names, scripts/optimise-wasm) to the name of `after`'s hash. */
function keepNames(before, after) {
  const hash = (b) => createHash("sha256").update(b).digest("hex");
  const names = join(work, "..", "wasm-names");
  if (existsSync(join(names, `${hash(before)}.wasm`))) copyFileSync(join(names, `${hash(before)}.wasm`), join(names, `${hash(after)}.wasm`));
}

/**
 * Renames a lower browser module's exports (wasm-bindgen's `cognitoauth_getSession`, `__wbindgen_malloc`,
 * `wasm_bindgen__convert__closures_____invoke__h…`, `memory` …) to short ones, in the .wasm's
 * export section and the glue's `wasm.<name>` references alike: only the glue reads them (the
 * classes it exports keep their names). The build fails if the glue reads an export another way,
 * or one it does not have. The n-th export is always named `shortName(n)`: a second run changes nothing.
 */
function shortenExports({ name }) {
  const wasmPath = join(dir, `${name}_bg.wasm`);
  const gluePath = join(dir, `${name}.js`);
  const bytes = readFileSync(wasmPath);
  let glue = readFileSync(gluePath, "utf8");
  const reads = /(?<![\w$])wasm\.([\w$]+)/g;
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    if (id !== 7) {
      at = body + size;
      continue;
    }
    let [count, i] = leb(bytes, body);
    const renames = new Map();
    const entries = [];
    for (let n = 0; n < count; n++) {
      const [length, nameAt] = leb(bytes, i);
      const field = bytes.subarray(nameAt, nameAt + length).toString();
      const kind = bytes[nameAt + length];
      const [, end] = leb(bytes, nameAt + length + 1);
      renames.set(field, shortName(n));
      entries.push([...nameBytes(shortName(n)), ...bytes.subarray(nameAt + length, end)]);
      i = end;
      if (kind > 4) throw new Error(`${wasmPath}: an export kind the build cannot read (${kind})`);
    }
    if (i !== body + size) throw new Error(`${wasmPath}: the export section did not parse to its end`);
    for (const [, field] of glue.matchAll(reads)) {
      if (!renames.has(field)) throw new Error(`${gluePath}: the glue reads wasm.${field}, which the .wasm does not export; update scripts/pkg-entries.mjs`);
    }
    if (/\bwasm\s*\[/.test(glue) || /\bwasm\s*=(?!=)(?!\s*(?:wasmInstance|instance)\.exports;)/.test(glue)) {
      throw new Error(`${gluePath}: the glue reads the .wasm's exports in a way the build cannot rename; update scripts/pkg-entries.mjs`);
    }
    glue = glue.replace(reads, (_, field) => `wasm.${renames.get(field)}`);
    const section = [...toLeb(count), ...entries.flat()];
    const out = Buffer.concat([bytes.subarray(0, at), Buffer.from([7, ...toLeb(section.length), ...section]), bytes.subarray(body + size)]);
    keepNames(bytes, out);
    writeFileSync(wasmPath, out);
    writeFileSync(gluePath, glue);
    return;
  }
  throw new Error(`${wasmPath}: no export section`);
}

/**
 * wasm-bindgen's `./snippets/<crate>-<hash>/<path>` imports (the crate's JS, `module = "/<path>"`)
 * resolved to `<path>` in the crate: bundled into the glue, so no page fetches a second file and
 * pkg/snippets/ is not shipped.
 */
const snippets = {
  name: "snippets",
  setup(b) {
    b.onResolve({ filter: /.*/ }, ({ path, kind }) => {
      if (kind === "entry-point") return undefined;
      const inCrate = path.startsWith("./snippets/") ? path.split("/").slice(3).join("/") : "";
      const file = join(crateRoot, inCrate);
      if (!inCrate || !existsSync(file)) throw new Error(`scripts/pkg-entries.mjs: the glue imports ${path}; only the crate's snippets are bundled`);
      return { path: file };
    });
  },
};

/**
 * Bundles a glue's snippets into it, in place (ESM, export names kept: the loader calls `default`,
 * the classes and `initSync` by name); minified for the browser glues. No source map: see
 * docs/performance.md, "Minified glue".
 */
async function bundleGlue({ name }, minify) {
  const path = join(dir, `${name}.js`);
  const { outputFiles } = await build({
    entryPoints: [path],
    bundle: true,
    write: false,
    plugins: [snippets],
    format: "esm",
    platform: "neutral",
    target: "es2022",
    minify,
    legalComments: "none",
    logLevel: "warning",
  });
  writeFileSync(path, outputFiles[0].text);
}

neutraliseGlue(full);
for (const tier of tiers) neutraliseGlue(tier);
for (const tier of tiers.slice(0, -1)) dropDeadFallbacks(tier);
snippetImportsToGlue(full);
for (const tier of tiers) snippetImportsToGlue(tier);
for (const tier of tiers) shortenImports(tier);
// Not the full browser module's: `cognito-wasm/raw-browser`'s init() resolves with its exports (InitOutput, by name).
for (const tier of tiers.slice(0, -1)) shortenExports(tier);
for (const tier of tiers.slice(0, -1)) leanInit(tier);
// What pages download is minified (bytes); the full glue (Node, workerd, `cognito-wasm/raw`) stays readable.
for (const tier of tiers) await bundleGlue(tier, true);
await bundleGlue(full, false);
rmSync(join(dir, "snippets"), { recursive: true, force: true });
const fullTypes = processTypes(full);
const tierTypes = tiers.map(processTypes);
const browserTypes = tierTypes[tierTypes.length - 1];
const fullApi = apiOf(fullTypes);
const tierApis = tierTypes.map(apiOf);
checkSameDeclarations(tierTypes);

const sources = {
  "browser.js": { entry: "browser.js", classes: tieredSource(tierApis), glues: tiers },
  "node.js": { entry: "node.js", classes: classesSource(fullApi), glues: [full] },
  "workerd.js": { entry: "workerd.js", classes: classesSource(fullApi), glues: [full] },
  "edge.js": { entry: "edge.js", classes: classesSource(fullApi), glues: [full] },
};
for (const file of ["loader.js", "loader-paths.js", "first-module.js", "call-tiers.js", "storages.js"]) writeFileSync(join(work, file), readFileSync(join(src, file)));
/** The loader's internal property names (WasmModule's fields and methods, an object's state, a class's member table, a storage's state). */
const LOADER_PROPS = new RegExp(
  "^(" +
    ["pending", "waiting", "attempt", "inner", "moving", "subs", "retired", "calls", "supplied", "locate", "hint", "glue", "compileBytes",
      "settle", "whenReady", "instantiate", "toLoadError", "home", "source", "level", "exports", "ready", "file", "start", "startSync", "plain", "rich",
      "unsubscribe", "method", "args", "deferred", "getters", "sync", "async", "error", "open", "promise",
      // ./pkg-src/storages.js's state of a storage
      "memory", "kind", "browser", "reason"].join("|") +
    ")$",
);
const banner = "// Generated by scripts/pkg-entries.mjs from scripts/pkg-src/ (the loader and this entry).";
for (const [out, { entry, classes, glues }] of Object.entries(sources)) {
  writeFileSync(join(work, entry), readFileSync(join(src, entry), "utf8") + "\n" + classes);
  await build({
    entryPoints: [join(work, entry)],
    outfile: join(dir, out),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    // browser.js fetches the load's rarer paths as their own file; the server entries include them.
    external: [...glues.flatMap(({ name }) => [`./${name}.js`, `./${name}_bg.wasm`, `./${name}_bg.wasm?module`]), "node:*", ...(out === "browser.js" ? ["./loader-paths.js"] : [])],
    // A comment costs bytes in what pages download.
    banner: out === "browser.js" ? undefined : { js: banner },
    // What pages download unbundled is minified (bytes); the server entries stay readable.
    minify: out === "browser.js",
    // The loader's own properties (never a platform object's, nor the package's API), short in
    // what pages download. Not `abort` (also AbortController's), `compile` nor `resolve`.
    mangleProps: out === "browser.js" ? LOADER_PROPS : undefined,
    legalComments: "none",
    logLevel: "warning",
  });
}
// The load's rarer paths for browser.js (./pkg-src/loader-paths.js), minified: pages download it when they take one.
await build({
  entryPoints: [join(work, "loader-paths.js")],
  outfile: join(dir, "loader-paths.js"),
  format: "esm",
  platform: "neutral",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
// `require("cognito-wasm")` on every Node ≥ 20 (require(esm) needs 20.19): the Node entry as one
// CommonJS file with its glue (a second copy of the module if both are loaded in one process).
writeFileSync(join(work, `${full.name}.js`), readFileSync(join(dir, `${full.name}.js`)));
await build({
  entryPoints: [join(work, "node.js")],
  outfile: join(dir, "node.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  define: { "import.meta.url": "__cognitoWasmModuleUrl" },
  banner: { js: `${banner}\nconst __cognitoWasmModuleUrl = require("node:url").pathToFileURL(__filename).href;` },
  external: [`./${full.name}_bg.wasm`],
  legalComments: "none",
  logLevel: "warning",
});

const serverTypes = entryTypes(fullTypes);
writeFileSync(join(dir, "entry.d.ts"), serverTypes);
writeFileSync(join(dir, "entry.d.cts"), serverTypes);
writeFileSync(join(dir, "browser.d.ts"), entryTypes(browserTypes));

const path = join(dir, "package.json");
const pkg = JSON.parse(readFileSync(path, "utf8"));
const glueFiles = [full, ...tiers].flatMap(({ name }) => [`${name}.js`, `${name}_bg.wasm`, `${name}.d.ts`]);
pkg.files = [...new Set([...glueFiles, ...Object.keys(sources), "loader-paths.js", "node.cjs", "entry.d.ts", "entry.d.cts", "browser.d.ts", "README.md"])];
pkg.main = "./node.cjs";
pkg.module = "./browser.js";
pkg.browser = "./browser.js";
pkg.types = "./entry.d.ts";
const page = { types: "./browser.d.ts", default: "./browser.js" };
pkg.exports = {
  ".": {
    workerd: { types: "./entry.d.ts", default: "./workerd.js" },
    "edge-light": { types: "./entry.d.ts", default: "./edge.js" },
    node: {
      import: { types: "./entry.d.ts", default: "./node.js" },
      require: { types: "./entry.d.cts", default: "./node.cjs" },
    },
    browser: page,
    default: page,
  },
  "./raw": { types: `./${full.name}.d.ts`, default: `./${full.name}.js` },
  "./raw-browser": { types: `./${browser.name}.d.ts`, default: `./${browser.name}.js` },
  [`./${full.name}_bg.wasm`]: `./${full.name}_bg.wasm`,
  ...Object.fromEntries(tiers.map(({ name }) => [`./${name}_bg.wasm`, `./${name}_bg.wasm`])),
  "./package.json": "./package.json",
};
pkg.sideEffects = ["./browser.js", "./node.js", "./node.cjs", "./workerd.js", "./edge.js"];
pkg.engines = { node: ">=20" };
writeFileSync(path, JSON.stringify(pkg, null, 2) + "\n");
