/** Word lists of the contract rules: names Athena reserves, and name parts that suggest personal data. */

/**
 * Words Athena reserves in DDL (Hive) and in SELECT/DML (Trino) statements. A column, struct field or
 * domain (database) named like one of them breaks unquoted DDL or queries, so the contract refuses it.
 * Source: Athena user guide, "Reserved keywords".
 */
export const SQL_RESERVED_WORDS: ReadonlySet<string> = new Set(
  [
    // DDL (Hive)
    'all', 'alter', 'and', 'array', 'as', 'authorization', 'between', 'bigint', 'binary', 'boolean', 'both', 'by',
    'case', 'cashe', 'cast', 'char', 'column', 'conf', 'constraint', 'commit', 'create', 'cross', 'cube', 'current',
    'current_date', 'current_timestamp', 'cursor', 'database', 'date', 'dayofweek', 'decimal', 'delete', 'describe',
    'distinct', 'div', 'double', 'drop', 'else', 'end', 'exchange', 'exists', 'extended', 'external', 'extract',
    'false', 'fetch', 'float', 'floor', 'following', 'for', 'foreign', 'from', 'full', 'function', 'grant', 'group',
    'grouping', 'having', 'if', 'import', 'in', 'inner', 'insert', 'int', 'integer', 'intersect', 'interval', 'into',
    'is', 'join', 'lateral', 'left', 'less', 'like', 'local', 'macro', 'map', 'more', 'none', 'not', 'null',
    'numeric', 'of', 'on', 'only', 'or', 'order', 'out', 'outer', 'over', 'partialscan', 'partition', 'percent',
    'preceding', 'precision', 'preserve', 'primary', 'procedure', 'range', 'reads', 'reduce', 'regexp',
    'references', 'revoke', 'right', 'rlike', 'rollback', 'rollup', 'row', 'rows', 'select', 'set', 'smallint',
    'start', 'table', 'tablesample', 'then', 'time', 'timestamp', 'to', 'transform', 'trigger', 'true', 'truncate',
    'unbounded', 'union', 'uniquejoin', 'update', 'user', 'using', 'utc_timestamp', 'values', 'varchar', 'views',
    'when', 'where', 'window', 'with',
    // SELECT / DML (Trino)
    'current_catalog', 'current_path', 'current_role', 'current_schema', 'current_time', 'current_user',
    'deallocate', 'escape', 'except', 'execute', 'first', 'json_array', 'json_exists', 'json_object', 'json_query',
    'json_table', 'json_value', 'last', 'listagg', 'localtime', 'localtimestamp', 'natural', 'normalize', 'prepare',
    'recursive', 'skip', 'trim', 'uescape', 'unnest',
  ],
);

/**
 * Name parts that suggest personal data. A column whose snake_case name contains one of these token
 * sequences (e.g. `customer_email`, `shipping_address`, `date_of_birth`) must declare a classification.
 */
export const PERSONAL_DATA_TOKENS: readonly (readonly string[])[] = [
  ['email'], ['e', 'mail'], ['phone'], ['telephone'], ['msisdn'], ['ip'], ['ipv4'], ['ipv6'], ['ip', 'address'],
  ['address'], ['street'], ['postcode'], ['zip', 'code'], ['zipcode'], ['postal', 'code'],
  ['first', 'name'], ['firstname'], ['last', 'name'], ['lastname'], ['full', 'name'], ['fullname'], ['surname'],
  ['given', 'name'], ['birth', 'date'], ['birthdate'], ['birthday'], ['date', 'of', 'birth'], ['dob'],
  ['ssn'], ['social', 'security'], ['passport'], ['national', 'id'], ['tax', 'id'], ['driver', 'license'],
  ['driving', 'licence'], ['iban'], ['credit', 'card'], ['card', 'number'], ['pan'], ['latitude'], ['longitude'],
];

/** The matched personal-data token sequence (joined with `_`), if `name` looks like personal data. */
export function personalDataToken(name: string): string | undefined {
  const parts = name.toLowerCase().split('_').filter((p) => p !== '');
  let best: readonly string[] | undefined;
  for (const tokens of PERSONAL_DATA_TOKENS) {
    for (let start = 0; start + tokens.length <= parts.length; start++) {
      if (tokens.every((token, i) => parts[start + i] === token) && (best === undefined || tokens.length > best.length)) {
        best = tokens;
      }
    }
  }
  return best?.join('_');
}
