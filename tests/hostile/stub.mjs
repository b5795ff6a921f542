// A scripted Cognito stand-in for the hostile-server tests: node:http on 127.0.0.1 whose answer
// to each request is decided by the test. By default it forwards every call to a real upstream
// (the local emulator), so a test can take a genuine answer and spoil one field, or answer with
// anything at all: a status, headers, a body, a delay, a redirect, a reset connection.
//
//   const stub = await startStub({ upstream: "http://127.0.0.1:9229/" });
//   stub.script((call) => ({ status: 500, body: "<html>oops</html>" }));   // or null: forward
//   stub.count("InitiateAuth")   // requests seen per operation (X-Amz-Target suffix)
//   await stub.close();
import http from "node:http";

/** @typedef {{target: string, op: string, body: any, raw: string, n: number, forward: () => Promise<{status:number, headers:Record<string,string>, text:string}>}} Call */
/** @typedef {{status?: number, headers?: Record<string,string>, body?: string | Buffer, json?: any, delayMs?: number, stallBodyMs?: number, destroy?: boolean, destroyAfterBytes?: number, redirect?: {status: number, location: string}}} Action */

export async function startStub({ upstream }) {
  let script = () => null;
  const counts = new Map();
  const sockets = new Set();
  const timers = new Set();

  const forward = async (op, raw, headers) => {
    const response = await fetch(upstream, {
      method: "POST",
      headers: { "content-type": headers["content-type"] ?? "application/x-amz-json-1.1", "x-amz-target": headers["x-amz-target"] ?? "" },
      body: raw,
    });
    const out = {};
    for (const name of ["content-type", "x-amzn-errortype", "x-amzn-requestid"]) {
      const value = response.headers.get(name);
      if (value !== null) out[name] = value;
    }
    return { status: response.status, headers: out, text: await response.text() };
  };

  const later = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks).toString("utf8");
    if (req.url !== "/") {
      // Where redirects point: counted, never answered usefully.
      counts.set(`path:${req.url}`, (counts.get(`path:${req.url}`) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}");
      return;
    }
    const target = req.headers["x-amz-target"] ?? "";
    const op = target.split(".").pop();
    const n = (counts.get(op) ?? 0) + 1;
    counts.set(op, n);
    let body;
    try { body = JSON.parse(raw); } catch { body = undefined; }
    /** @type {Action | null} */
    let action;
    try {
      action = await script({ target, op, body, raw, n, forward: () => forward(op, raw, req.headers) });
    } catch (e) {
      action = { status: 599, body: `stub script threw: ${e?.stack ?? e}` };
    }
    if (action == null) {
      const real = await forward(op, raw, req.headers);
      action = { status: real.status, headers: real.headers, body: real.text };
    }
    if (action.delayMs) await later(action.delayMs);
    if (action.destroy) {
      req.socket.destroy();
      return;
    }
    if (action.redirect) {
      res.writeHead(action.redirect.status, { location: action.redirect.location, "content-length": "0" }).end();
      return;
    }
    const payload = action.json !== undefined ? JSON.stringify(action.json) : (action.body ?? "");
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, "utf8");
    const headers = { "content-type": "application/x-amz-json-1.1", ...action.headers };
    if (action.destroyAfterBytes !== undefined) {
      res.writeHead(action.status ?? 200, { ...headers, "content-length": String(bytes.length) });
      res.write(bytes.subarray(0, action.destroyAfterBytes));
      setImmediate(() => req.socket.destroy());
      return;
    }
    if (action.stallBodyMs) {
      res.writeHead(action.status ?? 200, { ...headers, "content-length": String(bytes.length) });
      res.write(bytes.subarray(0, 1));
      await later(action.stallBodyMs);
      if (!res.destroyed) res.end(bytes.subarray(1));
      return;
    }
    res.writeHead(action.status ?? 200, { ...headers, "content-length": String(bytes.length) });
    res.end(bytes);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}/`,
    /** @param {(call: Call) => Action | null | Promise<Action | null>} fn */
    script(fn) { script = fn; },
    /** Answers honestly again (forwarding to the upstream). */
    honest() { script = () => null; },
    count(op) { return counts.get(op) ?? 0; },
    resetCounts() { counts.clear(); },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
