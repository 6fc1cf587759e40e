import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register, runContractCheck } from '../../../lib/cli/contract';
import { ORDER_PLACED, PAGE_VIEWED, spec, tempDir, writeAssembly } from './helpers';

const REPO = path.resolve(__dirname, '../../..');

let dir: string;
let assembly: string;
let contracts: string;
let logged: string[];

beforeEach(() => {
  dir = tempDir('mesh-contract-cli');
  assembly = writeAssembly(dir, [spec(ORDER_PLACED), spec(PAGE_VIEWED)]);
  contracts = path.join(dir, 'contracts');
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `mesh --assembly <assembly> contract …` through commander, as bin/mesh.ts does. */
async function mesh(...args: string[]): Promise<{ output: string; exitCode: number }> {
  const program = new Command('mesh').option('-a, --assembly <dir>', 'cloud assembly', 'cdk.out').exitOverride();
  register(program);
  logged = [];
  process.exitCode = undefined;
  await program.parseAsync(['--assembly', assembly, 'contract', ...args, '--dir', contracts], { from: 'user' });
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { output: logged.join('\n'), exitCode };
}

const lockOf = () => path.join(contracts, 'orders.order_placed.v1.odcs.yaml');

describe('mesh contract', () => {
  it('check reports new versions before any lock, lock writes them, check then passes', async () => {
    const before = await mesh('check');
    expect(before.exitCode).toBe(0);
    expect(before.output).toContain('orders.order_placed.v1');
    expect(before.output).toContain('new version, no lock yet');

    const lock = await mesh('lock');
    expect(lock.exitCode).toBe(0);
    expect(lock.output).toBe(
      [`wrote ${path.join(contracts, 'orders.order_placed.v1.odcs.yaml')}`, `wrote ${path.join(contracts, 'storefront.page_viewed.v1.odcs.yaml')}`].join('\n'),
    );

    const after = await mesh('check');
    expect(after).toEqual({ exitCode: 0, output: `OK: 2 product versions checked against ${contracts} (2 unchanged).` });
  });

  it('lock adds the mesh servers with the names the manifest records', async () => {
    await mesh('lock');
    const lock = fs.readFileSync(lockOf(), 'utf8');
    expect(lock).toContain('servers:\n  - server: mesh-kinesis\n    type: kinesis\n');
    expect(lock).toContain('value: shop-orders-order_placed-v1');
    expect((await mesh('check')).exitCode).toBe(0);
  });

  it('a property in the lock that the code lacks fails the check, naming the column as removed', async () => {
    await mesh('lock');
    const lock = fs.readFileSync(lockOf(), 'utf8');
    const extra = ['      - name: coupon_code', '        logicalType: string', '        physicalType: string', '        required: false'].join('\n');
    fs.writeFileSync(lockOf(), lock.replace('    customProperties:\n      - property: partitionKey', `${extra}\n    customProperties:\n      - property: partitionKey`));

    const { output, exitCode } = await mesh('check');
    expect(exitCode).toBe(1);
    expect(output).toContain('orders.order_placed.v1');
    expect(output).toContain('  BREAKING  coupon_code: string → (none)  [column removed]');
    expect(output).toContain(`FAILED: 2 product versions checked against ${contracts} (1 breaking, 1 unchanged).`);
  });

  it('an optional property missing from the lock passes the check, listed as an added optional column', async () => {
    await mesh('lock');
    const lock = fs.readFileSync(lockOf(), 'utf8');
    const withoutGiftNote = lock.replace(/ {6}- name: gift_note\n( {8}.*\n)+?(?= {6}- name:)/, '');
    expect(withoutGiftNote).not.toBe(lock);
    fs.writeFileSync(lockOf(), withoutGiftNote);

    const { output, exitCode } = await mesh('check');
    expect(exitCode).toBe(0);
    expect(output).toContain('non-breaking changes (run `mesh contract lock` to record them)');
    expect(output).toContain('  ok        gift_note: (none) → string  [optional column added]');
  });

  it('a nested field change is named by its path', async () => {
    await mesh('lock');
    fs.writeFileSync(lockOf(), fs.readFileSync(lockOf(), 'utf8').replace('struct<city:string>', 'struct<city:string,zip:string>').replace(
      '            required: true\n',
      '            required: true\n          - name: zip\n            logicalType: string\n            physicalType: string\n            required: false\n',
    ));
    const { output, exitCode } = await mesh('check');
    expect(exitCode).toBe(1);
    expect(output).toContain('  BREAKING  shipping.zip: string → (none)  [nested field removed]');
  });

  it('--json prints the machine-readable report', async () => {
    await mesh('lock');
    const { output, exitCode } = await mesh('check', '--json');
    expect(exitCode).toBe(0);
    const report = JSON.parse(output);
    expect(report.breaking).toBe(false);
    expect(report.products.map((p: { product: string; status: string }) => [p.product, p.status])).toEqual([
      ['orders.order_placed.v1', 'unchanged'],
      ['storefront.page_viewed.v1', 'unchanged'],
    ]);
  });

  it('lock refuses to overwrite a breaking change without --force', async () => {
    await mesh('lock');
    const { gift_note: _removed, ...columns } = ORDER_PLACED.columns;
    writeAssembly(dir, [spec(ORDER_PLACED, { columns }), spec(PAGE_VIEWED)]);
    const refused = await mesh('lock');
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain(`refused ${lockOf()}: BREAKING changes`);
    expect(refused.output).toContain('  BREAKING  gift_note: string → (none)  [column removed]');
    const forced = await mesh('lock', '--force');
    expect(forced).toEqual({ exitCode: 0, output: `wrote ${lockOf()}` });
  });

  it('names the missing assembly', () => {
    expect(() => runContractCheck({ assembly: path.join(dir, 'nowhere') })).toThrow(/^No cloud assembly at ".*nowhere": run `npx cdk synth --no-notices` first/);
  });

  it('is registered in bin/mesh and exits 1 on a breaking change', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO, 'bin/mesh.js'), '--assembly', assembly, 'contract', ...args, '--dir', contracts], {
        cwd: dir,
        encoding: 'utf8',
      });
    expect(run('lock').status).toBe(0);
    fs.writeFileSync(lockOf(), fs.readFileSync(lockOf(), 'utf8').replace('physicalType: decimal(10,2)', 'physicalType: decimal(10,4)'));
    const check = run('check');
    expect(check.stdout).toContain('  BREAKING  total: decimal(10,4) → decimal(10,2)  [type changed]');
    expect(check.status).toBe(1);
  });
});
