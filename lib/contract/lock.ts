/**
 * Contract lock files: each product version's contract committed as an ODCS v3.1 document,
 * `contracts/<domain>.<product>.v<major>.odcs.yaml`, generated from the CDK app (`mesh contract lock`)
 * and compared with it in CI (`mesh contract check`).
 *
 * - A breaking change to a version that has a lock fails the check: evolve by adding a new major version
 *   (a new lock appears, the old one stays) and deprecating the old one.
 * - A version without a lock is new: fine, reported, and `lock` writes its file.
 * - A lock whose version is gone from the code is a removed product version, which breaks its consumers —
 *   unless the lock says the version was deprecated and its sunset date has passed: then it is retired
 *   (non-breaking), and `mesh contract lock --prune` deletes the file.
 * - `lock` refuses to overwrite a lock with a breaking change (or to delete the lock of a version removed
 *   before its sunset) unless `--force`, so that the gate cannot be passed by regenerating the locks by
 *   accident; a forced update still shows up as a diff of the lock file in review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normaliseContract } from '../../constructs/contract/contract';
import { contractToOdcs, readOdcs, type OdcsServerFacts } from '../../constructs/contract/odcs';
import type { ContractSpec } from '../../constructs/contract/types';
import { productId } from '../../constructs/naming/naming';
import { diffContracts, type ContractChange } from './diff';

/** Where lock files live, relative to the app's directory. */
export const DEFAULT_LOCK_DIR = 'contracts';

const LOCK_FILE = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.v([1-9]\d*)\.odcs\.yaml$/;

/** `<domain>.<product>.v<major>.odcs.yaml` */
export function lockFileName(spec: Pick<ContractSpec, 'domain' | 'name' | 'version'>): string {
  return `${productId(spec.domain, spec.name, spec.version)}.odcs.yaml`;
}

/** A lock file read from disk. */
export interface LockFile {
  /** `orders.order_placed.v1`, from the file name. */
  readonly id: string;
  readonly file: string;
  readonly text: string;
  /** The contract the lock holds, or why it cannot be read. */
  readonly spec?: ContractSpec;
  readonly error?: string;
}

/** Reads every `*.odcs.yaml` lock in `dir` (none when the directory does not exist). */
export function readLocks(dir: string): Map<string, LockFile> {
  const locks = new Map<string, LockFile>();
  if (!fs.existsSync(dir)) return locks;
  for (const name of fs.readdirSync(dir).sort()) {
    const match = LOCK_FILE.exec(name);
    if (match === null) continue;
    const id = productId(match[1], match[2], Number(match[3]));
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    try {
      // Lenient: a hand-edited lock may break contract rules and must still be compared.
      locks.set(id, { id, file, text, spec: normaliseContract(readOdcs(text).props) });
    } catch (error) {
      locks.set(id, { id, file, text, error: (error as Error).message });
    }
  }
  return locks;
}

/** How one product version compares with its lock. */
export type LockStatus =
  /** The lock is byte-identical to the regenerated contract. */
  | 'unchanged'
  /** Non-breaking differences: the check passes; run `mesh contract lock` to record them. */
  | 'changed'
  /** At least one breaking difference: the check fails. */
  | 'breaking'
  /** No lock yet: a new product or major version. */
  | 'new'
  /** A lock without a product version in the code, removed before its sunset (or never deprecated): breaking. */
  | 'removed'
  /** A lock of a deprecated version removed after its sunset date: fine; `lock --prune` deletes it. */
  | 'retired'
  /** The lock cannot be read as an ODCS contract: fix or regenerate it. */
  | 'unreadable';

export interface ProductCheck {
  readonly product: string;
  readonly file: string;
  readonly status: LockStatus;
  readonly breaking: boolean;
  readonly changes: readonly ContractChange[];
  /** Extra explanation (sunset date, read error…). */
  readonly note?: string;
}

export interface CheckReport {
  readonly lockDir: string;
  /** One entry per product version in the code or in the locks, sorted by id. */
  readonly products: readonly ProductCheck[];
  /** Whether any product has a breaking difference (exit code 1). */
  readonly breaking: boolean;
}

