// A reader of a .wasm's sections, shared by the build (scripts/drop-dead-closure-shims.mjs) and
// the bench's breakdown by crate (bench/wasm-breakdown.mjs): no external tool.

/** A position in a module's bytes, read forwards (`at` may be set to skip). */
export class WasmCursor {
  constructor(bytes, at = 8) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    return this.bytes[this.at++];
  }
  /** An unsigned LEB128. */
  leb() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.bytes[this.at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  }
  /** A signed LEB128 that fits in 32 bits. */
  sleb() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.bytes[this.at++];
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
  }
  /** A name: its UTF-8 length, then its bytes. */
  str() {
    const n = this.leb();
    this.at += n;
    return this.bytes.toString("utf8", this.at - n, this.at);
  }
  limits() {
    const flags = this.byte();
    this.leb();
    if (flags & 1) this.leb();
  }
  /** A constant expression of the forms wasm-bindgen writes (`i32/i64.const`, `global.get`, `ref.func`). */
  constExpr() {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.sleb();
      else if (op === 0x23 || op === 0xd2) this.leb();
      else throw new Error(`unsupported constant expression opcode 0x${op.toString(16)}`);
    }
  }
}

/**
 * Sections of a wasm module and what the build and the bench read of them:
 * - `sections`: [{id, name?, start, end, size}] (size includes the id and the length prefix);
 * - `importedFunctions`, `importedTables`; `exportedFunctions` (a Set of function indices),
 *   `tableExported` (table 0 is exported);
 * - `functions`: the defined ones, [{index, size}] (the code-section entry with its size prefix);
 *   `segments`: the data segments, [{index, size}];
 * - `functionNames`, `segmentNames`: the name section's maps (index → name).
 */
export function parseWasm(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error("not a wasm module");
  const c = new WasmCursor(bytes);
  const sections = [];
  let importedFunctions = 0, importedTables = 0, tableExported = false;
  const exportedFunctions = new Set();
  const functions = [];
  const segments = [];
  const functionNames = new Map();
  const segmentNames = new Map();
  while (c.at < bytes.length) {
    const start = c.at;
    const id = c.byte();
    const length = c.leb();
    const end = c.at + length;
    const section = { id, start, end, size: end - start };
    if (id === 0) section.name = c.str();
    sections.push(section);
    if (id === 2) {
      for (let n = c.leb(); n > 0; n--) {
        c.str();
        c.str();
        const kind = c.byte();
        if (kind === 0) { importedFunctions++; c.leb(); }
        else if (kind === 1) { importedTables++; c.at++; c.limits(); }
        else if (kind === 2) c.limits();
        else if (kind === 3) c.at += 2;
        else if (kind === 4) { c.at++; c.leb(); }
        else throw new Error(`unknown import kind ${kind}`);
      }
    } else if (id === 7) {
      for (let n = c.leb(); n > 0; n--) {
        c.str();
        const kind = c.byte();
        const index = c.leb();
        if (kind === 0) exportedFunctions.add(index);
        if (kind === 1 && index === 0) tableExported = true;
      }
    } else if (id === 10) {
      for (let n = c.leb(), i = 0; i < n; i++) {
        const entry = c.at;
        const size = c.leb();
        c.at += size;
        functions.push({ index: importedFunctions + i, size: c.at - entry });
      }
    } else if (id === 11) {
      for (let n = c.leb(), i = 0; i < n; i++) {
        const entry = c.at;
        const flags = c.leb();
        if (flags === 2) c.leb();
        if (flags !== 1) c.constExpr();
        const size = c.leb();
        c.at += size;
        segments.push({ index: i, size: c.at - entry });
      }
    } else if (id === 0 && section.name === "name") {
      while (c.at < end) {
        const sub = c.byte();
        const subEnd = c.leb() + c.at;
        const map = sub === 1 ? functionNames : sub === 9 ? segmentNames : null;
        if (map) for (let n = c.leb(); n > 0; n--) map.set(c.leb(), c.str());
        c.at = subEnd;
      }
    }
    c.at = end;
  }
  return {
    sections, importedFunctions, importedTables, exportedFunctions, tableExported,
    functions, segments, functionNames, segmentNames,
  };
}
