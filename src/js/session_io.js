// The session methods' I/O: listener lists, other tabs' `storage` events, the cross-tab lock.
// src/js/listeners.rs and src/js/shared.rs hold every rule (which events, what a listener gets,
// which keys count, the lock's name); this file only stores, calls and subscribes.

// add(list, key, f): appends the entry [key, f] to `list` and returns the function that removes
// that entry (later calls do nothing).
export function add(list, key, f) {
  const entry = [key, f];
  list.push(entry);
  return () => {
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
  };
}

// call(list, key, value): calls each function of `list` added with `key`, as the list is when
// the call starts, with `value` (`this` undefined); what one throws is dropped.
export function call(list, key, value) {
  for (const [k, f] of list.slice())
    if (k === key)
      try {
        f(value);
      } catch {}
}

// watch(): where the global has addEventListener and a document, listens to its `storage` events
// and returns the watch; else undefined. next(watch): a Promise of the keys (`null` for a clear)
// of the events since the last batch, resolved one timer turn after the first of them (one write
// arrives as several events); it rejects once unwatch(watch) has stopped the listening.
export function watch() {
  const g = globalThis, w = { k: [] };
  if (typeof g.addEventListener != "function" || g.document === undefined) return;
  g.addEventListener("storage", (w.f = (event) => (w.k.push(event.key), w.n?.())));
  return w;
}

export const next = (w) =>
  new Promise((resolve, reject) => {
    w.x = reject;
    w.n = () => {
      w.n = null;
      setTimeout(() => {
        const keys = w.k;
        w.k = keys && [];
        resolve(keys);
      });
    };
    if (w.k.length) w.n(); // throws (rejects) once stopped: `k` is null
  });

// unwatch(watch): stops the listening (`watch` undefined: nothing to stop).
export function unwatch(w) {
  if (!w) return;
  w.k = null;
  try {
    globalThis.removeEventListener("storage", w.f);
  } catch {}
  w.x?.();
}

// lock(name): requests the Web Lock `name`; a Promise that resolves once this tab holds it (at once
// where navigator.locks.request does not exist) and rejects with what the request rejects with
// before that, or with undefined when the request threw or gave no Promise. keep(p), called next,
// holds that lock until `p` settles.
let held;
export function lock(name) {
  let locks, request;
  held = 0;
  try {
    request = (locks = globalThis.navigator.locks).request;
  } catch {}
  return typeof locks == "object" && typeof request == "function"
    ? new Promise((grant, refuse) => {
        const work = new Promise((r) => (held = r));
        work.catch(() => {}); // the lock manager handles it; never an unhandled rejection
        let p;
        try {
          p = request.call(locks, name, () => (grant(), work));
        } catch {}
        if (p instanceof Promise) p.then(undefined, refuse);
        else refuse();
      })
    : Promise.resolve();
}

export const keep = (p) => held && held(p);
