// Load generator for bench/hours-post.ts, in a worker thread (its own core): `connections`
// keep-alive loops post hours for `seconds`, request i going to contract i mod `contracts`
// and month floor(i / contracts), so each request is a new contract-month.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, connections, seconds, start, contracts, token, prefix } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const monthName = (m) => `${2017 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
let next = start;
const lat = [];
const statuses = {};
let errors = 0;
const deadline = performance.now() + seconds * 1000;

function one() {
  return new Promise((resolve) => {
    const i = next++;
    const body = JSON.stringify({ month: monthName(Math.floor(i / contracts) % 120), hours: '7,5' });
    const t0 = performance.now();
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/contracts/C-${i % contracts}/hours`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'idempotency-key': `${prefix}-${i}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          lat.push(performance.now() - t0);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(body);
  });
}

async function loop() {
  while (performance.now() < deadline) await one();
}

await Promise.all(Array.from({ length: connections }, loop));
agent.destroy();
const latencies = Float64Array.from(lat);
parentPort.postMessage({ sent: next - start, latencies, statuses, errors }, [latencies.buffer]);
