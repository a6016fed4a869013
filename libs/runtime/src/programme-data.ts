import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { moduleCodesOf, parseCurriculum, type ProgrammeData } from '@ecf/domain';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['regions', 'deliveryPartners', 'programmeEvents'],
  properties: {
    regions: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z-]+$' } },
    deliveryPartners: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'regions'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]+$' },
          name: { type: 'string', minLength: 1 },
          regions: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    programmeEvents: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'kind'],
        properties: { code: { type: 'string', pattern: '^[a-z0-9-]+$' }, kind: { enum: ['conference', 'clinic'] } },
      },
    },
  },
} as const;

/**
 * Programme reference data (regions, delivery partners, conferences and clinics) from config/, with the
 * module codes of the curriculum beside it (curriculum.json), validated at start.
 */
export function loadProgrammeData(file: string): ProgrammeData {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile<Omit<ProgrammeData, 'moduleCodes'>>(schema);
  if (!validate(data)) {
    throw new Error(`${file} is invalid: ${(validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`).join('; ')}`);
  }
  const unknownRegions = data.deliveryPartners.flatMap((partner) => partner.regions.filter((region) => !data.regions.includes(region)));
  if (unknownRegions.length > 0) throw new Error(`${file}: delivery partners name unknown regions: ${unknownRegions.join(', ')}`);
  const curriculum = parseCurriculum(JSON.parse(readFileSync(join(dirname(file), 'curriculum.json'), 'utf8')), data);
  return { ...data, moduleCodes: moduleCodesOf(curriculum) };
}
