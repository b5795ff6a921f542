// Adds the runtime entry points to the wasm-pack output and points package.json's conditional
// `exports` at them, so one install works in every bundler and browser, Node and Workers.
// pkg/ holds five builds of the crate (scripts/build-pkg): the full one (`cognito_wasm*`) and four
// browser ones without the Workers side (no CognitoWorkerAuth, CookieJar, KvStorage), each a
// superset of the one before: `cognito_wasm_session*`, `cognito_wasm_signin*`, `cognito_wasm_signup*`
// and the full browser module `cognito_wasm_browser*` (docs/design/weight.md).
//   browser.js  starts fetching the session .wasm when imported; the classes wait for it, and each
//               method runs in the lowest module that has it (read from the four .d.ts), loaded
//               on its first call
//   node.js     reads the full .wasm from disk and instantiates it synchronously (ESM)
//   node.cjs    the same for `require` (one file, glue included)
//   workerd.js  imports the full .wasm as a compiled module (Workers' CompiledWasm)
//   edge.js     the same through `?module` (Next.js middleware, the "edge-light" condition)
//   cognito-wasm/raw, cognito-wasm/raw-browser  the bare wasm-bindgen modules, for explicit init
// Each entry is scripts/pkg-src/<entry>.js + the loader (scripts/pkg-src/loader.js) + one
// `lazyClass` (`tieredClass` in browsers) per exported class, whose method lists are read from the
// glue's .d.ts; bundled
// with esbuild, the glue kept external (the CommonJS entry includes it).
// No entry has top-level await. The glue's default `new URL('…_bg.wasm', import.meta.url)` is
// removed (bundlers would publish the unused .wasm), and its `[Symbol.dispose]` typings become
// an interface merge that needs no `esnext.disposable` lib.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const dir = process.argv[2] ?? "pkg";
const src = join(dirname(fileURLToPath(import.meta.url)), "pkg-src");
const work = join(dirname(fileURLToPath(import.meta.url)), "..", "target", "pkg-entries");
mkdirSync(work, { recursive: true });

const full = { name: "cognito_wasm" };
// The browser modules, lowest first (the order of scripts/pkg-src/browser.js's `tiers`).
const tiers = [{ name: "cognito_wasm_session" }, { name: "cognito_wasm_signin" }, { name: "cognito_wasm_signup" }, { name: "cognito_wasm_browser" }];
const browser = tiers[tiers.length - 1];

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

/** The entry's declarations: the glue's API (not its init functions) and the loader's. */
function entryTypes(types) {
  const cut = types.search(/^(declare function __wbg_|export type InitInput)/m);
  if (cut < 0) throw new Error("the glue's .d.ts has no init section");
  const api = types.slice(0, cut).trimEnd();
  const tail = types.slice(types.indexOf("declare global {")); // the Disposable merges
  return `// Generated by scripts/pkg-entries.mjs.\n${api}\n\n${tail}${readFileSync(join(src, "loader.d.ts"), "utf8")}`;
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
 * .d.ts has it (`apis` lowest first), so a method lands wherever its cargo feature puts it.
 */
function tieredSource(apis) {
  const lines = ['import { tieredClass } from "./loader.js";'];
  const topApi = apis[apis.length - 1];
  const lowest = (has) => apis.findIndex(has);
  for (const [name, spec] of topApi) {
    const tiered = { level: lowest((api) => api.has(name)), async: {}, sync: {}, deferred: {}, getters: {} };
    for (const kind of ["async", "sync", "deferred", "getters"]) {
      for (const member of spec[kind]) tiered[kind][member] = lowest((api) => api.get(name)?.[kind].includes(member));
    }
    if (PRELOAD[name]) tiered.preload = tiered.async[PRELOAD[name]];
    lines.push(`export const ${name} = /* @__PURE__ */ tieredClass(tiers, ${JSON.stringify(name)}, ${JSON.stringify(tiered)}, first);`);
  }
  return lines.join("\n") + "\n";
}

neutraliseGlue(full);
for (const tier of tiers) neutraliseGlue(tier);
const fullTypes = processTypes(full);
const tierTypes = tiers.map(processTypes);
const browserTypes = tierTypes[tierTypes.length - 1];
const fullApi = apiOf(fullTypes);
const tierApis = tierTypes.map(apiOf);

const sources = {
  "browser.js": { entry: "browser.js", classes: tieredSource(tierApis), glues: tiers },
  "node.js": { entry: "node.js", classes: classesSource(fullApi), glues: [full] },
  "workerd.js": { entry: "workerd.js", classes: classesSource(fullApi), glues: [full] },
  "edge.js": { entry: "edge.js", classes: classesSource(fullApi), glues: [full] },
};
for (const file of ["loader.js", "first-module.js"]) writeFileSync(join(work, file), readFileSync(join(src, file)));
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
    external: [...glues.flatMap(({ name }) => [`./${name}.js`, `./${name}_bg.wasm`, `./${name}_bg.wasm?module`]), "node:*"],
    banner: { js: banner },
    // What pages download unbundled is minified (bytes); the server entries stay readable.
    minify: out === "browser.js",
    legalComments: "none",
    logLevel: "warning",
  });
}
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
pkg.files = [...new Set([...glueFiles, ...Object.keys(sources), "node.cjs", "entry.d.ts", "entry.d.cts", "browser.d.ts", "README.md"])];
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
