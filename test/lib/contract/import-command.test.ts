import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../../lib/cli/contract';

const FUNDAMENTALS = path.resolve(__dirname, '../../../../shared/odcs/examples/fundamentals--table-column-description.odcs.yaml');

let dir: string;
let logged: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-contract-import-'));
  logged = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `mesh contract import …` through commander, as bin/mesh.ts does. */
async function mesh(...args: string[]): Promise<void> {
  const program = new Command('mesh').option('-a, --assembly <dir>', 'cloud assembly', 'cdk.out').exitOverride();
  register(program);
  await program.parseAsync(['contract', 'import', ...args], { from: 'user' });
}

describe('mesh contract import', () => {
  it('refuses a document that lacks what the mesh needs, listing every item with its flag-able option', async () => {
    await expect(mesh(FUNDAMENTALS)).rejects.toThrow(
      /fundamentals--table-column-description\.odcs\.yaml: 53581432-6c55-4ba2-a65f-72344a91553a: the ODCS document cannot be imported as a product contract \(4 items to fix\):\n- domain is missing/,
    );
  });

  it('writes the TypeScript module with the options from flags and an options file', async () => {
    const options = path.join(dir, 'options.json');
    fs.writeFileSync(options, JSON.stringify({ owner: { team: 'payments-team' }, partitionBy: { column: 'txn_ref_dt' } }));
    const out = path.join(dir, 'my-quantum.ts');
    await mesh(FUNDAMENTALS, '--options', options, '--domain', 'payments', '--owner-contact', 'payments@example.com', '--out', out);
    expect(logged).toEqual([`Wrote ${out}: payments.my_quantum.v1, 1 columns.`]);
    const module = fs.readFileSync(out, 'utf8');
    expect(module).toContain('import { Contract, col } from "cdk-data-mesh";');
    expect(module).toContain('owner: { team: "payments-team", contact: "payments@example.com" },');
    expect(module).toContain('txn_ref_dt: col.date({ required: true, description: "Reference date for the transaction.');
    expect(module).toContain('partitionBy: { column: "txn_ref_dt", granularity: "day" },');
  });
});
