/**
 * Free-text values of a contract that end up as AWS tag values: `owner.team` tags every resource of the product
 * (`mesh:owner`, IAM roles included). AWS refuses a tag value outside its pattern only at deploy (or the
 * compliance scan reports it against an IAM role, without naming the contract), so the contract checks it.
 * Pattern: https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
 */

/** Characters an AWS tag value may hold: Unicode letters, digits, spaces and `_ . : / = + - @`. */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The longest AWS tag value, in characters. */
export const TAG_VALUE_MAX_LENGTH = 256;

/** The allowed pattern, in words, for messages. */
export const TAG_VALUE_RULE = `letters, digits, spaces and _ . : / = + - @, at most ${TAG_VALUE_MAX_LENGTH} characters`;

/** Why `value` cannot be an AWS tag value, or undefined when it can. */
export function tagValueProblem(value: string): string | undefined {
  if ([...value].length > TAG_VALUE_MAX_LENGTH) return `is ${[...value].length} characters long`;
  const bad = [...value].find((c) => !TAG_VALUE.test(c));
  return bad === undefined ? undefined : `holds "${bad}"`;
}

/** A tag-safe, lower-case kebab-case version of `value`: `Orders & Payments` → `orders-payments`. */
export function suggestTagValue(value: string): string {
  const kebab = value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return kebab === '' ? 'orders-team' : kebab;
}

/** The problem of a contract's `owner.team` as a tag value, one sentence (without the product label), if any. */
export function ownerTeamProblem(team: unknown): string | undefined {
  if (typeof team !== 'string' || team.trim() === '') return undefined;
  const problem = tagValueProblem(team);
  if (problem === undefined) return undefined;
  return (
    `owner.team "${team.length > 60 ? `${team.slice(0, 60)}…` : team}" ${problem}, but it tags every resource of the product (mesh:owner) and an AWS tag value holds only ${TAG_VALUE_RULE}: ` +
    `name the team e.g. "${suggestTagValue(team)}".`
  );
}
