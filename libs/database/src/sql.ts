/**
 * A piece of SQL with its `?` parameters, for the few statements written by hand (BENCHMARKS.md
 * shows where one statement pays). Composing pieces keeps each table's SQL in the repository that
 * owns the table, even when one statement writes several tables.
 */
export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

/** `sql\`... ${value} ...\``: a value becomes a `?` parameter; an `Sql` value is inlined with its own. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0];
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1];
  });
  return new Sql(text, params);
}

/** Trusted SQL text without parameters (a CTE name, an empty clause). Never user input. */
export const rawSql = (text: string): Sql => new Sql(text, []);
