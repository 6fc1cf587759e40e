/** Where the table of differences between Athena SQL and the local DuckDB lives. */
export const DIFFERENCES_DOC = 'docs/athena-sql.md';

/**
 * Athena SQL that the local lake cannot answer as Athena would: it names the Athena construct, says why, gives the
 * local alternative when there is one and points at the table of differences.
 */
export class AthenaSqlError extends Error {
  constructor(
    /** The Athena construct, e.g. `reduce(array, …)` or `SHOW CREATE TABLE`. */
    public readonly construct: string,
    reason: string,
    /** What to write instead locally, if anything. */
    public readonly alternative?: string,
  ) {
    super(
      `Athena SQL ${construct} is not supported locally: ${reason}.` +
        (alternative ? ` Locally, ${alternative}.` : '') +
        ` See ${DIFFERENCES_DOC} for how the local lake differs from Athena.`,
    );
    this.name = 'AthenaSqlError';
  }
}

/** A pattern that runs locally but may give another answer than Athena's in edge cases. */
export interface AthenaWarning {
  readonly construct: string;
  readonly message: string;
}
