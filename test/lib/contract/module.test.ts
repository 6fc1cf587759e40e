import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { col, Contract, type OdcsImportOptions } from '../../../constructs/contract';
import { contractModule } from '../../../lib/contract/module';
import { ALL_FIXTURES } from '../../constructs/contract/fixtures';

const REPO = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(REPO, '../shared/odcs/examples');
// Inside the repository, so that the generated module resolves and compiles like any source file.
const DIR = fs.mkdtempSync(path.join(__dirname, '.generated-'));

afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Writes the module of `contract`, imports it and returns the contract it exports. */
async function roundTrip(contract: Contract, file: string): Promise<Contract> {
  const source = contractModule(contract, { importFrom: path.join(REPO, 'constructs/contract'), sourceFile: 'x.odcs.yaml' });
  const modulePath = path.join(DIR, `${file}.ts`);
  fs.writeFileSync(modulePath, source);
  const exports = (await import(modulePath)) as Record<string, Contract>;
  const values = Object.values(exports);
  expect(values).toHaveLength(1);
  return values[0];
}

const OWNER = { team: 'air-team', contact: 'air@example.com' };
const IMPORTED: Record<string, OdcsImportOptions> = {
  'all--full-example': { schema: 'tbl', name: 'payments', owner: { contact: 'daustin@example.com' }, classifications: { restricted: 'confidential' } },
  'quality--column-custom': {
    domain: 'environment', owner: OWNER, columnNames: 'snake_case',
    addColumns: { measured_at: { type: { kind: 'timestamp' }, required: true, description: 'When it was measured.' } }, partitionBy: { column: 'measured_at' },
  },
};

describe('contractModule (mesh contract import)', () => {
  for (const [name, props] of Object.entries(ALL_FIXTURES)) {
    it(`writes a module that builds the same ${name} contract, with col.* columns and no ODCS document`, async () => {
      const contract = Contract.of(props);
      const source = contractModule(contract);
      expect(source).not.toContain('odcs:');
      expect(source).toMatch(/^export const [a-z]\w* = Contract\.of\(\{$/m);
      const built = await roundTrip(contract, name);
      expect(built.spec).toEqual(contract.spec);
    });
  }

  for (const [name, options] of Object.entries(IMPORTED)) {
    it(`writes a module for the ${name} example whose export is the imported document's`, async () => {
      const contract = Contract.fromOdcsFile(path.join(EXAMPLES, `${name}.odcs.yaml`), options);
      const built = await roundTrip(contract, name.replace(/-+/g, '_'));
      expect(built.toOdcs()).toBe(contract.toOdcs());
      expect(built.spec.columns).toEqual(contract.spec.columns);
      // The document's quality rules are code in the module (issue 20), runnable and exported again.
      expect(built.spec.quality).toEqual(contract.spec.quality);
    });
  }

  it('writes the record keys: the fields convention and a column\'s own field', async () => {
    const contract = Contract.of({ ...ALL_FIXTURES.flat, fields: 'camelCase', columns: { ...ALL_FIXTURES.flat.columns, gift: col.boolean({ field: 'isGift', description: 'Gift.' }) } });
    const source = contractModule(contract);
    expect(source).toContain('  fields: "camelCase",');
    expect(source).toContain('gift: col.boolean({ description: "Gift.", field: "isGift" }),');
    expect((await roundTrip(contract, 'camel')).spec).toEqual(contract.spec);
  });

  it('writes nested types as nested col.* calls', () => {
    const source = contractModule(Contract.of(ALL_FIXTURES.nested));
    expect(source).toContain('line_items: col.array(col.struct({');
    expect(source).toContain('col.map(col.struct({');
  });
});
