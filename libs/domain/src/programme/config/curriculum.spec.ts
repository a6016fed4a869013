import { PROGRAMME } from '../../testing/fixtures';
import { CURRICULUM } from '../../testing/programme-fixtures';
import { ProgrammeConfigError } from './config-validation';
import { parseCurriculum } from './curriculum';

const moduleItem = (code: string, releaseWeek: number) => ({ code, title: code, kind: 'module', releaseWeek });
const problemsOf = (json: unknown): readonly string[] => {
  try {
    parseCurriculum(json, PROGRAMME);
    return [];
  } catch (error) {
    if (error instanceof ProgrammeConfigError) return error.problems;
    throw error;
  }
};

describe('Curriculum config (config/curriculum.json)', () => {
  it('accepts two tracks of modules, conferences and clinics planned in weeks from the content start', () => expect(parseCurriculum(CURRICULUM, PROGRAMME)).toEqual(CURRICULUM));

  describe('Rule: the file says what the release schedule needs, or the service does not start', () => {
    it('rejects a missing track, an unknown kind and a week outside the two years, listing each', () =>
      expect(problemsOf({ ect: [{ code: 'ect-y1-m01', title: 'x', kind: 'webinar', releaseWeek: 104 }] })).toEqual([
        '/ must have required property \'mentor\'',
        '/ect/0/kind must be equal to one of the allowed values',
        '/ect/0/releaseWeek must be <= 103',
      ]));

    it('rejects a code listed twice and items out of release order', () =>
      expect(problemsOf({ ect: [moduleItem('ect-y1-m02', 3), moduleItem('ect-y1-m01', 0), moduleItem('ect-y1-m01', 6)], mentor: [moduleItem('mentor-y1-m01', 0)] })).toEqual([
        'ect: ect-y1-m01 is listed out of release order',
        'ect: ect-y1-m01 is listed twice',
      ]));
  });

  describe('Rule: conferences and clinics are those of config/programme.json, and conferences are planned in the order they must be attended', () => {
    it('rejects a conference the programme does not run, and a clinic filed as a conference', () =>
      expect(
        problemsOf({
          ect: [
            { code: 'conference-9', title: 'x', kind: 'conference', releaseWeek: 1 },
            { code: 'clinic-behaviour', title: 'x', kind: 'conference', releaseWeek: 2 },
          ],
          mentor: [moduleItem('mentor-y1-m01', 0)],
        }),
      ).toEqual(['ect: conference-9 is not a conference of the programme (config/programme.json)', 'ect: clinic-behaviour is not a conference of the programme (config/programme.json)']));

    it('rejects conference 2 planned before conference 1', () =>
      expect(
        problemsOf({
          ect: [
            { code: 'conference-2', title: 'x', kind: 'conference', releaseWeek: 5 },
            { code: 'conference-1', title: 'x', kind: 'conference', releaseWeek: 5 },
          ],
          mentor: [moduleItem('mentor-y1-m01', 0)],
        }),
      ).toEqual(['ect: conferences are planned out of the order they must be attended (conference-1, conference-2)']));
  });
});
