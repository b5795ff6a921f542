// The options copy (src/js/snapshot.js, called by src/js/args.rs's `snapshot`): what it copies,
// what it leaves out, and its three refusals (1 too deep, 2 too many properties, 0 a read threw).
import { test } from "node:test";
import assert from "node:assert/strict";
import { snapshot } from "../../src/js/snapshot.js";

const copy = (value, budget = 10_000) => snapshot(value, "storage,fetch", 16, budget);
const code = (f) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return "none";
};

test("own and inherited string keys into prototype-less objects; arrays by index", () => {
  class Base {
    constructor() {
      this.own = 1;
    }
    get inherited() {
      return "from the prototype";
    }
  }
  const base = Object.create(new Base(), { own: { value: "shadows", enumerable: false } });
  const out = copy({ a: [1, "x", { b: null }], storage: {}, fetch() {}, f() {}, nested: { storage: 2 }, base, [Symbol("s")]: 1 });
  assert.equal(Object.getPrototypeOf(out), null);
  assert.deepEqual(Object.keys(out), ["a", "nested", "base"], "top-level storage/fetch, functions and symbols left out");
  assert.equal(Object.getPrototypeOf(out.a), Array.prototype);
  assert.deepEqual(out.a[2], Object.assign(Object.create(null), { b: null }));
  assert.equal(out.nested.storage, 2, "only the top level's storage is by reference");
  assert.equal(out.base.own, "shadows", "an own key shadows an inherited one");
  assert.equal(out.base.inherited, "from the prototype");
  assert.equal(copy(Object.assign(Object.create(null), { toString: "t" })).toString, "t");
  assert.deepEqual(copy({ length: "2", 0: "a" }), Object.assign(Object.create(null), { 0: "a", length: "2" }));
  const fake = Object.setPrototypeOf({ length: "x", 0: 1 }, Array.prototype);
  assert.deepEqual(copy(fake), [], "an array whose length is not a number: none");
  assert.equal(copy("text"), "text");
});

test("too deep, too many properties, a read that throws", () => {
  const cycle = {};
  cycle.self = cycle;
  assert.equal(code(() => copy(cycle)), 1);
  let nested = {};
  for (let i = 0; i < 15; i++) nested = { nested };
  assert.notEqual(code(() => copy(nested)), 1, "16 levels");
  assert.equal(code(() => copy({ nested })), 1, "17 levels");
  assert.equal(code(() => copy({ a: 1, b: 2, c: 3 }, 2)), 2);
  assert.equal(code(() => copy({ a: 1, b: 2 }, 2)), "none");
  assert.equal(code(() => copy([1, 2, 3], 2)), 2);
  assert.equal(code(() => copy({ get a() { throw 1; } })), 0, "whatever the getter throws");
  assert.equal(code(() => copy(new Proxy({}, { ownKeys() { throw 2; } }))), 0);
  assert.equal(code(() => copy(new Proxy({}, { getPrototypeOf() { throw new Error(); } }))), 0);
});
