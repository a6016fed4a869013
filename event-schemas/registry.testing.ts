import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSchemaRegistry, loadEventSchemas } from './registry';

/**
 * For tests: loads schemas written to a throwaway folder (file name → schema document), so a spec
 * can check how the loader treats a bad schema without any file I/O of its own.
 */
export function loadEventSchemasFrom(files: Readonly<Record<string, object>>): EventSchemaRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'event-schemas-'));
  try {
    for (const [name, schema] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(schema));
    return loadEventSchemas(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
