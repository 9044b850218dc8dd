// `npm run up`'s install step, in plain JavaScript because it runs before anything is installed or built.
// Node 20's own npm 10 ignores package.json `allowScripts`, so onnxruntime-node's install script would
// try to download CUDA files (and fail offline); the CPU build the workers use ships in its tarball.
// Setting the variable here rather than in the npm script keeps `npm run up` working on every shell.
import { spawnSync } from 'node:child_process';

const npm = process.env['npm_execpath'];
if (!npm) throw new Error('run this through npm: npm run up');
const result = spawnSync(process.execPath, [npm, 'ci', '--no-audit', '--no-fund'], {
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
});
process.exitCode = result.status ?? 1;
