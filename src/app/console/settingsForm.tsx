// A store's settings as form fields, generated from its zod settings schema (through JSON Schema), and the form's
// fields read back into a settings object for the same schema to check. A blank field is left out: the default.
import { z } from 'zod';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
}

type Field =
  | { kind: 'text' | 'url' | 'number' | 'boolean' | 'choice' | 'json'; path: string[]; schema: JsonSchema; required: boolean; choices?: string[] }
  | { kind: 'group'; path: string[]; fields: Field[] };

const FIELD_PREFIX = 's.';
const JSON_PREFIX = 'j.';

/** `anyOf: [X, null]` (a nullable setting) reads as X: a blank field leaves it at its default. */
function unwrapNullable(s: JsonSchema): JsonSchema {
  const options = s.anyOf?.filter((o) => o.type !== 'null');
  return options?.length === 1 ? { ...options[0]!, default: s.default } : s;
}

function fieldsOf(schema: JsonSchema, path: string[] = []): Field[] {
  return Object.entries(schema.properties ?? {}).map(([name, given]): Field => {
    const s = unwrapNullable(given);
    const at = [...path, name];
    const required = (schema.required ?? []).includes(name) && s.default === undefined;
    if (s.type === 'object' && s.properties) return { kind: 'group', path: at, fields: fieldsOf(s, at) };
    if (s.enum && s.enum.every((v) => typeof v === 'string')) return { kind: 'choice', path: at, schema: s, required, choices: s.enum as string[] };
    if (s.type === 'boolean') return { kind: 'boolean', path: at, schema: s, required };
    if (s.type === 'integer' || s.type === 'number') return { kind: 'number', path: at, schema: s, required };
    if (s.type === 'string') return { kind: s.format === 'uri' ? 'url' : 'text', path: at, schema: s, required };
    return { kind: 'json', path: at, schema: s, required };
  });
}

export function settingsFields(settingsSchema: z.ZodType): Field[] {
  return fieldsOf(z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

const valueAt = (values: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), values);

const defaultText = (s: JsonSchema) => (s.default === undefined || s.default === null || (typeof s.default === 'object') ? '' : ` (default: ${String(s.default) || 'empty'})`);

function FieldInput({ f, values }: { f: Field; values: unknown }) {
  if (f.kind === 'group') {
    return (
      <fieldset>
        <legend>{f.path.at(-1)}</legend>
        {f.fields.map((inner) => <FieldInput f={inner} values={values} />)}
      </fieldset>
    );
  }
  const current = valueAt(values, f.path);
  const id = `${FIELD_PREFIX}${f.path.join('.')}`;
  const label = (
    <label for={id}>
      {f.path.at(-1)}
      <span class="hint">{f.required ? ' (required)' : defaultText(f.schema)}</span>
    </label>
  );
  switch (f.kind) {
    case 'choice':
    case 'boolean': {
      const choices = f.kind === 'boolean' ? ['true', 'false'] : f.choices!;
      return (
        <>
          {label}
          <select id={id} name={id}>
            <option value="">{f.required ? 'choose…' : 'default'}</option>
            {choices.map((v) => <option value={v} selected={current !== undefined && String(current) === v}>{v}</option>)}
          </select>
        </>
      );
    }
    case 'json':
      return (
        <>
          {label}
          <textarea id={`${JSON_PREFIX}${f.path.join('.')}`} name={`${JSON_PREFIX}${f.path.join('.')}`} rows={3}
            placeholder={f.schema.default !== undefined ? JSON.stringify(f.schema.default) : 'JSON'}>
            {current === undefined ? '' : JSON.stringify(current)}
          </textarea>
        </>
      );
    default:
      return (
        <>
          {label}
          <input id={id} name={id} type={f.kind === 'number' ? 'number' : f.kind === 'url' ? 'url' : 'text'}
            value={current === undefined || current === null ? '' : String(current)} required={f.required}
            {...(f.kind === 'number' ? { step: f.schema.type === 'integer' ? '1' : 'any' } : {})} />
        </>
      );
  }
}

/** The settings part of a destination form, prefilled from `values` (a destination's stored settings, or what was posted). */
export function SettingsFields({ fields, values }: { fields: Field[]; values: unknown }) {
  return <>{fields.map((f) => <FieldInput f={f} values={values} />)}</>;
}

/** The posted form read back into settings; a JSON field that does not parse is named. */
export function readSettings(fields: Field[], form: Record<string, unknown>): { ok: true; settings: Record<string, unknown> } | { ok: false; message: string } {
  const text = (name: string) => {
    const v = form[name];
    return typeof v === 'string' ? v.trim() : '';
  };
  const read = (list: Field[]): Record<string, unknown> | string => {
    const out: Record<string, unknown> = {};
    for (const f of list) {
      const name = f.path.at(-1)!;
      if (f.kind === 'group') {
        const inner = read(f.fields);
        if (typeof inner === 'string') return inner;
        if (Object.keys(inner).length > 0) out[name] = inner;
        continue;
      }
      const given = text(`${f.kind === 'json' ? JSON_PREFIX : FIELD_PREFIX}${f.path.join('.')}`);
      if (given === '') continue;
      if (f.kind === 'number') out[name] = Number.isFinite(Number(given)) ? Number(given) : given;
      else if (f.kind === 'boolean') out[name] = given === 'true';
      else if (f.kind === 'json') {
        try {
          out[name] = JSON.parse(given) as unknown;
        } catch {
          return `settings.${f.path.join('.')}: not JSON`;
        }
      } else out[name] = given;
    }
    return out;
  };
  const settings = read(fields);
  return typeof settings === 'string' ? { ok: false, message: settings } : { ok: true, settings };
}
