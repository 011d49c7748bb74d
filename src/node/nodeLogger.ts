// The logging port on Node: pino, one JSON object per line on stdout (LOG_FORMAT=json), or one readable line per
// entry for a terminal (LOG_FORMAT=pretty). pino has had no pretty printer of its own since v7 (pino-pretty is a
// separate package with its own dependencies, run on a worker thread): the few lines below read pino's own JSON.
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { LogFields, Logger, LogLevel } from '../core/observability/logger.ts';

export interface NodeLoggerOptions {
  level: LogLevel;
  format: 'json' | 'pretty';
  /** Where lines go (default stdout, written synchronously: nothing is lost when the process exits). */
  destination?: DestinationStream;
}

/** Lines kept while stdout cannot be written (a log file on a full disk), then dropped and counted. */
const KEPT_WHILE_UNWRITABLE = 1024 * 1024;

export function nodeLogger({ level, format, destination }: NodeLoggerOptions): Logger {
  const dropped = { lines: 0, reporting: false };
  const out = destination ?? stdoutDestination(dropped, () => {
    // Told once stdout takes lines again, on a later turn: never from inside the destination's own write.
    if (dropped.reporting) return;
    dropped.reporting = true;
    setImmediate(() => {
      const lines = dropped.lines;
      dropped.lines = 0;
      dropped.reporting = false;
      if (lines > 0) logger.warn({ droppedLines: lines }, `${lines} log line(s) dropped while stdout could not be written (disk full?)`);
    });
  });
  const logger = pino({
    level,
    // `"level":"info"` rather than pino's numbers: a collector and a person read the same word.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, format === 'pretty' ? prettyLines(out) : out);
  return fromPino(logger);
}

/**
 * stdout, written synchronously. Redirected to a file on a full disk, a write fails (ENOSPC, EFBIG): sonic-boom emits
 * 'error', which without a listener ends the process. Listened to, the line waits for the next write (up to
 * KEPT_WHILE_UNWRITABLE, beyond which lines are dropped and counted), so logging resumes once space returns.
 */
function stdoutDestination(dropped: { lines: number }, onWritten: () => void): DestinationStream {
  const out = pino.destination({ dest: 1, sync: true, maxLength: KEPT_WHILE_UNWRITABLE });
  out.on('error', () => {});
  out.on('drop', () => dropped.lines++);
  out.on('write', () => {
    if (dropped.lines > 0) onWritten();
  });
  return out;
}

function fromPino(p: Pino): Logger {
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => (fields ? p[level](fields, message) : p[level](message));
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    child: (fields) => fromPino(p.child(fields)),
    enabled: (level) => p.isLevelEnabled(level),
  };
}

const SHOWN_APART = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** `12:00:01.234 INFO  delivery batch store=engage orders=3 …`: pino's JSON line, reformatted for a terminal. */
export function prettyLines(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return out.write(line);
      }
      const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
      const fields = Object.entries(entry).filter(([k]) => !SHOWN_APART.has(k))
        .map(([k, v]) => `${k}=${typeof v === 'string' && !/[\s"]/.test(v) ? v : JSON.stringify(v)}`);
      out.write(`${time} ${String(entry.level).toUpperCase().padEnd(5)} ${String(entry.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}\n`);
    },
  };
}
