import fc from 'fast-check';

/**
 * The part of JSON Schema that the protocol's TypeBox schemas and the served OpenAPI document use: enough to
 * generate values that a schema accepts, and values that it almost accepts.
 */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
}

/**
 * Values the fuzzer knows are real in the server it talks to (a conversation's token, a message id), by the name
 * of the property or parameter that carries them: valid shapes alone would mostly meet "not found" and stop there.
 */
export type Hints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/** Longest string the fuzzer sends inside JSON: past most limits, under the server's body limit. */
const HUGE = 70_000;

/** Strings that have broken servers before: NUL (PostgreSQL's text refuses it), lone surrogates, RTL, SQL. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u0000',
  '\uffff',
  '😀'.repeat(40),
  'é'.normalize('NFD'),
  "'; drop table messages; --",
  '%00',
  '%',
  '%zz',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '{token}',
  'null',
  '0',
  '-1',
  '1e400',
  '9007199254740993',
  'true',
  '\r\n',
  '<script>alert(1)</script>',
];

/** Any string: short unicode, a known nasty one, or a huge one. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '@', '\u0000', '😀', '\ud800', ' '), fc.integer({ min: 256, max: HUGE }))
      .map(([unit, count]) => unit.repeat(Math.floor(count / unit.length))),
  },
);

/** Any number JSON can carry, most of them outside some range a schema sets. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 2 ** 63, 1e308, -1e308, 5e-324, 0.5),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A JSON value of any shape, with nasty leaves; depth kept small so each one stays cheap to send. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    nastyNumber,
    nastyString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'type', 'id')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

/** JSON text nested deeper than anyone writes by hand, for parsers, validators and walkers that recurse. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

function types(schema: JsonSchema): string[] {
  if (schema.type === undefined) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A string the schema accepts, honouring its length limits and pattern. */
function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  // Unbounded strings (a message's text) are kept short here: huge ones come from the mutations.
  const maxLength = Math.min(schema.maxLength ?? 200, Math.max(minLength, 200));
  if (schema.pattern && schema.pattern !== '^[\\s\\S]*$' && schema.pattern !== '^(.*)$') {
    const pattern = new RegExp(schema.pattern);
    return fc
      .stringMatching(pattern)
      .map((text) => text.slice(0, maxLength))
      .filter((text) => text.length >= minLength && pattern.test(text));
  }
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(maxLength, 20)) }),
  );
}

/**
 * Values `schema` accepts. A property or parameter named in `hints` also takes the hint's values, which are
 * valid and real (an existing user, a posted message).
 */
export function valid(schema: JsonSchema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  const own = validOf(schema, hints);
  const hint = name === undefined ? undefined : hints[name];
  return hint ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: own }) : own;
}

function validOf(schema: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => valid(alternative, hints)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const own = types(schema).filter((type) => type !== 'null');
  const arbitrary = ((): fc.Arbitrary<unknown> => {
    switch (own[0]) {
      case 'string':
        return validString(schema);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(valid(schema.items ?? {}, hints), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 5, 5),
        });
      case 'object':
        return validObject(schema, hints);
      default:
        return types(schema).includes('null') ? fc.constant(null) : nastyJson;
    }
  })();
  const nullable = schema.nullable === true || types(schema).includes('null');
  return nullable ? fc.oneof(arbitrary, fc.constant(null)) : arbitrary;
}

function validObject(schema: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    const values = Object.values(schema.patternProperties ?? {})[0];
    if (values) return fc.dictionary(fc.string({ maxLength: 20 }), valid(values, hints), { maxKeys: 4 });
    return fc.constant({});
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) record[name] = valid(properties[name] ?? {}, hints, name);
  const required = schema.required ?? [];
  return fc.record(record, { requiredKeys: required.filter((name) => name in record) });
}

/**
 * Values `schema` almost accepts: a valid value with one thing wrong — a property's value replaced by one of the
 * wrong type, a huge or strange string, or null; a required property dropped; an unknown one added — or a
 * value of another shape altogether.
 */
export function mutated(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.tuple(valid(schema, hints), fc.array(mutation, { minLength: 1, maxLength: 3 })) },
      { weight: 1, arbitrary: nastyJson.map((value) => [value, []] as const) },
    )
    .map(([value, mutations]) => mutations.reduce((current, apply) => apply(current), value));
}

/** One change to a JSON value, applied at a place chosen by a number (so it shrinks and replays). */
type Mutation = (value: unknown) => unknown;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Replace some property's value (or the value itself) with anything at all.
  fc.tuple(fc.nat(), nastyJson).map(
    ([at, replacement]): Mutation =>
      (value) =>
        replaceAt(value, at, () => replacement),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(null, undefined)).map(
    ([at, replacement]): Mutation =>
      (value) =>
        replaceAt(value, at, () => replacement),
  ),
  // A string property grown huge, or a number property pushed out of range.
  fc.tuple(fc.nat(), nastyString, nastyNumber).map(
    ([at, text, number]): Mutation =>
      (value) =>
        replaceAt(value, at, (old) => (typeof old === 'string' ? old + text : typeof old === 'number' ? number : old)),
  ),
  // A property dropped.
  fc.nat().map(
    (at): Mutation =>
      (value) =>
        dropAt(value, at),
  ),
  // An unknown property added.
  fc.tuple(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'id', 'type')), nastyJson).map(
    ([key, extra]): Mutation =>
      (value) =>
        isRecord(value) ? { ...value, [key]: extra } : value,
  ),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The places of a value, depth first: the value itself, then each property or element. */
function places(value: unknown, path: Array<string | number> = [], into: Array<Array<string | number>> = []) {
  into.push(path);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) places(item, [...path, index], into);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) places(item, [...path, key], into);
  }
  return into;
}

function replaceAt(value: unknown, at: number, replace: (old: unknown) => unknown): unknown {
  const all = places(value);
  const path = all[at % all.length] ?? [];
  return updateAt(value, path, replace);
}

function updateAt(value: unknown, path: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(value);
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = updateAt(copy[head as number], rest, replace);
    return copy;
  }
  if (isRecord(value)) return { ...value, [head]: updateAt(value[head], rest, replace) };
  return value;
}

function dropAt(value: unknown, at: number): unknown {
  const all = places(value).filter((path) => path.length > 0);
  if (all.length === 0) return value;
  const path = all[at % all.length] ?? [];
  const parent = path.slice(0, -1);
  const key = path[path.length - 1];
  return updateAt(value, parent, (holder) => {
    if (Array.isArray(holder)) return holder.filter((_, index) => index !== key);
    if (!isRecord(holder)) return holder;
    const { [String(key)]: _dropped, ...kept } = holder;
    return kept;
  });
}
