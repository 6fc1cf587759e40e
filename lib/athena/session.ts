import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { ATHENA_MACROS, ATHENA_SETTINGS } from './session-sql';
import { athenaTypeName } from './types';

export { ATHENA_MACROS, ATHENA_SETTINGS } from './session-sql';

/** `athena_type_name(typeof(x))`: DuckDB's type name as Athena's (`STRUCT("a" INTEGER)[]` → `array(row(a integer))`). */
function athenaTypeNameFunction(): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: 'athena_type_name',
    returnType: VARCHAR,
    parameterTypes: [VARCHAR],
    mainFunction: (_info, input, output) => {
      const names = input.getColumnVector(0);
      for (let row = 0; row < input.rowCount; row++) {
        const name = names.getItem(row);
        output.setItem(row, name === null ? null : athenaTypeName(String(name)));
      }
      output.flush();
    },
  });
}

/** Makes a DuckDB connection ready for translated Athena SQL: the settings, the macros and `athena_type_name`. */
export async function installAthenaSession(connection: DuckDBConnection): Promise<void> {
  for (const setting of ATHENA_SETTINGS) await connection.run(setting);
  for (const [name, definition] of Object.entries(ATHENA_MACROS)) await connection.run(`CREATE OR REPLACE MACRO ${name}${definition}`);
  connection.registerScalarFunction(athenaTypeNameFunction());
}
