// The host's JSON.parse for src/js/host_json.rs, as one flat array (a tape): each value in
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
