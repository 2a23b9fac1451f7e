// `npm run cli -- <command> ...`: the compiled command line (./compiled.mjs builds it when a
// source changed), as `npm start` runs the compiled server.
import { runCompiled } from './compiled.mjs';

await runCompiled('cli/main.js');
