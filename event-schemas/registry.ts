import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Loads the versioned JSON Schemas of event `data` (`<EventType>.v<N>.json`, draft 2020-12) and
 * validates event data against them. Used by tests on append and by `verify` on read.
 */
export interface EventSchemaRegistry {
  /** Every event type with at least one schema, sorted. */
  readonly types: string[];
  /** The highest schema version of an event type (what new events are written as). */
  latestVersion(type: string): number;
  validate(type: string, version: number, data: unknown): { valid: true } | { valid: false; errors: string[] };
  /** The schema document of one version of an event type. */
  schema(type: string, version: number): object;
}

const SCHEMA_FILE = /^([A-Za-z][A-Za-z0-9]*)\.v([1-9]\d*)\.json$/;

const schemaFilesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((file) => SCHEMA_FILE.test(file)) : []);

/**
 * Where the schema files are: beside this module when run from source (ts/jest), otherwise — e.g.
 * compiled to dist/event-schemas/registry.js, where tsc copies no .json — `<repo root>/event-schemas`,
 * the repo root being the nearest directory above with a package.json.
 */
export function defaultSchemaDirectory(from: string = __dirname): string {
  const here = resolve(from);
  if (schemaFilesIn(here).length > 0) return here;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'event-schemas');
    if (existsSync(join(dir, 'package.json')) && schemaFilesIn(candidate).length > 0) return candidate;
    if (dirname(dir) === dir) throw new Error(`No event schemas beside ${here} nor in an event-schemas folder above it`);
  }
}

const key = (type: string, version: number): string => `${type}.v${version}`;

const describeError = (error: ErrorObject): string => {
  const at = error.instancePath === '' ? '(data)' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${at} must not have the property ${String(error.params.additionalProperty)}`;
  return `${at} ${error.message ?? 'is invalid'}`;
};

export function loadEventSchemas(dir: string = defaultSchemaDirectory()): EventSchemaRegistry {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);

  const schemas = new Map<string, { document: object; validate: ValidateFunction }>();
  const versions = new Map<string, number[]>();
  for (const file of schemaFilesIn(dir).sort()) {
    const [, type, versionText] = SCHEMA_FILE.exec(file) as RegExpExecArray;
    const version = Number(versionText);
    const document = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AnySchemaObject;
    const expectedId = `urn:ecf:event:${type}:v${version}`;
    if (document.$id !== expectedId) throw new Error(`${file}: $id must be ${expectedId}, found ${String(document.$id)}`);
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(document);
    } catch (error) {
      throw new Error(`${file}: the schema does not compile: ${(error as Error).message}`);
    }
    schemas.set(key(type, version), { document, validate });
    versions.set(type, [...(versions.get(type) ?? []), version]);
  }

  const entry = (type: string, version: number) => {
    const found = schemas.get(key(type, version));
    if (!found) throw new Error(`No schema for ${type} v${version} in ${dir}`);
    return found;
  };

  return {
    types: [...versions.keys()].sort(),
    latestVersion(type) {
      const known = versions.get(type);
      if (!known) throw new Error(`No schema for event type ${type} in ${dir}`);
      return Math.max(...known);
    },
    validate(type, version, data) {
      const found = schemas.get(key(type, version));
      if (!found) return { valid: false, errors: [`No schema for ${type} v${version}`] };
      if (found.validate(data)) return { valid: true };
      return { valid: false, errors: (found.validate.errors ?? []).map(describeError) };
    },
    schema(type, version) {
      return entry(type, version).document;
    },
  };
}
