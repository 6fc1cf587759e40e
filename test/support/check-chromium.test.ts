/**
 * `npm test`'s pretest (test/support/check-chromium.cjs): quiet when Chromium is there; when it is missing and cannot
 * be installed, one line that says what to run. (The install itself runs for real on a machine without Chromium:
 * CI's fresh machine, where .ci/run runs only `npm ci`, `npm start` and `npm test`.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.join(__dirname, 'check-chromium.cjs');

function pretest(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('npm test pretest: Chromium for the catalog browser test', () => {
  it('passes silently when the Chromium it is pointed at exists', () => {
    expect(pretest({ MESH_CHROMIUM: process.execPath })).toEqual({ status: 0, stderr: '' });
  });

  it('stops with one line naming the path and the command to run when Chromium is missing and cannot be installed', () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'no-chromium-')), 'chromium');
    const { status, stderr } = pretest({ MESH_CHROMIUM: missing });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`Chromium at ${missing}`);
    expect(stderr).toContain('MESH_CHROMIUM names no file');
    expect(stderr).toContain('sudo apt-get install -y --no-install-recommends chromium');
  });
});

describe('the README commands are what CI runs', () => {
  it('.ci/run runs exactly the commands of the README\'s "This repository" block, nothing installed by hand', () => {
    const root = path.join(__dirname, '..', '..');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## This repository'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
    const readmeCommands = block.split('\n').flatMap((line) => line.split('&&')).map((c) => c.trim()).filter(Boolean);
    const ciCommands = fs
      .readFileSync(path.join(root, '.ci', 'run'), 'utf8')
      .split('\n')
      .filter((line) => /^npm |^npx |apt-get|chromium/.test(line.trim()))
      .map((line) => line.trim());
    expect(readmeCommands).toEqual(['npm ci', 'npm start', 'npm test']);
    expect(ciCommands).toEqual(readmeCommands);
  });
});
