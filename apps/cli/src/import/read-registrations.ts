import { CsvError, parse } from 'csv-parse/sync';

export const PARTICIPANT_TYPES = ['ect', 'mentor', 'induction-tutor'] as const;
export type ParticipantType = (typeof PARTICIPANT_TYPES)[number];

/** The API's field-error shape, so rows refused here and rows refused by the API read alike in the report. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface Registration {
  type: ParticipantType;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  trn: string | null;
  email: string;
  schoolUrn: string;
  cohort: number;
  mentorTrn: string | null;
}

export interface RegistrationRow {
  /** The line the record starts on (the header is line 1), as a spreadsheet shows it. */
  row: number;
  name: string;
  type: string;
  /** As written, even on a row that cannot be sent: an ECT row naming it as mentor_trn should learn why it was not matched. */
  trn: string | null;
  /** Null when the row cannot be sent at all; `problems` says why. */
  registration: Registration | null;
  problems: FieldProblem[];
}

export interface RegistrationFile {
  rows: RegistrationRow[];
  /** Columns we do not know: reported so that a misspelt optional column is not silently dropped. */
  ignoredColumns: string[];
}

/** The file as a whole cannot be imported (bad header, broken quoting): nothing may be sent. */
export class RegistrationFileError extends Error {}

type Field = keyof Registration;

/** Column names as the DfE service writes them; headers match in any case, snake or camel. */
const COLUMNS: readonly { field: Field; column: string; required: boolean }[] = [
  { field: 'firstName', column: 'first_name', required: true },
  { field: 'lastName', column: 'last_name', required: true },
  { field: 'dateOfBirth', column: 'date_of_birth', required: true },
  { field: 'trn', column: 'trn', required: true },
  { field: 'email', column: 'email', required: true },
  { field: 'schoolUrn', column: 'school_urn', required: true },
  { field: 'type', column: 'type', required: true },
  { field: 'cohort', column: 'cohort', required: true },
  { field: 'mentorTrn', column: 'mentor_trn', required: false },
];

const normalise = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const COLUMN_BY_KEY = new Map(COLUMNS.map((column) => [normalise(column.column), column]));

export function readRegistrations(text: string): RegistrationFile {
  const records = parseCsv(text);
  if (records.length === 0) throw new RegistrationFileError(`The file is empty; it needs a header row with the columns ${requiredColumns().join(', ')}.`);
  const [header, ...body] = records;
  const { positions, ignoredColumns } = mapHeader(header.record);
  const rows = body.map(({ record, line }) => toRow(record, line, positions, header.record.length));
  return { rows, ignoredColumns };
}

function parseCsv(text: string): { record: string[]; line: number }[] {
  try {
    const parsed = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, raw: true }) as unknown as {
      record: string[];
      info: { lines: number };
      raw: string;
    }[];
    return parsed
      .filter(({ record }) => record.some((cell) => cell !== ''))
      .map(({ record, info, raw }) => ({ record, line: info.lines - lineBreaksInside(raw) }));
  } catch (error) {
    if (error instanceof CsvError) throw new RegistrationFileError(`The file is not valid CSV: ${error.message}`);
    throw error;
  }
}

/** csv-parse counts lines up to a record's end; a quoted cell may span lines, and the row is where it starts. */
function lineBreaksInside(raw: string): number {
  const record = raw.replace(/^(?:\r?\n)+/, '').replace(/\r?\n$/, '');
  return record.split('\n').length - 1;
}

function requiredColumns(): string[] {
  return COLUMNS.filter((column) => column.required).map((column) => column.column);
}

function mapHeader(header: string[]): { positions: Map<Field, number>; ignoredColumns: string[] } {
  const positions = new Map<Field, number>();
  const ignoredColumns: string[] = [];
  header.forEach((name, index) => {
    const column = COLUMN_BY_KEY.get(normalise(name));
    if (!column) {
      ignoredColumns.push(name);
      return;
    }
    if (positions.has(column.field)) throw new RegistrationFileError(`The column ${column.column} appears twice in the header.`);
    positions.set(column.field, index);
  });
  const missing = COLUMNS.filter((column) => column.required && !positions.has(column.field)).map((column) => column.column);
  if (missing.length > 0) {
    throw new RegistrationFileError(`The file is missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}. Nothing was sent.`);
  }
  return { positions, ignoredColumns };
}

/**
 * Only what stops a row from being sent is checked here (which endpoint, a numeric cohort); every
 * other rule is the API's, so the import refuses exactly what the API refuses.
 */
function toRow(record: string[], line: number, positions: Map<Field, number>, headerLength: number): RegistrationRow {
  const cell = (field: Field): string => {
    const index = positions.get(field);
    return index === undefined ? '' : (record[index] ?? '');
  };
  const problems: FieldProblem[] = [];
  if (record.length !== headerLength) {
    problems.push({ field: 'row', code: 'COLUMN_COUNT', message: `The row has ${record.length} cells; the header has ${headerLength}.` });
  }
  const typeCell = cell('type');
  const type = typeCell.toLowerCase().replace(/[\s_]+/g, '-');
  if (!isParticipantType(type)) {
    problems.push({ field: 'type', code: 'INVALID_TYPE', message: `type must be one of ${PARTICIPANT_TYPES.join(', ')}.` });
  }
  const cohortCell = cell('cohort');
  if (!/^\d{1,4}$/.test(cohortCell)) problems.push({ field: 'cohort', code: 'NOT_A_YEAR', message: 'cohort must be a year, e.g. 2026.' });
  const mentorTrn = cell('mentorTrn') || null;
  if (mentorTrn !== null && type !== 'ect') {
    problems.push({ field: 'mentorTrn', code: 'ECT_ONLY', message: 'mentor_trn is for ECT rows only.' });
  }

  const name = `${cell('firstName')} ${cell('lastName')}`.trim();
  const base = { row: line, name, type: isParticipantType(type) ? type : typeCell, trn: cell('trn') || null };
  if (problems.length > 0 || !isParticipantType(type)) return { ...base, registration: null, problems };
  return {
    ...base,
    problems,
    registration: {
      type,
      firstName: cell('firstName'),
      lastName: cell('lastName'),
      dateOfBirth: cell('dateOfBirth'),
      trn: cell('trn') || null,
      email: cell('email'),
      schoolUrn: cell('schoolUrn'),
      cohort: Number(cohortCell),
      mentorTrn,
    },
  };
}

const isParticipantType = (value: string): value is ParticipantType => (PARTICIPANT_TYPES as readonly string[]).includes(value);
