import v8 from 'node:v8';
import vm from 'node:vm';

// Between the chunks of a big import: V8 lets garbage grow to hundreds of MB before it
// collects (what a chunk leaves behind is garbage: the live heap stays small), so the
// process's peak memory would grow with the file. Past a threshold, a full collection is
// asked for, which keeps the peak flat. Without the `gc` function (flags refused), nothing.

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc !== undefined) return gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  } catch {
    gc = null;
  }
  return gc;
}

/**
 * Collects garbage when the heap holds more than `thresholdMb`. At 64 MB (the live heap of a
 * big import is about 30 MB), a 1 M-row import peaked at 281 MiB instead of 308 at 80 MB and
 * 384 at 160, in the same time.
 */
export function releaseGarbage(thresholdMb = 64): void {
  if (process.memoryUsage().heapUsed < thresholdMb * 1048576) return;
  collector()?.();
}
