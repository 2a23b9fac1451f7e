// `npm start`: the compiled server (./compiled.mjs builds it when a source changed).
import { runCompiled } from './compiled.mjs';

await runCompiled('main.js');
