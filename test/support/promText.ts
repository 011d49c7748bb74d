// A strict reader of the Prometheus text exposition format (0.0.4), doing what `promtool check metrics` does for a
// scrape: every line is HELP, TYPE or a sample of the grammar; one HELP and TYPE per family, before its samples, its
// samples together; no series twice; counters end in _total; a histogram's buckets ascend by `le`, never fall, end
// at +Inf equal to _count, with a _sum. Throws naming the first line that breaks a rule; returns the samples.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = String.raw`"(?:[^"\\\n]|\\[\\"n])*"`;
const VALUE = String.raw`(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL}=${LABEL_VALUE})(?:,${LABEL}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const PAIR = new RegExp(`(${LABEL})=(${LABEL_VALUE})`, 'g');
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

const unescape = (quoted: string) => quoted.slice(1, -1).replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
const numberOf = (text: string) => (/Inf$/.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text));

export function parsePromText(text: string): Sample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const closed = new Set<string>();
  const seen = new Set<string>();
  const samples: Sample[] = [];
  let current: string | null = null;
  const familyOf = (name: string) => {
    for (const suffix of ['_bucket', '_sum', '_count', '']) {
      const base = suffix ? name.slice(0, -suffix.length) : name;
      if (name.endsWith(suffix) && ['histogram', 'summary'].includes(types.get(base) ?? '') ) return base;
    }
    return name;
  };
  const enter = (family: string, line: number) => {
    if (current === family) return;
    if (closed.has(family)) throw new Error(`line ${line}: ${family}'s lines are not together`);
    if (current) closed.add(current);
    current = family;
  };
  text.slice(0, -1).split('\n').forEach((line, i) => {
    const n = i + 1;
    let m: RegExpExecArray | null;
    if ((m = HELP.exec(line))) {
      if (helps.has(m[1]!)) throw new Error(`line ${n}: a second HELP for ${m[1]}`);
      helps.add(m[1]!);
      enter(m[1]!, n);
    } else if ((m = TYPE.exec(line))) {
      if (types.has(m[1]!)) throw new Error(`line ${n}: a second TYPE for ${m[1]}`);
      if (samples.some((s) => familyOf(s.name) === m![1])) throw new Error(`line ${n}: TYPE of ${m[1]} after its samples`);
      if (m[2] === 'counter' && !m[1]!.endsWith('_total')) throw new Error(`line ${n}: counter ${m[1]} does not end in _total`);
      types.set(m[1]!, m[2]!);
      enter(m[1]!, n);
    } else if ((m = SAMPLE.exec(line))) {
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(PAIR)) {
        if (k! in labels) throw new Error(`line ${n}: label ${k} twice`);
        labels[k!] = unescape(v!);
      }
      const key = `${m[1]}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) throw new Error(`line ${n}: series ${line} twice`);
      seen.add(key);
      enter(familyOf(m[1]!), n);
      samples.push({ name: m[1]!, labels, value: numberOf(m[3]!) });
    } else if (line === '' || (line.startsWith('#') && !/^# (HELP|TYPE) /.test(line))) {
      // An empty line or a comment: the format ignores both.
    } else {
      throw new Error(`line ${n} is not of the exposition grammar: ${JSON.stringify(line)}`);
    }
  });
  for (const [family, type] of types) if (type === 'histogram') checkHistogram(family, samples);
  return samples;
}

/** Each series of a histogram: buckets ascending by le, cumulative, +Inf = _count, a _sum beside it. */
function checkHistogram(family: string, samples: Sample[]): void {
  const seriesKey = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort());
  const buckets = new Map<string, Sample[]>();
  for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
    if (s.labels.le === undefined) throw new Error(`${family}_bucket without le`);
    const k = seriesKey(s.labels);
    buckets.set(k, [...(buckets.get(k) ?? []), s]);
  }
  for (const [k, list] of buckets) {
    const les = list.map((b) => numberOf(b.labels.le!));
    if (les.some((le, i) => i > 0 && le <= les[i - 1]!)) throw new Error(`${family}${k}: buckets not in ascending le`);
    if (les.at(-1) !== Infinity) throw new Error(`${family}${k}: no +Inf bucket`);
    if (list.some((b, i) => i > 0 && b.value < list[i - 1]!.value)) throw new Error(`${family}${k}: a bucket below the one before`);
    const count = samples.find((s) => s.name === `${family}_count` && seriesKey(s.labels) === k);
    const sum = samples.find((s) => s.name === `${family}_sum` && seriesKey(s.labels) === k);
    if (!count || count.value !== list.at(-1)!.value) throw new Error(`${family}${k}: _count is not the +Inf bucket`);
    if (!sum) throw new Error(`${family}${k}: no _sum`);
  }
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none matches. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name}${JSON.stringify(labels)} names ${found.length} series`);
  return found[0]?.value;
}
