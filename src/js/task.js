// The browser modules' tasks (src/js/task.rs): `drive` polls a task from the next microtask on,
// then each time the Promise it awaits settles. Only calls: the rules are in Rust.

let next; // the Promise the task being polled awaits next (`wait`)
const live = new Set(); // the `reject` of each driven Promise still pending

export function wait(promise) {
  next = promise;
}

export function drive(task) {
  return new Promise((resolve, reject) => {
    live.add(reject);
    const step = (ok, value) => {
      if (!live.has(reject)) return; // abandoned: its task died with the instance
      next = undefined;
      let out;
      try {
        out = task.poll(ok, value);
      } catch (error) {
        next = undefined;
        if (!live.delete(reject)) throw error; // a panic: rejected by `abandon`; it escapes, as a task's would
        task.free();
        return reject(error);
      }
      const awaiting = next;
      next = undefined;
      if (awaiting === undefined) {
        live.delete(reject);
        task.free();
        return resolve(out);
      }
      awaiting.then(
        (v) => queueMicrotask(() => step(true, v)),
        (e) => queueMicrotask(() => step(false, e)),
      );
    };
    queueMicrotask(() => step(true));
  });
}

export function detach(task) {
  drive(task).catch(() => {});
}

export function abandon(error) {
  for (const reject of live) reject(error);
  live.clear();
}
