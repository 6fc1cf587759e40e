/** Names in a mesh are lower-case snake_case (they become Glue database, table and LF-Tag values). */
export const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;

/** `order_events` → `OrderEvents` */
export function pascalCase(snake: string): string {
  return snake
    .split('_')
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Throws, naming the option, the value and the fix, unless `value` is snake_case. */
export function checkName(option: string, value: string, example: string): string {
  if (!SNAKE_CASE.test(value)) {
    throw new Error(`${option} "${value}" must be lower-case letters, digits and _, starting with a letter (e.g. "${example}").`);
  }
  return value;
}
