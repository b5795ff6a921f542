// A request's I/O (src/js/fetch.rs and src/js/context_data.rs hold every rule): post and sleep,
// and the request's context (contextData). One file for the three: the test runner's page loads
// each snippet as a request of its own (scripts/wasm-test-runner says why fewer is better).
// post(fetch, url, contentType, target, authorization, body, ms, wait): after `wait` ms (at once
// when negative), `fetch(new Request(url, { method: "POST", headers, body, signal, redirect:
// "manual" }))` and its `text()`, both within `ms` (the caller's `fetch` with `this` undefined,
// else `globalThis.fetch`); headers whose value is undefined are left out. Resolves with
// [status, type === "opaqueredirect", x-amzn-errortype or null, text]; rejects with [0] when the
// timer fired first (the request is aborted), [1] when there is no fetch, [2, thrown] when
// `new Request` threw, [3, thrown] when the rest threw or rejected, [4] when fetch resolved to
// something that is not a Response.
export function post(fetch, url, type, target, authorization, body, ms, wait) {
  return new Promise((resolve, reject) => {
    const go = () => {
      const g = globalThis, f = fetch || g.fetch, headers = { "Content-Type": type };
      let kind = 3, fired, timer, controller, request;
      if (typeof f != "function") return reject([1]);
      try {
        controller = new AbortController();
      } catch (e) {
        return reject([3, e]);
      }
      if (target !== undefined) headers["X-Amz-Target"] = target;
      if (authorization !== undefined) headers.Authorization = authorization;
      try {
        if (typeof g.Request != "function") throw undefined;
        request = new g.Request(url, { method: "POST", headers, body, signal: controller.signal, redirect: "manual" });
      } catch (e) {
        return reject([2, e]);
      }
      timer = setTimeout(() => {
        fired = 1;
        controller.abort();
        reject([0]);
      }, ms);
      let response;
      new Promise((r) => r(f.call(fetch ? undefined : g, request)))
        .then((r) => {
          let ok;
          try {
            ok = r instanceof Response;
          } catch {}
          if (!ok) throw (kind = 4);
          return (response = r).text();
        })
        .then((text) => {
          let errorType = null;
          try {
            errorType = response.headers.get("x-amzn-errortype");
          } catch {}
          return [response.status, response.type === "opaqueredirect", errorType, text];
        })
        .then(
          (answer) => {
            clearTimeout(timer);
            resolve(answer);
          },
          (e) => {
            clearTimeout(timer);
            reject(fired ? [0] : [kind, e]);
          },
        );
    };
    wait < 0 ? go() : setTimeout(go, wait);
  });
}

// sleep(ms): a Promise resolved with undefined after `ms` ms.
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// contextData(option, username, poolId, clientId): the context of one request
// (src/js/context_data.rs, where its contract is): `[encodedData, ipAddress]` (each a string or
// undefined) of `option(username)` when `option` is given, else of
// globalThis.AmazonCognitoAdvancedSecurityData.getData(username, poolId, clientId) where that is
// a method of an object; undefined when there is none, a call throws or the answer is neither a
// string nor an object. A property read that throws is undefined.
export function contextData(option, username, poolId, clientId) {
  let value;
  try {
    if (option) value = option(username);
    else {
      const script = globalThis.AmazonCognitoAdvancedSecurityData;
      if (typeof script != "object" || script === null) return;
      const getData = script.getData;
      if (typeof getData != "function") return;
      value = getData.call(script, username, poolId, clientId);
    }
  } catch {
    return;
  }
  if (typeof value == "string") return [value];
  if (typeof value != "object" || value === null) return;
  const text = (key) => {
    try {
      const item = value[key];
      return typeof item == "string" ? item : undefined;
    } catch {}
  };
  const ip = text("ipAddress");
  return [text("encodedData"), ip];
}
