import { readRegistrations, RegistrationFileError } from './read-registrations';

const HEADER = 'first_name,last_name,date_of_birth,trn,email,school_urn,type,cohort,mentor_trn';

describe('readRegistrations', () => {
  it('maps the DfE columns, in any case, snake or camel, in any order', () => {
    const file = readRegistrations(
      [
        'Type,firstName,LAST_NAME,dateOfBirth,TRN,Email,schoolUrn,Cohort,MentorTrn',
        'ECT,Eve,Tester,1995-03-14,1000001,eve@example.org,100001,2026,2000001',
        'induction tutor,Tamsin,Tester,1980-05-01,,tamsin@example.org,100001,2026,',
      ].join('\n'),
    );
    expect(file.ignoredColumns).toEqual([]);
    expect(file.rows).toEqual([
      {
        row: 2,
        name: 'Eve Tester',
        type: 'ect',
        trn: '1000001',
        problems: [],
        registration: {
          type: 'ect',
          firstName: 'Eve',
          lastName: 'Tester',
          dateOfBirth: '1995-03-14',
          trn: '1000001',
          email: 'eve@example.org',
          schoolUrn: '100001',
          cohort: 2026,
          mentorTrn: '2000001',
        },
      },
      expect.objectContaining({ row: 3, type: 'induction-tutor', registration: expect.objectContaining({ trn: null, mentorTrn: null }) }),
    ]);
  });

  it('leaves the API to judge field formats: a 6-digit TRN is read as written', () => {
    const [row] = readRegistrations(`${HEADER}\nEzra,Tester,1995-03-14,100002,ezra@example.org,100001,ect,2026,\n`).rows;
    expect(row.problems).toEqual([]);
    expect(row.registration).toMatchObject({ trn: '100002' });
  });

  it('refuses a file missing required columns, naming each of them', () => {
    expect(() => readRegistrations('first_name,last_name,email,type\nEve,Tester,eve@example.org,ect\n')).toThrow(RegistrationFileError);
    expect(() => readRegistrations('first_name,last_name,email,type\nEve,Tester,eve@example.org,ect\n')).toThrow(
      'missing required columns: date_of_birth, trn, school_urn, cohort',
    );
    expect(() => readRegistrations('')).toThrow(/empty/);
  });

  it('refuses a header naming a column twice, and CSV it cannot parse', () => {
    expect(() => readRegistrations(`${HEADER},TRN\n`)).toThrow('The column trn appears twice');
    expect(() => readRegistrations(`${HEADER}\n"Eve,Tester\n`)).toThrow(/not valid CSV/);
  });

  it('reports unknown columns, so a misspelt one is not dropped silently', () => {
    expect(readRegistrations(`${HEADER},mentor_tm\n`).ignoredColumns).toEqual(['mentor_tm']);
  });

  it('reports each bad row with its line and field problems, and keeps the good ones', () => {
    const { rows } = readRegistrations(
      [
        HEADER,
        'Eve,Tester,1995-03-14,1000001,eve@example.org,100001,ect,2026,',
        'Tom,Tester,1995-03-14,1000002,tom@example.org,100001,teacher,next year,',
        'Maya,Tester,1985-09-30,2000001,maya@example.org,100001,mentor,2026,1000001',
        'Short,Row,1995-03-14',
      ].join('\r\n'),
    );
    expect(rows.map((row) => [row.row, row.registration === null])).toEqual([
      [2, false],
      [3, true],
      [4, true],
      [5, true],
    ]);
    expect(rows[1].problems.map((problem) => [problem.field, problem.code])).toEqual([
      ['type', 'INVALID_TYPE'],
      ['cohort', 'NOT_A_YEAR'],
    ]);
    expect(rows[2].problems).toEqual([expect.objectContaining({ field: 'mentorTrn', code: 'ECT_ONLY' })]);
    expect(rows[3].problems.map((problem) => problem.code)).toEqual(expect.arrayContaining(['COLUMN_COUNT']));
    expect(rows[3].name).toBe('Short Row');
  });

  it('numbers rows by the line they start on, past blank lines and cells spanning lines; ignores empty rows', () => {
    const { rows } = readRegistrations(
      [
        '\uFEFF' + HEADER,
        '',
        '"Eve",Tester,1995-03-14,1000001,"eve@example.org",100001,ect,2026,',
        ',,,,,,,,',
        '"Mary',
        'Anne",Tester,1995-03-14,1000003,mary@example.org,100001,ect,2026,',
        'Ezra,Tester,1995-03-14,1000002,ezra@example.org,100001,ect,2026,',
      ].join('\n'),
    );
    expect(rows.map((row) => [row.row, row.name])).toEqual([
      [3, 'Eve Tester'],
      [5, 'Mary\nAnne Tester'],
      [7, 'Ezra Tester'],
    ]);
  });
});
