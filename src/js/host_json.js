// The host's readers for src/js/host_json.rs: JSON.parse (`tape`) and a JWT part's text (`text`).

// tape(text, max): the host's JSON.parse as one flat array (a tape): each value in
// document order as its tag, then its data: 0 null, 1 true, 2 false, [3, the number's
// JSON.stringify text], [4, the string], [5, n, n elements], [6, n, n × (key, value)] (keys in
// Object.keys order). Throws 1 past `max` nested arrays and objects, 2 for a number beyond the
// f64 range, else what JSON.parse throws.
export function tape(text, max) {
  const out = [];
  const walk = (v, depth) => {
    if (v === null) return out.push(0);
    if (typeof v == "boolean") return out.push(v ? 1 : 2);
    if (typeof v == "number") {
      if (!isFinite(v)) throw 2;
      return out.push(3, JSON.stringify(v));
    }
    if (typeof v == "string") return out.push(4, v);
    if (depth >= max) throw 1;
    if (Array.isArray(v)) {
      out.push(5, v.length);
      for (const x of v) walk(x, depth + 1);
    } else {
      const keys = Object.keys(v);
      out.push(6, keys.length);
      for (const k of keys) out.push(k), walk(v[k], depth + 1);
    }
  };
  walk(JSON.parse(text), 0);
  return out;
}

// text(part): the UTF-8 text (a byte-order mark kept) of `part`, base64url without padding in
// canonical form (what re-encoding its bytes gives back), else 1; 2 where its bytes are not UTF-8.
export function text(part) {
  let bytes;
  try {
    bytes = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    if (btoa(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") !== part) return 1;
  } catch {
    return 1;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
  } catch {
    return 2;
  }
}
