// The options copy of src/js/args.rs (`snapshot`, where its contract is): fresh objects without
// prototype and arrays, primitives kept, functions and the top-level keys named in `byReference`
// (comma-separated) left out; own and inherited string keys up to Object.prototype, arrays by
// index up to `length`. Throws 1 deeper than `maxDepth`, 2 past `budget` properties, 0 when a
// read throws.
export function snapshot(value, byReference, maxDepth, budget) {
  const R = Reflect, objectProto = Object.prototype, arrayProto = Array.prototype;
  const deep = {}, large = {}, top = byReference.split(",");
  const spend = (n) => {
    if ((budget -= n) < 0) throw large;
  };
  const copy = (value, depth) => {
    if (typeof value != "object" || value === null) return value;
    if (depth >= maxDepth) throw deep;
    let prototype = R.getPrototypeOf(value), holder = value, out;
    if (prototype === arrayProto) {
      const length = value.length, count = typeof length == "number" ? length : 0;
      if (!(count >= 0 && count <= budget)) throw large;
      const n = Math.trunc(count);
      spend(n);
      out = [];
      for (let i = 0; i < n; i++) out.push(copy(value[i], depth + 1));
      return out;
    }
    out = Object.create(null);
    for (;;) {
      const keys = R.ownKeys(holder);
      spend(keys.length);
      for (const key of keys) {
        if (typeof key != "string" || (depth == 0 && top.includes(key)) || key in out) continue;
        const item = R.get(value, key);
        if (typeof item != "function") out[key] = copy(item, depth + 1);
      }
      if (prototype === null || prototype === objectProto) return out;
      spend(1);
      holder = prototype;
      prototype = R.getPrototypeOf(holder);
    }
  };
  try {
    return copy(value, 0);
  } catch (e) {
    throw e === deep ? 1 : e === large ? 2 : 0;
  }
}
