import { fetchPublicJson } from './api.js';

/**
 * What the API says about itself in its OpenAPI document (/docs-json): the route of each command,
 * found by its `x-required-permission`, and the allowed values and descriptions of fields. The
 * console keeps no copy of either, so a form offers what the API accepts.
 */
interface SchemaProperty {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly description?: string;
  readonly items?: SchemaProperty;
  readonly $ref?: string;
}

interface Schema {
  readonly properties?: Record<string, SchemaProperty>;
  readonly required?: readonly string[];
}

interface OperationObject {
  readonly 'x-required-permission'?: string;
  readonly parameters?: readonly { name: string; in: string; schema?: SchemaProperty; description?: string }[];
  readonly requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OperationObject>>;
  readonly components?: { schemas?: Record<string, Schema> };
}

export interface Route {
  readonly method: string;
  readonly path: string;
}

export interface FieldInfo {
  readonly options: readonly string[];
  readonly description: string | null;
  readonly required: boolean;
}

export class Catalogue {
  private constructor(private readonly document: OpenApiDocument) {}

  static async load(): Promise<Catalogue> {
    return new Catalogue(await fetchPublicJson<OpenApiDocument>('/docs-json'));
  }

  /** The route of the one command guarded by this permission, with its path parameters filled in. */
  route(permission: string, parameters: Record<string, string> = {}): Route {
    const { method, path } = this.templateOf(permission);
    return { method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, (_whole, name: string) => encodeURIComponent(parameters[name] ?? '')) };
  }

  /** A field of the command's request body: its allowed values, description and whether it is required. */
  bodyField(permission: string, field: string): FieldInfo {
    const schema = this.bodySchema(permission);
    const property = schema?.properties?.[field];
    return { options: property?.enum ?? property?.items?.enum ?? [], description: property?.description ?? null, required: schema?.required?.includes(field) ?? false };
  }

  /** The allowed values of a query parameter of a read, e.g. the payment report's windows. */
  queryOptions(path: string, parameter: string): readonly string[] {
    const found = this.document.paths[path]?.get?.parameters?.find((candidate) => candidate.name === parameter && candidate.in === 'query');
    return found?.schema?.enum ?? [];
  }

  private bodySchema(permission: string): Schema | undefined {
    const { method, path } = this.templateOf(permission);
    const reference = this.document.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema?.$ref;
    const name = reference?.split('/').pop();
    return name === undefined ? undefined : this.document.components?.schemas?.[name];
  }

  private templateOf(permission: string): Route {
    for (const [path, operations] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-required-permission'] === permission && method !== 'get') return { method, path };
      }
    }
    throw new Error(`The API documents no command for ${permission}.`);
  }
}