export interface CheckOptions {
  /** Today, to decide whether a removed version's sunset has passed. @default - now */
  readonly now?: Date;
  /** Where each product version lives, for the `servers` of its lock. @default - locks without the mesh's servers */
  readonly servers?: (spec: ContractSpec) => OdcsServerFacts | undefined;
}

/** The lock text of a product version. */
function lockText(spec: ContractSpec, options: CheckOptions): string {
  const servers = options.servers?.(spec);
  return contractToOdcs(spec, servers === undefined ? {} : { servers });
}

/** Compares the contracts of the code with the locks in `dir`. */
export function checkLocks(specs: readonly ContractSpec[], dir: string, options: CheckOptions = {}): CheckReport {
  const locks = readLocks(dir);
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const products: ProductCheck[] = [];
  const inCode = new Set<string>();

  for (const spec of specs) {
    const id = productId(spec.domain, spec.name, spec.version);
    inCode.add(id);
    const file = path.join(dir, lockFileName(spec));
    const lock = locks.get(id);
    if (lock === undefined) {
      products.push({ product: id, file, status: 'new', breaking: false, changes: [] });
    } else if (lock.spec === undefined) {
      products.push({ product: id, file, status: 'unreadable', breaking: true, changes: [], note: lock.error });
    } else if (lock.text === lockText(spec, options)) {
      products.push({ product: id, file, status: 'unchanged', breaking: false, changes: [] });
    } else {
      const changes = diffContracts(lock.spec, spec);
      const breaking = changes.some((change) => change.breaking);
      products.push({
        product: id,
        file,
        status: breaking ? 'breaking' : 'changed',
        breaking,
        changes,
        ...(changes.length === 0 && { note: 'the lock differs in form only (e.g. edited by hand): regenerate it' }),
      });
    }
  }

  for (const lock of locks.values()) {
    if (inCode.has(lock.id)) continue;
    const sunset = lock.spec?.deprecated?.sunset;
    if (sunset !== undefined && sunset <= today) {
      products.push({ product: lock.id, file: lock.file, status: 'retired', breaking: false, changes: [], note: `deprecated, sunset ${sunset} has passed` });
    } else {
      const note = sunset !== undefined ? `deprecated until ${sunset}: keep it until its sunset` : 'never deprecated: deprecate it and keep it until its sunset';
      products.push({ product: lock.id, file: lock.file, status: 'removed', breaking: true, changes: [], note });
    }
  }

  products.sort((a, b) => (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));
  return { lockDir: dir, products, breaking: products.some((p) => p.breaking) };
}

export interface LockOptions extends CheckOptions {
  /** Overwrite locks even with breaking changes, and prune locks of versions removed before their sunset. @default false */
  readonly force?: boolean;
  /** Delete the locks of retired versions (deprecated, removed from the code, sunset passed). @default false */
  readonly prune?: boolean;
}

export interface LockResult {
  /** What the locks looked like before writing. */
  readonly before: CheckReport;
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** Locks left alone because writing them would hide a breaking change (use `force`). */
  readonly refused: readonly ProductCheck[];
}

/** Writes the lock of every product version in the code into `dir`. */
export function writeLocks(specs: readonly ContractSpec[], dir: string, options: LockOptions = {}): LockResult {
  const before = checkLocks(specs, dir, options);
  const bySpec = new Map(specs.map((spec) => [productId(spec.domain, spec.name, spec.version), spec]));
  const written: string[] = [];
  const deleted: string[] = [];
  const refused: ProductCheck[] = [];
  fs.mkdirSync(dir, { recursive: true });
  for (const product of before.products) {
    const spec = bySpec.get(product.product);
    if (spec !== undefined) {
      if (product.status === 'unchanged') continue;
      if (product.breaking && options.force !== true) {
        refused.push(product);
        continue;
      }
      fs.writeFileSync(product.file, lockText(spec, options));
      written.push(product.file);
    } else if ((product.status === 'retired' && options.prune === true) || (product.status === 'removed' && options.force === true && options.prune === true)) {
      fs.rmSync(product.file);
      deleted.push(product.file);
    } else if (product.status === 'removed') {
      refused.push(product);
    }
  }
  return { before, written, deleted, refused };
}
