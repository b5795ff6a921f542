// The package's loader, bundled into each entry of pkg/ by scripts/pkg-entries.mjs.
//
// One `WasmModule` per .wasm file: it fetches and compiles the file (or is handed it by `init`),
// instantiates its wasm-bindgen glue, and turns every failure into a `WasmLoadError` (or a
// `WasmBlockedError` when the Content Security Policy refuses WebAssembly). `lazyClass` makes the
// package's classes usable before their module is ready: constructors record their arguments,
// methods returning Promises wait for the module, synchronous ones need it (`WasmNotReadyError`).
// `tieredClass` does the same over several modules, each a superset of the one before for the
// objects that may live in both (the browser package: restore, session, signin_plain, signin,
// signup, full; restore and signin_plain take plain options only): each method runs in the lowest module that has it and the object may
// live in (or that a call needs by its arguments, ./call-tiers.js), and an object moves up to a
// higher module, with what it holds in memory, on the first call there.
import { fitTier, mayTakePlace } from "./first-module.js";
import { defaultStorage } from "./storages.js";

/** Rejections of loading: the file could not be fetched, was not WebAssembly, or did not compile. */
export class WasmLoadError extends Error {
  constructor(message, { url, retryable = false, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "WasmLoadError";
    this.code = this.name;
    this.url = url;
    this.retryable = retryable;
  }
}

/** The page's Content Security Policy does not allow WebAssembly (no 'wasm-unsafe-eval'). */
export class WasmBlockedError extends WasmLoadError {
  constructor(message, options) {
    super(message, options);
    this.name = "WasmBlockedError";
    this.code = this.name;
  }
}

/** A synchronous method or getter was called before its module was ready (`await init()` first). */
export class WasmNotReadyError extends Error {
  constructor(what) {
    super(`cognito-wasm: ${what} is synchronous and its module is still loading: \`await init()\` first (Promise methods wait)`);
    this.name = "WasmNotReadyError";
    this.code = this.name;
  }
}

/** ./loader-paths.js's exports once fetched, else undefined. */
let texts;
/** Fetches ./loader-paths.js (browser.js's own file; bundled into the server entries). */
const rarerPaths = () => import("./loader-paths.js").then((paths) => (texts = paths));

/** `message`, then `hint` when there is one. */
const withHint = (message, hint) => (hint ? `${message} ${hint}` : message);

/** A Promise with its resolve/reject, marked handled so a load nobody waits for is not reported. */
function gate() {
  let resolve, reject;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * One .wasm file and its glue.
 * - `file`: the file's name (what `init({ wasm: (file) => … })` is asked for);
 * - `glue()`: the wasm-bindgen module (its namespace), or a Promise of it;
 * - `locate()`: the default source (a URL), tried when `init` gave none;
 * - `open(source, signal)`: turns a URL, path or Request into a Response or bytes;
 * - `hint(url, texts)`: the one line that makes the file resolvable, for the error message
 *   (`texts`: ./loader-paths.js's exports once fetched, else undefined: offline, the message goes
 *   without the line browser.js keeps there);
 * - `compileBytes(bytes)`: `WebAssembly.compile`, where the runtime allows compiling bytes (the
 *   edge entry has none: Next.js refuses to build edge code that calls it);
 * - `plain` (browser.js): the module takes plain options only (`tieredClass`).
 */
export class WasmModule {
  constructor(parts) {
    Object.assign(this, parts);
    this.exports = undefined; // the glue, once instantiated
    this.error = undefined; // the last attempt's WasmLoadError
    this.source = undefined; // the last source tried
    this.attempt = 0;
    this.pending = undefined; // gate of the attempt in flight
    this.abort = undefined;
    this.waiting = []; // facades built before the module was ready
  }

  get ready() {
    return this.exports !== undefined;
  }

  /** Starts an attempt with `source` (default: `locate()`), replacing one in flight. */
  start(source) {
    if (this.ready) return Promise.resolve();
    const id = ++this.attempt;
    this.abort?.abort();
    this.abort = typeof AbortController === "function" ? new AbortController() : undefined;
    this.pending ??= gate();
    this.error = undefined;
    const pending = this.pending;
    this.instantiate(source, this.abort?.signal).then(
      (exports) => {
        if (id !== this.attempt) return;
        this.settle(exports);
        pending.resolve();
      },
      (thrown) => {
        if (id !== this.attempt) return;
        this.pending = undefined;
        this.error = this.toLoadError(thrown);
        pending.reject(this.error);
      },
    );
    return pending.promise;
  }

  /** Resolves once ready: waits for the attempt in flight, or retries one that may succeed now. */
  whenReady() {
    if (this.ready) return Promise.resolve();
    if (this.pending) return this.pending.promise;
    if (this.error && !this.error.retryable) return Promise.reject(this.error);
    return this.start(this.source);
  }

  settle(exports) {
    this.exports = exports;
    this.pending = undefined;
    this.abort = undefined;
    const waiting = this.waiting;
    this.waiting = [];
    for (const build of waiting) build();
  }

  async instantiate(source, signal) {
    if (source === undefined) source = this.supplied?.() ?? this.locate();
    this.source = source;
    // The glue (a dynamic import for the browser's higher modules) loads while the .wasm does.
    const gluing = Promise.resolve().then(() => this.glue());
    gluing.catch(() => {});
    let input = await source;
    let url;
    if (typeof input === "string" || input instanceof URL || (typeof Request === "function" && input instanceof Request)) {
      url = String(input instanceof Request ? input.url : input);
      try {
        input = await this.open(input, signal);
      } catch (cause) {
        if (cause instanceof WasmLoadError) throw cause;
        const hint = this.hint(url, await rarerPaths().catch(() => undefined));
        throw new WasmLoadError(withHint(`cognito-wasm: could not fetch ${url} (${cause?.message ?? cause}).`, hint), { url, retryable: true, cause });
      }
    }
    const module = await this.compile(input, url);
    let glue;
    try {
      glue = await gluing;
    } catch (cause) {
      throw new WasmLoadError(`cognito-wasm: could not load the glue of ${this.file}: ${cause?.message ?? cause}`, { url, retryable: true, cause });
    }
    try {
      await glue.default({ module_or_path: module });
    } catch (cause) {
      throw new WasmLoadError(`cognito-wasm: could not instantiate ${this.file}: ${cause?.message ?? cause}`, { url, cause });
    }
    return glue;
  }

  /**
   * A WebAssembly.Module from a Response, bytes or a Module: an `application/wasm` Response
   * streams; the other inputs and their failures take ./loader-paths.js (its own file in browsers).
   */
  async compile(input, url) {
    // A module from another realm (Next.js's edge sandbox) fails `instanceof` but instantiates.
    if (input instanceof WebAssembly.Module || Object.prototype.toString.call(input) === "[object WebAssembly.Module]") return input;
    const streams = typeof Response === "function" && input instanceof Response && input.ok && this.compileBytes && typeof WebAssembly.compileStreaming === "function";
    if (streams && /^application\/wasm\s*(;|$)/i.test(input.headers.get("content-type") ?? "")) {
      const at = input.url || url;
      try {
        return await WebAssembly.compileStreaming(input);
      } catch (cause) {
        const paths = await rarerPaths().catch(() => undefined);
        throw paths?.blocked(cause, at, WasmBlockedError) ?? new WasmLoadError(`cognito-wasm: ${at} did not compile: ${cause?.message ?? cause}`, { url: at, cause });
      }
    }
    let paths;
    try {
      paths = await rarerPaths();
    } catch (cause) {
      throw new WasmLoadError(`cognito-wasm: could not load ${this.file} (${cause?.message ?? cause})`, { url, retryable: true, cause });
    }
    return paths.compileSlowly(input, url, this.file, (at) => this.hint(at, paths), this.compileBytes, WasmLoadError, WasmBlockedError);
  }

  toLoadError(thrown) {
    if (thrown instanceof WasmLoadError) return thrown;
    return texts?.blocked(thrown, undefined, WasmBlockedError) ?? new WasmLoadError(withHint(`cognito-wasm: could not load ${this.file}: ${thrown?.message ?? thrown}.`, this.hint(undefined, texts)), { cause: thrown });
  }
}

/**
 * Instantiates `mod` synchronously (Node, Workers; not a method: browser.js has no use for it); a
 * failure is kept for the calls to reject with: a WasmBlockedError when `refused` (./loader-paths.js's
 * `blocked`) says the runtime's policy refused it.
 */
export function startSync(mod, instantiate, refused) {
  try {
    mod.settle(instantiate());
  } catch (thrown) {
    mod.error = refused(thrown, undefined, WasmBlockedError) ?? mod.toLoadError(thrown);
  }
}

const STATE = new WeakMap(); // facade → { args, inner, error }

/**
 * The constructor arguments of class `name`'s objects in every module: a CognitoAuth's options,
 * and the default storage (./storages.js, made once per object) when `options.storage` is
 * undefined or null; a read of it that throws is left for the module to report.
 */
function argsFor(name, args) {
  if (name !== "CognitoAuth") return args;
  const [options] = args;
  try {
    if (options?.storage == null) return [options, defaultStorage()];
  } catch {}
  return [options];
}

/** A CognitoAuth's storage from its arguments (`argsFor`): the default, else `options.storage`. */
const storageOf = ([options, fallback]) => fallback ?? options?.storage;

const FACADES = new Map(); // glue class → facade class, to wrap objects the module returns
const WRAPPED = new WeakMap(); // glue object → its facade

/** `preload(member)` with a name that is not one of class `name`'s members. */
function notAMember(name, member) {
  return new TypeError(`${name}.preload(member): ${typeof member === "string" ? JSON.stringify(member) : typeof member} is not a ${name} method or getter`);
}

/** The state of a facade of class `name`; a `TypeError` for anything else. */
function stateFor(self, name) {
  const state = STATE.get(self);
  if (!state) throw new TypeError(`not a ${name}`);
  return state;
}

function wrapResult(value) {
  const facade = value !== null && typeof value === "object" ? FACADES.get(value.constructor) : undefined;
  if (!facade) return value;
  let object = WRAPPED.get(value);
  if (!object) {
    object = Object.create(facade.prototype);
    STATE.set(object, { inner: value });
    WRAPPED.set(value, object);
  }
  return object;
}

/**
 * The class `name` of `mod`'s glue, usable before the module is ready. `spec` lists its
 * `async` methods (return Promises), `sync` methods, `deferred` sync methods (return a
 * function, which is forwarded once the module is ready) and `getters`.
 */
export function lazyClass(mod, name, spec) {
  const build = (state) => {
    if (state.inner || state.error) return;
    try {
      state.inner = new (mod.exports[name])(...state.args);
    } catch (thrown) {
      state.error = thrown;
    }
  };
  const facade = {
    [name]: class {
      constructor(...args) {
        args = argsFor(name, args);
        const state = { args };
        STATE.set(this, state);
        if (mod.ready) state.inner = new (mod.exports[name])(...args);
        else mod.waiting.push(() => build(state));
      }
    },
  }[name];
  const proto = facade.prototype;
  const stateOf = (self) => stateFor(self, name);
  const failure = (state, what) => state.error ?? mod.error ?? new WasmNotReadyError(what);

  for (const method of spec.async) {
    proto[method] = function (...args) {
      const state = stateOf(this);
      if (state.inner) return state.inner[method](...args);
      if (state.error) return Promise.reject(state.error);
      return mod.whenReady().then(() => {
        if (state.error) throw state.error;
        return state.inner[method](...args);
      });
    };
  }
  for (const method of spec.sync) {
    proto[method] = function (...args) {
      const state = stateOf(this);
      if (state.inner) return wrapResult(state.inner[method](...args));
      throw failure(state, `${name}.${method}()`);
    };
  }
  for (const method of spec.deferred) {
    proto[method] = function (...args) {
      const state = stateOf(this);
      if (state.inner) return state.inner[method](...args);
      if (state.error || mod.error) throw failure(state, `${name}.${method}()`);
      // The real call happens once the module is ready; its returned function is called through.
      const real = mod.whenReady().then(() => {
        if (state.error) throw state.error;
        return state.inner[method](...args);
      });
      real.catch(() => {});
      return (...inner) => {
        const called = real.then((f) => f(...inner));
        called.catch(() => {}); // an unsubscribe nobody awaits must not be an unhandled rejection
        return called;
      };
    };
  }
  for (const getter of spec.getters) {
    Object.defineProperty(proto, getter, {
      configurable: true,
      get() {
        const state = stateOf(this);
        if (state.inner) return wrapResult(state.inner[getter]);
        // The storage a CognitoAuth uses is known before the module is ready.
        const given = getter === "storage" ? storageOf(state.args) : undefined;
        if (given != null) return given;
        throw failure(state, `${name}.${getter}`);
      },
    });
  }
  if (spec.preload !== undefined) {
    const members = [spec.async, spec.sync, spec.deferred, spec.getters].flat();
    proto.preload = function (member) {
      stateOf(this);
      if (member !== undefined && !members.includes(member)) return Promise.reject(notAMember(name, member));
      return mod.whenReady();
    };
  }
  proto.free = function () {
    const state = stateOf(this);
    if (state.inner) return state.inner.free();
    state.error ??= new TypeError(`this ${name} was freed`);
  };
  if (typeof Symbol.dispose === "symbol") proto[Symbol.dispose] = proto.free;
  if (mod.ready) FACADES.set(mod.exports[name], facade);
  else mod.waiting.unshift(() => FACADES.set(mod.exports[name], facade));
  return facade;
}

const INFLIGHT = new WeakMap(); // glue object → { calls, retired: () => void }

/** Counts `value`'s Promise as in flight on `inner` (an object retires once none is left). */
function track(inner, value) {
  if (!(value instanceof Promise)) return value;
  const entry = INFLIGHT.get(inner) ?? { calls: 0, retired: undefined };
  INFLIGHT.set(inner, entry);
  entry.calls++;
  const done = () => {
    if (--entry.calls === 0) entry.retired?.();
  };
  value.then(done, done);
  return value;
}

/**
 * Puts `tiers[level]` in the place of each lower tier that is not ready and that it may replace
 * (./first-module.js's `mayTakePlace`: a plain-only tier only plain-only ones): their fetches
 * stop, the objects waiting for them wait for it. Returns their gates (of `init()` Promises), for
 * the caller to settle with `tiers[level]`.
 */
function collapse(tiers, level) {
  const target = tiers[level];
  const gates = [];
  for (let lower = 0; lower < level; lower++) {
    const tier = tiers[lower];
    if (tier === target || tier.ready || !mayTakePlace(target.plain, tier.plain)) continue;
    tier.abort?.abort();
    tier.attempt++;
    if (tier.pending) gates.push(tier.pending);
    tier.pending = undefined;
    target.waiting.push(...tier.waiting);
    tier.waiting = [];
    tiers[lower] = target;
  }
  return gates;
}

/** Settles `gates` as `promise` settles. */
function forward(gates, promise) {
  for (const gate of gates) promise.then(gate.resolve, gate.reject);
  return promise;
}

/**
 * The class `name` over `tiers` (WasmModules, each a superset of the one before for the objects
 * that may live in both), usable before any is ready. `spec.level` is the lowest tier that has the class; `spec.async`, `spec.sync`,
 * `spec.deferred` and `spec.getters` map each member to the lowest tier that has it (read from
 * each build's .d.ts). An object is built in its class's tier (or the highest tier already
 * ready); a call of a higher tier's member loads that tier, builds an object there with the same
 * arguments, hands over what the old one holds only in memory (`__handover` → `__adopt`), attaches
 * the subscriptions made through `deferred` members (listeners stay here) and uses it from then
 * on; the old object is unsubscribed and freed once its calls in flight have settled.
 * `spec.preload`: the tier `preload()` moves to (`preload(member, ...args)`: the tier of that call). A call of a higher tier's member while no tier is
 * ready takes the higher tier in the place of the lower ones (their fetches stop). `first(name,
 * args, level)`, asked by each constructor, may name a tier to start at once (the first module),
 * or answer null: the object's tier is not started by it (the choice comes later).
 * `needs(name, member, args)`, asked by each call of an `async` member, may name a higher tier
 * that call needs by its arguments (./call-tiers.js: the passkey sign-in); the call runs there.
 * `plainFor(name, args)`, asked by each constructor, says whether the object is plain (the
 * CognitoAuth options the plain-only tiers take; `spec.rich`: no object of the class is): one
 * that is not never lives in a tier whose module is plain-only (`tiers[i].plain`), and every
 * member of it runs in the lowest tier at or above the member's that takes it (`fit`).
 */
export function tieredClass(tiers, name, spec, first, needs, plainFor) {
  /** The lowest tier at or above `level` (and the class's) the state's object may live in. */
  const fit = (state, level) => fitTier(Math.max(level, spec.level), state.plain, (tier) => tiers[tier].plain);
  /** The highest tier above `level` the object may live in that is ready (or, with `loading`, on its way), else `level`. */
  const above = (state, level, loading) => {
    for (let higher = tiers.length - 1; higher > level; higher--) {
      if ((tiers[higher].ready || (loading && tiers[higher].pending)) && fit(state, higher) === higher) return higher;
    }
    return level;
  };
  /** Builds (or moves) the state's object in tier `level`; throws the constructor's error. */
  const move = (state, level) => {
    if (state.error) throw state.error;
    if (state.inner && (state.level >= level || tiers[state.level] === tiers[level])) {
      state.level = Math.max(state.level, level); // a collapsed tier: the object is there already
      return;
    }
    const old = state.inner;
    let inner;
    try {
      inner = new (tiers[level].exports[name])(...state.args);
    } catch (thrown) {
      if (!old) state.error = thrown;
      throw thrown;
    }
    if (old) {
      const handover = old.__handover?.();
      if (handover !== undefined) inner.__adopt?.(handover);
    }
    const oldUnsubscribes = [];
    for (const sub of state.subs) {
      if (sub.unsubscribe) oldUnsubscribes.push(sub.unsubscribe);
      try {
        sub.unsubscribe = inner[sub.method](...sub.args);
      } catch {
        sub.unsubscribe = undefined;
        state.subs.delete(sub);
      }
    }
    state.inner = inner;
    state.level = level;
    if (old) {
      const retire = () => {
        for (const unsubscribe of oldUnsubscribes) unsubscribe();
        old.free();
      };
      const entry = INFLIGHT.get(old);
      if (entry?.calls) entry.retired = retire;
      else retire();
    }
  };
  /** Resolves with the state's object in tier `level` or above, loading that tier first. */
  const reach = (state, level) => {
    if (state.error) return Promise.reject(state.error);
    level = fit(state, level);
    if (state.inner && state.level >= level && !state.moving) return Promise.resolve(state.inner);
    // Nothing is ready yet: the tier needed takes the place of the lower ones on their way that it
    // may replace (their fetches stop; a call already waiting for one of them waits for it).
    const target = above(state, level, true);
    if (target > 0 && !tiers.some((tier) => tier.ready)) {
      const gates = collapse(tiers, target);
      const ready = tiers[target].whenReady();
      ready.catch(() => {}); // the calls below reject with it
      forward(gates, ready);
    }
    const before = state.moving ?? Promise.resolve();
    const moving = before
      .catch(() => {})
      .then(() => {
        // A higher tier already loading is used rather than fetching a second file.
        level = fit(state, Math.max(level, state.inner ? state.level : -1, above(state, level, true)));
        return tiers[level].whenReady();
      })
      .then(() => {
        move(state, level);
        return state.inner;
      });
    state.moving = moving;
    const clear = () => {
      if (state.moving === moving) state.moving = undefined;
    };
    moving.then(clear, clear);
    return moving;
  };
  const facade = {
    [name]: class {
      constructor(...args) {
        args = argsFor(name, args);
        const plain = !spec.rich && (plainFor?.(name, args) ?? true);
        const chosen = first?.(name, args, spec.level, plain);
        const state = { args, inner: undefined, level: -1, plain, error: undefined, subs: new Set(), moving: undefined };
        const level = (state.home = fit(state, Math.max(above(state, fit(state, 0), true), chosen ?? -1)));
        STATE.set(this, state);
        const tier = tiers[level];
        if (tier.ready) move(state, level);
        else {
          tier.waiting.push(() => {
            try {
              if (!state.inner) move(state, level);
            } catch {
              // kept in state.error for the calls
            }
          });
          if (chosen !== null && (level > 0 || chosen !== undefined)) tier.whenReady().catch(() => {});
        }
      }
    },
  }[name];
  const proto = facade.prototype;
  const stateOf = (self) => stateFor(self, name);
  const failure = (state, level, what) =>
    state.error ?? tiers[Math.max(level, state.home)].error ?? tiers[level].error ?? new WasmNotReadyError(what);
  /** The object to call a synchronous member of tier `level` on, or throws. */
  const now = (state, level, what) => {
    level = fit(state, level);
    if (state.inner && state.level >= level) return state.inner;
    if (state.error) throw state.error;
    const ready = above(state, level, false);
    if (!tiers[ready].ready) throw failure(state, level, what);
    move(state, ready);
    return state.inner;
  };

  for (const [method, member] of Object.entries(spec.async)) {
    proto[method] = function (...args) {
      const state = stateOf(this);
      const level = Math.max(member, needs?.(name, method, args) ?? member);
      if (state.inner && state.level >= level && !state.moving) return track(state.inner, state.inner[method](...args));
      return reach(state, level).then((inner) => track(inner, inner[method](...args)));
    };
  }
  for (const [method, level] of Object.entries(spec.sync)) {
    proto[method] = function (...args) {
      const inner = now(stateOf(this), level, `${name}.${method}()`);
      return wrapResult(inner[method](...args));
    };
  }
  for (const [method, level] of Object.entries(spec.deferred)) {
    // Subscriptions: kept here and attached to each object the state moves to.
    proto[method] = function (...args) {
      const state = stateOf(this);
      if (state.error) throw state.error;
      const sub = { method, args, unsubscribe: undefined };
      if (state.inner && state.level >= level) sub.unsubscribe = state.inner[method](...args);
      else if (tiers[fit(state, level)].error) throw failure(state, level, `${name}.${method}()`);
      else if (state.inner) reach(state, level).catch(() => {});
      state.subs.add(sub);
      return () => {
        state.subs.delete(sub);
        const unsubscribe = sub.unsubscribe;
        sub.unsubscribe = undefined;
        return unsubscribe?.();
      };
    };
  }
  for (const [getter, level] of Object.entries(spec.getters)) {
    Object.defineProperty(proto, getter, {
      configurable: true,
      get() {
        const state = stateOf(this);
        // The storage a CognitoAuth uses is known before the module is ready.
        const given = getter === "storage" ? storageOf(state.args) : undefined;
        if (!(state.inner && state.level >= level) && given != null && !tiers[above(state, fit(state, level), false)].ready) return given;
        return wrapResult(now(state, level, `${name}.${getter}`)[getter]);
      },
    });
  }
  if (spec.preload !== undefined) {
    /** The lowest tier that has `member`, else undefined. */
    const levelOf = (member) => {
      for (const kind of [spec.async, spec.sync, spec.deferred, spec.getters]) {
        if (typeof member === "string" && Object.hasOwn(kind, member)) return kind[member];
      }
      return undefined;
    };
    proto.preload = function (member, ...args) {
      const state = stateOf(this);
      const own = member === undefined ? spec.preload : levelOf(member);
      if (own === undefined) return Promise.reject(notAMember(name, member));
      // `preload(member, ...args)`: the tier that call would run in (./call-tiers.js).
      return reach(state, Math.max(own, needs?.(name, member, args) ?? own)).then(() => {});
    };
  }
  proto.free = function () {
    const state = stateOf(this);
    const inner = state.inner;
    state.inner = undefined;
    state.error ??= new TypeError(`this ${name} was freed`);
    inner?.free();
  };
  if (typeof Symbol.dispose === "symbol") proto[Symbol.dispose] = proto.free;
  for (const tier of new Set(tiers.slice(spec.level))) {
    // (A plain-only tier may lack a class of the tiers below it: CookieStorage.)
    const register = () => tier.exports?.[name] && FACADES.set(tier.exports[name], facade);
    if (tier.ready) register();
    else tier.waiting.unshift(register);
  }
  return facade;
}

/** Whether `wasm` is a map of file names to sources (a plain object), not one source. */
function isFileMap(wasm) {
  return wasm !== null && typeof wasm === "object" && Object.getPrototypeOf(wasm) === Object.prototype;
}

/**
 * `init()` for the tiers of the browser entry: resolves once the first module is ready — the one
 * loaded, or on its way, or else the one `choose()` names (its index), started now. `wasm` given
 * as a function of the file name or a map `{ [file]: source }` supplies each tier's file (the
 * tiers on their way restart from it, the others take it when first needed); one source is the
 * top tier (every class and method), used for everything.
 */
export function initTiers(tiers, choose) {
  /** The first tier: ready, on its way, tried, or else chosen now. */
  const first = () =>
    tiers.find((tier) => tier.ready) ?? tiers.find((tier) => tier.pending) ?? tiers.find((tier) => tier.attempt > 0) ?? tiers[choose()];
  return function init(options) {
    const wasm = options?.wasm;
    if (wasm === undefined) return first().whenReady();
    if (typeof wasm === "function" || isFileMap(wasm)) {
      const source = (file) => (typeof wasm === "function" ? wasm(file) : wasm[file]);
      for (const tier of tiers) tier.supplied = () => source(tier.file);
      if (tiers.some((tier) => tier.ready)) return Promise.resolve();
      const underway = [...new Set(tiers.filter((tier) => tier.pending))];
      for (const tier of underway) tier.start(source(tier.file));
      const tier = underway[0] ?? first();
      return underway.length ? tier.whenReady() : tier.start(source(tier.file));
    }
    const highest = tiers[tiers.length - 1];
    // One file: every tier is the top one; what waited for a lower tier waits for it.
    const gates = tiers.some((tier) => tier !== highest && tier.ready) ? [] : collapse(tiers, tiers.length - 1);
    return forward(gates, highest.ready ? Promise.resolve() : highest.start(wasm));
  };
}

/** `init()` for the modules of an entry: an explicit source for each, or wait for the defaults. */
export function initFor(modules) {
  return function init(options) {
    const wasm = options?.wasm;
    return Promise.all(
      modules.map((mod) => {
        if (wasm === undefined || mod.ready) return mod.whenReady();
        return mod.start(typeof wasm === "function" ? wasm(mod.file) : wasm);
      }),
    ).then(() => {});
  };
}
