// The core's logging port: runtime-neutral, so the core and the app never import a logging library. The Node entry
// implements it with pino (src/node/nodeLogger.ts); a Worker runtime can use jsonLineLogger below.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a line says besides its message: flat, JSON-serialisable, never a secret or a person's data. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (e.g. a component's name). */
  child(fields: LogFields): Logger;
  /** Whether lines at `level` are written: a hot path builds no fields for a level that is off. */
  enabled(level: LogLevel): boolean;
}

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

/** Writes nothing (tests, a library user who logs elsewhere). */
export const silentLogger: Logger = {
  debug: () => {}, info: () => {}, warn: () => {}, error: () => {},
  child: () => silentLogger,
  enabled: () => false,
};

export interface JsonLineOptions {
  level?: LogLevel;
  /** Where each line goes (default console.log: a Worker's logs take one JSON object per call). */
  write?: (line: string) => void;
  now?: () => number;
}

/** One JSON object per line, the same shape as the Node logger's (level, time, msg, then the fields): for any runtime. */
export function jsonLineLogger(options: JsonLineOptions = {}, bound: LogFields = {}): Logger {
  const threshold = rank(options.level ?? 'info');
  const write = options.write ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (rank(level) < threshold) return;
    write(JSON.stringify({ level, time: new Date(now()).toISOString(), ...bound, ...fields, msg: message }));
  };
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    child: (fields) => jsonLineLogger(options, { ...bound, ...fields }),
    enabled: (level) => rank(level) >= threshold,
  };
}
