import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { col, Contract, contractToOdcs } from '../../../constructs/contract';
import { checkLocks, lockFileName, readLocks, writeLocks } from '../../../lib/contract/lock';
import { ORDER_PLACED, PAGE_VIEWED, spec, tempDir } from './helpers';

const dirs: string[] = [];
function lockDir(): string {
  const dir = path.join(tempDir('mesh-locks'), 'contracts');
  dirs.push(path.dirname(dir));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const V1 = spec(ORDER_PLACED);
const VIEWS = spec(PAGE_VIEWED);
const NOW = { now: new Date('2026-11-21T12:00:00Z') };

describe('lock files', () => {
  it('are named <domain>.<product>.v<major>.odcs.yaml', () => {
    expect(lockFileName(V1)).toBe('orders.order_placed.v1.odcs.yaml');
  });

  it('are written for every product version, then found unchanged', () => {
    const dir = lockDir();
    const first = writeLocks([V1, VIEWS], dir, NOW);
    expect(first.written.map((f) => path.basename(f))).toEqual(['orders.order_placed.v1.odcs.yaml', 'storefront.page_viewed.v1.odcs.yaml']);
    expect(fs.readFileSync(path.join(dir, 'orders.order_placed.v1.odcs.yaml'), 'utf8')).toBe(contractToOdcs(V1));
    expect(writeLocks([V1, VIEWS], dir, NOW).written).toEqual([]);
    const report = checkLocks([V1, VIEWS], dir, NOW);
    expect(report.breaking).toBe(false);
    expect(report.products.map((p) => [p.product, p.status])).toEqual([
      ['orders.order_placed.v1', 'unchanged'],
      ['storefront.page_viewed.v1', 'unchanged'],
    ]);
    expect([...readLocks(dir).values()].map((l) => l.spec)).toEqual([V1, VIEWS]);
  });

  it('report a version without lock as new, not breaking', () => {
    const dir = lockDir();
    writeLocks([V1], dir, NOW);
    const v2 = spec(ORDER_PLACED, { version: 2, columns: { ...ORDER_PLACED.columns, total: col.decimal(12, 3, { required: true, description: 'Total.' }) } });
    const report = checkLocks([V1, v2], dir, NOW);
    expect(report.products.map((p) => [p.product, p.status, p.breaking])).toEqual([
      ['orders.order_placed.v1', 'unchanged', false],
      ['orders.order_placed.v2', 'new', false],
    ]);
    expect(report.breaking).toBe(false);
  });

  it('fail on a breaking change to an existing major version, and lock refuses to hide it', () => {
    const dir = lockDir();
    writeLocks([V1], dir, NOW);
    const changed = spec(ORDER_PLACED, { columns: { ...ORDER_PLACED.columns, total: col.decimal(10, 3, { required: true, description: 'Total.' }) } });
    const report = checkLocks([changed], dir, NOW);
    expect(report.breaking).toBe(true);
    expect(report.products[0]).toMatchObject({ status: 'breaking', breaking: true });
    expect(report.products[0].changes).toEqual([
      { product: 'orders.order_placed.v1', column: 'total', kind: 'type', old: 'decimal(10,2)', new: 'decimal(10,3)', rule: 'type changed', breaking: true },
    ]);

    const refused = writeLocks([changed], dir, NOW);
    expect(refused.refused.map((p) => p.product)).toEqual(['orders.order_placed.v1']);
    expect(refused.written).toEqual([]);
    expect(fs.readFileSync(path.join(dir, lockFileName(V1)), 'utf8')).toBe(contractToOdcs(V1));

    expect(writeLocks([changed], dir, { ...NOW, force: true }).written).toHaveLength(1);
    expect(checkLocks([changed], dir, NOW).breaking).toBe(false);
  });

  it('pass non-breaking changes, listing them, and lock records them', () => {
    const dir = lockDir();
    writeLocks([V1], dir, NOW);
    const changed = spec(ORDER_PLACED, { columns: { ...ORDER_PLACED.columns, channel: col.string({ description: 'Sales channel.' }) } });
    const report = checkLocks([changed], dir, NOW);
    expect(report.breaking).toBe(false);
    expect(report.products[0].status).toBe('changed');
    expect(report.products[0].changes.map((c) => [c.column, c.rule])).toEqual([['channel', 'optional column added']]);
    expect(writeLocks([changed], dir, NOW).written).toHaveLength(1);
    expect(checkLocks([changed], dir, NOW).products[0].status).toBe('unchanged');
  });

  it('treat a removed version as breaking unless it was deprecated and its sunset has passed', () => {
    const dir = lockDir();
    const deprecated = spec(ORDER_PLACED, { deprecated: { sunset: '2026-12-01', successor: 'orders.order_placed.v2' } });
    writeLocks([VIEWS], dir, NOW);
    expect(checkLocks([], dir, NOW).products[0]).toMatchObject({
      product: 'storefront.page_viewed.v1',
      status: 'removed',
      breaking: true,
      note: 'never deprecated: deprecate it and keep it until its sunset',
    });

    writeLocks([deprecated], dir, NOW);
    expect(checkLocks([VIEWS], dir, NOW).products[0]).toMatchObject({
      product: 'orders.order_placed.v1',
      status: 'removed',
      breaking: true,
      note: 'deprecated until 2026-12-01: keep it until its sunset',
    });
    const later = { now: new Date('2026-12-01T08:00:00Z') };
    expect(checkLocks([VIEWS], dir, later).products[0]).toMatchObject({ status: 'retired', breaking: false });

    // lock leaves the retired lock alone unless --prune, and never deletes a version removed early without --force.
    expect(writeLocks([VIEWS], dir, NOW).refused.map((p) => p.product)).toEqual(['orders.order_placed.v1']);
    expect(writeLocks([VIEWS], dir, later).deleted).toEqual([]);
    expect(writeLocks([VIEWS], dir, { ...later, prune: true }).deleted).toEqual([path.join(dir, lockFileName(V1))]);
    expect(fs.existsSync(path.join(dir, lockFileName(V1)))).toBe(false);
  });

  it('report an unreadable lock as breaking, with the reason', () => {
    const dir = lockDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, lockFileName(V1)), 'kind: [');
    const product = checkLocks([V1], dir, NOW).products[0];
    expect(product).toMatchObject({ status: 'unreadable', breaking: true });
    expect(product.note).toMatch(/^ODCS document is not valid YAML/);
  });

  it('report a lock that differs in form only as changed, without changes', () => {
    const dir = lockDir();
    writeLocks([V1], dir, NOW);
    fs.appendFileSync(path.join(dir, lockFileName(V1)), '# edited by hand\n');
    expect(checkLocks([V1], dir, NOW).products[0]).toMatchObject({
      status: 'changed',
      breaking: false,
      changes: [],
      note: 'the lock differs in form only (e.g. edited by hand): regenerate it',
    });
  });

  it('ignore files that are not lock files', () => {
    const dir = lockDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'README.md'), '# locks');
    expect(readLocks(dir).size).toBe(0);
    expect(readLocks(path.join(dir, 'missing')).size).toBe(0);
  });
});

