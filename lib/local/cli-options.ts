import { InvalidArgumentError } from 'commander';

/** Parses a whole number of 0 or more (e.g. `--records 500`). */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a whole number of 0 or more (e.g. 500).`);
  return n;
}

/** Parses a share between 0 and 1 (e.g. `--invalid-share 0.05`). */
export function parseShare(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1) || value.trim() === '') {
    throw new InvalidArgumentError(`"${value}" is not a share between 0 and 1 (e.g. 0.05 for 5%).`);
  }
  return n;
}
