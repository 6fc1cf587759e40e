/**
 * IAM wildcard matching (`*` any run of characters, `?` one character; actions case-insensitive), including
 * the question a data path asks: can this resource pattern name any object under a prefix?
 */

/** Does the IAM pattern match the whole value? */
export function matchesPattern(pattern: string, value: string, ignoreCase = false): boolean {
  return reachable(pattern, value, ignoreCase).has(pattern.length);
}

/** Can the IAM pattern match some value that starts with `prefix` (an object key under a data prefix)? */
export function matchesSomeUnder(pattern: string, prefix: string): boolean {
  return reachable(pattern, prefix, false).size > 0;
}

/** Does any pattern of the list match an action (`s3:Get*` matches `s3:GetObject`)? */
export function matchesAction(patterns: readonly string[], action: string): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, action, true));
}

/** The positions in `pattern` a matcher can be at after consuming all of `text`. */
function reachable(pattern: string, text: string, ignoreCase: boolean): Set<number> {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  const closure = (states: Iterable<number>) => {
    const out = new Set<number>();
    for (let state of states) {
      out.add(state);
      while (p[state] === '*') out.add(++state);
    }
    return out;
  };
  let states = closure([0]);
  for (const char of t) {
    const next: number[] = [];
    for (const state of states) {
      if (state >= p.length) continue;
      if (p[state] === '*') next.push(state);
      else if (p[state] === '?' || p[state] === char) next.push(state + 1);
    }
    states = closure(next);
    if (states.size === 0) break;
  }
  return states;
}