describe('lock files of contracts imported from ODCS (the contract-first workflow)', () => {
  const EXAMPLE = path.resolve(__dirname, '../../../../shared/odcs/examples/all--full-example.odcs.yaml');
  const OPTIONS = { schema: 'tbl', name: 'payments', owner: { contact: 'daustin@example.com' }, classifications: { restricted: 'confidential' as const } };

  it('hold the imported document with the mesh values, and are found unchanged while the document is', () => {
    const dir = lockDir();
    const imported = Contract.fromOdcsFile(EXAMPLE, OPTIONS).spec;
    writeLocks([imported], dir, NOW);
    const lock = fs.readFileSync(path.join(dir, 'seller.payments.v1.odcs.yaml'), 'utf8');
    expect(lock).toContain('mustBeGreaterThan: 1000000');
    expect(checkLocks([Contract.fromOdcsFile(EXAMPLE, OPTIONS).spec], dir, NOW).products[0].status).toBe('unchanged');
    // The lock itself can be the source of truth: it imports without options to the same contract.
    expect(Contract.fromOdcsFile(path.join(dir, 'seller.payments.v1.odcs.yaml')).toOdcs()).toBe(lock);
  });

  it('report an edit of the document that removes a column as breaking', () => {
    const dir = lockDir();
    writeLocks([Contract.fromOdcsFile(EXAMPLE, OPTIONS).spec], dir, NOW);
    const edited = fs.readFileSync(EXAMPLE, 'utf8').replace(/ {6}- id: rcvr_cntry_code_prop\n( {8}.*\n| *\n)+?(?= {4}quality:)/, '');
    expect(edited).not.toContain('rcvr_cntry_code_prop');
    const report = checkLocks([Contract.fromOdcs(edited, OPTIONS).spec], dir, NOW);
    expect(report.products[0]).toMatchObject({ status: 'breaking', breaking: true });
  });
});
