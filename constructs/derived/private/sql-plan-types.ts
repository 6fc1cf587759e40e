/** What the SQL planner worker (sql-planner.ts) is asked and answers. */

/** An empty table to create: DuckDB column types. */
export interface PlanTable {
  readonly database: string;
  readonly table: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
}

export interface PlanRequest {
  readonly tables: readonly PlanTable[];
  /** A DuckDB SELECT (translated from Athena SQL). */
  readonly select: string;
}

/** The SELECT's output columns with their DuckDB types, or DuckDB's error. */
export type PlanResponse =
  | { readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>; readonly error?: undefined }
  | { readonly error: string; readonly columns?: undefined };
