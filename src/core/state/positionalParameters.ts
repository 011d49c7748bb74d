// For runtimes whose SQLite binds positions only (a Durable Object's ctx.storage.sql.exec): the core's statements
// name their parameters (`@name`), and such a runtime's port rewrites them once, when it prepares.

/** A statement with its named parameters made positional, and the name bound at each position. */
export interface PositionalSql {
  sql: string;
  names: string[];
}

/** `@name` outside quotes becomes `?`; `names` lists them in order (a name used twice is bound twice). */
export function positionalSql(sql: string): PositionalSql {
  const names: string[] = [];
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      // A quoted literal or identifier, doubled quotes inside it included.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      names.push(name);
      out += '?';
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return { sql: out, names };
}

/** The values to bind: a statement with named parameters takes one object of them, any other its arguments as they are. */
export function positionalValues(names: readonly string[], params: readonly unknown[]): unknown[] {
  if (names.length === 0) return [...params];
  const named = params[0] as Record<string, unknown>;
  return names.map((name) => {
    if (!(name in named)) throw new RangeError(`missing named parameter @${name}`);
    return named[name];
  });
}
