// A token storage's I/O for src/js/storage.rs (JsStorage): calls its methods in order and awaits
// what they return. src/js/storage.rs holds every rule (what an answer means, the error texts).

// io(storage, items, tryAll): for each pair (key, value) of the flat array `items`, in order,
// calls storage.getItem(key) (value null), storage.removeItem(key) (undefined) or
// storage.setItem(key, value) (a string), the method looked up at each call, and awaits what it
// returns when that is a thenable (an object whose `then` is a function). A Promise of the
// answers, in order; it rejects with [method, thrown, key] for the first call that threw or whose
// answer rejected, or [method] when the method was not a function: at once, or (tryAll) after
// every call.
export async function io(s, items, tryAll) {
  const answers = [];
  let failed;
  for (let i = 0; i < items.length && !(failed && !tryAll); i += 2) {
    const key = items[i], value = items[i + 1];
    const m = value === null ? "getItem" : value === undefined ? "removeItem" : "setItem";
    let f, r, then;
    try {
      f = s[m];
    } catch {}
    if (typeof f != "function") failed ??= [m];
    else
      try {
        r = value == null ? f.call(s, key) : f.call(s, key, value);
        try {
          then = typeof r == "object" && r !== null && typeof r.then == "function";
        } catch {}
        answers.push(then ? await r : r);
      } catch (e) {
        failed ??= [m, e, key];
      }
  }
  if (failed) throw failed;
  return answers;
}

// warn(message): console.warn(message), nothing where there is no console or it throws.
export function warn(message) {
  try {
    globalThis.console.warn(message);
  } catch {}
}
