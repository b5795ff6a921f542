// Drops wasm-bindgen's closure invoke shims that nothing can call from the function table of a
// wasm-bindgen output, in place, so wasm-opt removes them:   node scripts/drop-dead-closure-shims.mjs FILE.wasm...
//
// Why they are there: every import of js-sys and web-sys that takes a closure has a descriptor
// function that takes the address of `wasm_bindgen::convert::closures::invoke::<signature>`, which
// puts that shim in table 0. The CLI runs and removes the descriptors, but the table entries stay,
// and wasm-opt keeps every table entry (table 0 is the target of `call_indirect`).
// Contract: an entry is dropped (its slot left uninitialised, so a call through it traps) only when
// its function is named `wasm_bindgen::convert::closures::_::invoke::h…` and is not exported — the
// JS glue calls every live shim through its export, and Rust calls closures through their vtables,
// never through the shim's table slot. The file is left as it is unless it has a name section, one
// element segment of the plain form (table 0, an `i32.const` offset, function indices) and a
// table 0 that is neither imported nor exported (then nothing outside the module reads it).
import { readFileSync, writeFileSync } from "node:fs";
import { WasmCursor, parseWasm } from "./wasm-sections.mjs";

const SHIM = /^wasm_bindgen::convert::closures::_::invoke::h[0-9a-f]{16}$/;

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** The pruned module, or null when it is not of the form described above. */
function dropDeadClosureShims(bytes) {
  let module;
  try {
    module = parseWasm(bytes);
  } catch {
    return null;
  }
  const { sections, importedFunctions, importedTables, exportedFunctions: exported, tableExported, functionNames: names } = module;
  const elements = sections.filter((s) => s.id === 9);
  if (elements.length !== 1) return null;
  const [{ start, end }] = elements;
  // One segment of the plain form: flags 0 (table 0, active), `i32.const offset`, `end`, indices.
  const c = new WasmCursor(bytes, start + 1);
  c.leb();
  if (c.leb() !== 1 || c.leb() !== 0 || c.byte() !== 0x41) return null;
  const offset = c.sleb();
  if (offset < 0 || c.byte() !== 0x0b) return null;
  const functions = [];
  for (let n = c.leb(); n > 0; n--) functions.push(c.leb());
  if (c.at !== end) return null;
  const element = { start, end, offset, functions };
  if (!names.size || importedTables || tableExported) return null;
  const dead = (f) => f >= importedFunctions && !exported.has(f) && SHIM.test(names.get(f) ?? "");
  const runs = [];
  let run = null, dropped = 0;
  element.functions.forEach((f, i) => {
    if (dead(f)) {
      dropped++;
      run = null;
    } else {
      if (!run) runs.push((run = { offset: element.offset + i, functions: [] }));
      run.functions.push(f);
    }
  });
  const body = [...uleb(runs.length)];
  for (const r of runs) {
    body.push(0, 0x41, ...sleb(r.offset), 0x0b, ...uleb(r.functions.length), ...r.functions.flatMap(uleb));
  }
  const section = Buffer.from([9, ...uleb(body.length), ...body]);
  return {
    bytes: Buffer.concat([bytes.subarray(0, element.start), section, bytes.subarray(element.end)]),
    dropped,
  };
}

for (const file of process.argv.slice(2)) {
  const pruned = dropDeadClosureShims(readFileSync(file));
  if (pruned) writeFileSync(file, pruned.bytes);
  else console.error(`${file}: not a wasm-bindgen output of the expected form; left as it is`);
}
