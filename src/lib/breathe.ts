// Long work on the server's one thread (an import of a big file) must leave room for the other
// requests: a health check or an hour entry should not wait for the whole file. Loops of such
// work call `breathe()` often; it pauses (one turn of the event loop) once `sliceMs` have
// passed since the last pause, and costs a clock read otherwise.

let lastPause = performance.now();

export async function breathe(sliceMs = 15): Promise<void> {
  if (performance.now() - lastPause < sliceMs) return;
  await new Promise((resolve) => setImmediate(resolve));
  lastPause = performance.now();
}
