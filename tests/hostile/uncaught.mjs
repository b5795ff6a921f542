// What escapes as an uncaught exception while a test runs (an app would see it in its
// 'uncaughtException' handler): shared by the option and panic tests.

/** Runs `work` with 'uncaughtException' captured (node:test's own listeners put back after); returns what escaped. */
export async function capturingUncaught(work) {
  const escaped = [];
  const listeners = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  const onUncaught = (e) => escaped.push(e);
  process.on("uncaughtException", onUncaught);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off("uncaughtException", onUncaught);
    for (const l of listeners) process.on("uncaughtException", l);
  }
  return escaped;
}
