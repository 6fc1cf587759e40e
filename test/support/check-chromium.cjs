// `npm test`'s pretest: the catalog browser test drives Debian's Chromium at /usr/bin/chromium (or $MESH_CHROMIUM, a
// Chromium elsewhere). When Debian's is missing, install it (as root or through password-less sudo), so that `npm test`
// is all a fresh machine needs. Where that is not possible, say so in one line before the run rather than in every
// browser test's failure.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = process.env.MESH_CHROMIUM || '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends chromium';
const BY_HAND = 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium';

function run(command, args) {
  return spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
}

/** How to run INSTALL here, if this machine can: Debian (apt-get) and root, or password-less sudo. */
function installer() {
  if (process.env.MESH_CHROMIUM || !run('sh', ['-c', 'command -v apt-get'])) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return ['sh', ['-c', INSTALL]];
  if (run('sudo', ['-n', 'true'])) return ['sudo', ['-n', 'sh', '-c', INSTALL]];
  return undefined;
}

function fail(why) {
  console.error(`npm test needs Chromium at ${CHROMIUM} for the catalog browser test and ${why}: run \`${BY_HAND}\`, then npm test again.`);
  process.exit(1);
}

if (!fs.existsSync(CHROMIUM)) {
  const how = installer();
  if (!how) {
    fail(process.env.MESH_CHROMIUM ? 'MESH_CHROMIUM names no file' : 'cannot install it here (needs apt-get and root or password-less sudo)');
  }
  console.error(`npm test: installing Chromium for the catalog browser test (${INSTALL})…`);
  if (!run(...how) || !fs.existsSync(CHROMIUM)) fail('could not install it (see apt-get\'s message above)');
  console.error(`npm test: Chromium installed at ${CHROMIUM}.`);
}
