// `npm test`'s pretest: the catalog browser test drives Debian's Chromium at /usr/bin/chromium (as .ci/run installs
// it). Without it, say so in one line before the run rather than in every browser test's failure.
const fs = require('node:fs');

const CHROMIUM = '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  console.error(
    `npm test needs Chromium at ${CHROMIUM} for the catalog browser test: run \`sudo apt-get update && sudo apt-get install -y chromium\` (what .ci/run does), then npm test again.`,
  );
  process.exit(1);
}
