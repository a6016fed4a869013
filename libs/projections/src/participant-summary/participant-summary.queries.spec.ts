import { ectRegistered, inductionTutorRegistered, mentorRegistered } from '@ecf/domain/testing';
import { ProjectionHarness } from '../testing/projection-harness';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { participantSummaryProjection } from './participant-summary.projection';
import { listParticipants } from './participant-summary.queries';

const ODD_NAME_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000077';

describe.each(READ_MODEL_KINDS)('Participant list: search by name on %s', (kind) => {
  let readModels: DisposableReadModels;
  let harness: ProjectionHarness;

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
    harness = await new ProjectionHarness(readModels.db, participantSummaryProjection).createTables();
    await harness.project(
      ectRegistered(),
      mentorRegistered(),
      inductionTutorRegistered(),
      ectRegistered({
        participantId: ODD_NAME_ID,
        trn: '7000077',
        personal: { firstName: 'Zoë', lastName: '100%_Sure', dateOfBirth: '1990-01-01', email: 'zoe@example.org' },
      }),
    );
  });
  afterEach(() => readModels.dispose());

  const namesFound = async (name: string, extra: { type?: string } = {}) =>
    (await listParticipants(readModels.db, harness.table, { name, ...extra, limit: 50 })).map((row) => `${row.firstName} ${row.lastName}`).sort();

  it('finds a participant by part of the first or last name, in any case', async () => {
    expect(await namesFound('pat')).toEqual(['Asha Patel']);
    expect(await namesFound('BEN')).toEqual(['Ben Okafor']);
    expect(await namesFound('a')).toEqual(['Asha Patel', 'Ben Okafor', 'Carys Evans']);
  });

  it('matches across first and last name, and combines with the other filters', async () => {
    expect(await namesFound('asha pa')).toEqual(['Asha Patel']);
    expect(await namesFound('a', { type: 'mentor' })).toEqual(['Ben Okafor']);
    expect(await namesFound('nobody')).toEqual([]);
  });

  it('treats % and _ in the search as themselves, not as wildcards', async () => {
    expect(await namesFound('%')).toEqual(['Zoë 100%_Sure']);
    expect(await namesFound('0%_s')).toEqual(['Zoë 100%_Sure']);
    expect(await namesFound('_')).toEqual(['Zoë 100%_Sure']);
    expect(await namesFound('a_h')).toEqual([]);
  });
});
