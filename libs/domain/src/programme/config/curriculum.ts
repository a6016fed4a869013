import { ParticipantType } from '../../participant/participant.events';
import { ProgrammeData } from '../../shared/decider';
import { validateConfig } from './config-validation';

export type CurriculumTrack = 'ect' | 'mentor';
export const CURRICULUM_ITEM_KINDS = ['module', 'conference', 'clinic'] as const;
export type CurriculumItemKind = (typeof CURRICULUM_ITEM_KINDS)[number];

/** The programme runs for two years; content is planned within them. */
export const PROGRAMME_WEEKS = 104;

export interface CurriculumItem {
  readonly code: string;
  readonly title: string;
  readonly kind: CurriculumItemKind;
  /** Planned release, in whole weeks after the participant's content start (0 = the content start itself). */
  readonly releaseWeek: number;
}

/** config/curriculum.json: two years of content for each track, listed in release order. */
export type Curriculum = Readonly<Record<CurriculumTrack, readonly CurriculumItem[]>>;

const itemsSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'title', 'kind', 'releaseWeek'],
    properties: {
      code: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
      title: { type: 'string', minLength: 1 },
      kind: { enum: CURRICULUM_ITEM_KINDS },
      releaseWeek: { type: 'integer', minimum: 0, maximum: PROGRAMME_WEEKS - 1 },
    },
  },
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['ect', 'mentor'],
  properties: { ect: itemsSchema, mentor: itemsSchema },
} as const;

/** Each track's module codes, for the decider's context (`ProgrammeData.moduleCodes`). */
export const moduleCodesOf = (curriculum: Curriculum): ProgrammeData['moduleCodes'] => ({
  ect: curriculum.ect.filter((item) => item.kind === 'module').map((item) => item.code),
  mentor: curriculum.mentor.filter((item) => item.kind === 'module').map((item) => item.code),
});

/**
 * Validates config/curriculum.json (already parsed) against the programme's conferences and clinics
 * (config/programme.json): a conference or clinic is one the programme runs, and conferences are
 * planned in the order they must be attended (seed 004).
 */
export function parseCurriculum(json: unknown, programme: Pick<ProgrammeData, 'programmeEvents'>): Curriculum {
  return validateConfig<Curriculum>('curriculum', json, schema, (curriculum) =>
    (['ect', 'mentor'] as const).flatMap((track) => trackProblems(track, curriculum[track], programme)),
  );
}

function trackProblems(track: CurriculumTrack, items: readonly CurriculumItem[], programme: Pick<ProgrammeData, 'programmeEvents'>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.code)) problems.push(`${track}: ${item.code} is listed twice`);
    seen.add(item.code);
    if (index > 0 && item.releaseWeek < items[index - 1].releaseWeek) problems.push(`${track}: ${item.code} is listed out of release order`);
    if (item.kind === 'module') return;
    const programmeEvent = programme.programmeEvents.find((known) => known.code === item.code);
    if (programmeEvent?.kind !== item.kind) problems.push(`${track}: ${item.code} is not a ${item.kind} of the programme (config/programme.json)`);
  });
  const conferenceOrder = programme.programmeEvents.filter((known) => known.kind === 'conference').map((known) => known.code);
  const planned = items.filter((item) => item.kind === 'conference').map((item) => conferenceOrder.indexOf(item.code));
  if (planned.some((position, index) => index > 0 && position < planned[index - 1])) {
    problems.push(`${track}: conferences are planned out of the order they must be attended (${conferenceOrder.join(', ')})`);
  }
  return problems;
}

/** The track a participant follows: ECTs and mentors each have their own; induction tutors have none. */
export const curriculumTrackOf = (type: ParticipantType | null): CurriculumTrack | null => (type === 'ect' || type === 'mentor' ? type : null);
