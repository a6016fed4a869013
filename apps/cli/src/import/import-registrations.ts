import { createHash } from 'node:crypto';
import { ApiAnswer, ApiClient, FatalImportError, Problem } from './api-client';
import { FieldProblem, ParticipantType, Registration, RegistrationRow } from './read-registrations';

export type Outcome = 'registered' | 'already-registered' | 'would-register' | 'rejected' | 'matched' | 'would-match' | 'match-rejected';

export interface ReportEntry {
  row: number;
  name: string;
  type: string;
  outcome: Outcome;
  participantId: string | null;
  /** Matches only: the mentor the ECT was (or would be) matched to. */
  mentorId?: string;
  code?: string;
  errors?: FieldProblem[];
  detail?: string;
}

export interface ImportOptions {
  apiUrl: string;
  apiKey: string;
  dryRun: boolean;
  onProgress?: (done: number, total: number) => void;
}

const ENDPOINT: Record<ParticipantType, string> = { ect: '/ects', mentor: '/mentors', 'induction-tutor': '/induction-tutors' };
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The same person in the same cohort always gets the same key, so a re-run (or a retry after a
 * crash half-way) replays instead of registering anyone twice. The API scopes keys to the caller's
 * API key; with another key a re-run meets TRN_ALREADY_REGISTERED instead, reported the same way.
 */
export function idempotencyKeyOf(registration: Registration): string {
  const who = registration.trn ?? `email:${registration.email.toLowerCase()}`;
  const key = `import:${registration.type}:${who}:${registration.cohort}`;
  if (IDEMPOTENCY_KEY_PATTERN.test(key)) return key;
  // The header takes visible ASCII only; an unusual email is hashed rather than refused.
  return `import:${registration.type}:sha256-${createHash('sha256').update(who).digest('hex')}:${registration.cohort}`;
}

/** Pass 1 registers every row; pass 2 matches ECTs to the mentors their rows name. */
export async function importRegistrations(rows: readonly RegistrationRow[], options: ImportOptions): Promise<ReportEntry[]> {
  const api = new ApiClient(options.apiUrl, options.apiKey);
  const toMatch = rows.filter((row) => row.registration?.type === 'ect' && row.registration.mentorTrn !== null);
  const total = rows.length + toMatch.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  try {
    const head = await api.headPosition();
    const registrations = new Map<RegistrationRow, ReportEntry>();
    const firstEntryOf = new Map<string, ReportEntry>();
    for (const row of rows) {
      const entry = row.registration ? await register(api, row, row.registration, head, options.dryRun) : refusedHere(row);
      if (entry.participantId !== null && entry.outcome !== 'rejected') {
        // A person listed twice replays the first row's command; say so rather than count them twice.
        const first = firstEntryOf.get(entry.participantId);
        if (first === undefined) firstEntryOf.set(entry.participantId, entry);
        else {
          entry.outcome = first.outcome === 'would-register' ? 'would-register' : 'already-registered';
          entry.detail = `The same participant as row ${first.row}.`;
        }
      }
      registrations.set(row, entry);
      tick();
    }
    const matches: ReportEntry[] = [];
    for (const row of toMatch) {
      const ect = registrations.get(row);
      // A rejected ECT is already reported as such; there is nobody to match.
      if (ect?.participantId && ect.outcome !== 'rejected') {
        matches.push(await match(api, row, { id: ect.participantId, exists: ect.outcome !== 'would-register' }, registrations, options.dryRun));
      }
      tick();
    }
    return [...registrations.values(), ...matches];
  } catch (error) {
    if (error instanceof FatalImportError && done > 0) {
      throw new FatalImportError(`${error.message}\n${done} of ${total} steps were done before that; running the same file again is safe.`);
    }
    throw error;
  }
}

async function register(api: ApiClient, row: RegistrationRow, registration: Registration, head: number, dryRun: boolean): Promise<ReportEntry> {
  const { type, firstName, lastName, dateOfBirth, trn, email, schoolUrn, cohort } = registration;
  const answer = await api.send('POST', `${ENDPOINT[type]}${dryRun ? '?dryRun=true' : ''}`, {
    body: { firstName, lastName, dateOfBirth, ...(trn === null ? {} : { trn }), email, schoolUrn, cohort },
    headers: { 'idempotency-key': idempotencyKeyOf(registration) },
  });
  const base = { row: row.row, name: row.name, type };
  if (answer.ok) {
    const participantId = String(answer.body.participantId);
    // A replayed Idempotency-Key answers exactly as the first time did. What tells the two apart:
    // a replay's event was written before this run began, and (in a dry run) its stream exists.
    const replayed = dryRun ? Number(answer.body.revision) >= 0 : Number(answer.body.position) <= head;
    return { ...base, outcome: replayed ? 'already-registered' : dryRun ? 'would-register' : 'registered', participantId };
  }
  const holder = answer.problem.context?.participantId;
  if (answer.problem.code === 'TRN_ALREADY_REGISTERED' && holder) {
    return { ...base, outcome: 'already-registered', participantId: holder, detail: answer.problem.detail };
  }
  return { ...base, outcome: 'rejected', participantId: null, ...problemFields(answer.problem) };
}

function refusedHere(row: RegistrationRow): ReportEntry {
  return {
    row: row.row,
    name: row.name,
    type: row.type,
    outcome: 'rejected',
    participantId: null,
    code: 'INVALID_ROW',
    errors: row.problems,
    detail: 'The row was not sent.',
  };
}

type Participant = { id: string; exists: boolean };
type Mentor = Participant | { problem: Problem };

async function match(
  api: ApiClient,
  row: RegistrationRow,
  ect: Participant,
  registrations: ReadonlyMap<RegistrationRow, ReportEntry>,
  dryRun: boolean,
): Promise<ReportEntry> {
  const base = { row: row.row, name: row.name, type: 'ect', participantId: ect.id };
  const mentor = await findMentor(api, row.registration?.mentorTrn ?? '', registrations);
  if ('problem' in mentor) return { ...base, outcome: 'match-rejected', ...problemFields(mentor.problem) };
  if (dryRun && (!ect.exists || !mentor.exists)) {
    // A match needs both participants' streams, which a dry run does not write: the API cannot preview it.
    return { ...base, outcome: 'would-match', mentorId: mentor.id, detail: 'Not previewed: the ECT or the mentor is registered only by a real run.' };
  }
  const answer: ApiAnswer = await api.send('PUT', `/ects/${ect.id}/mentor${dryRun ? '?dryRun=true' : ''}`, { body: { mentorId: mentor.id } });
  if (!answer.ok) return { ...base, outcome: 'match-rejected', mentorId: mentor.id, ...problemFields(answer.problem) };
  const nothingToDo = dryRun ? Array.isArray(answer.body.events) && answer.body.events.length === 0 : false;
  return { ...base, outcome: dryRun ? 'would-match' : 'matched', mentorId: mentor.id, ...(nothingToDo ? { detail: 'Already matched.' } : {}) };
}

/** The mentor's row in this file if there is one, so a new mentor is found before the read model has caught up; else the API. */
async function findMentor(api: ApiClient, trn: string, registrations: ReadonlyMap<RegistrationRow, ReportEntry>): Promise<Mentor> {
  const inFile = [...registrations].filter(([row]) => row.trn === trn);
  const usable = inFile.find(([, entry]) => entry.participantId !== null && entry.outcome !== 'rejected');
  if (usable) return { id: usable[1].participantId as string, exists: usable[1].outcome !== 'would-register' };
  if (inFile.length > 0) {
    const rows = inFile.map(([row]) => row.row).join(', ');
    return { problem: { status: 0, code: 'MENTOR_ROW_REJECTED', detail: `The mentor’s row (${rows}) was rejected, so the ECT was not matched.` } };
  }
  const answer = await api.send('GET', `/participants?trn=${encodeURIComponent(trn)}&limit=1`);
  if (!answer.ok) return { problem: answer.problem };
  const items = Array.isArray(answer.body.items) ? (answer.body.items as { participantId?: string }[]) : [];
  if (items.length === 0 || !items[0].participantId) {
    return { problem: { status: 0, code: 'MENTOR_NOT_FOUND', detail: `No participant with TRN ${trn} is in this file or visible to this key.` } };
  }
  return { id: items[0].participantId, exists: true };
}

function problemFields(problem: Problem): Pick<ReportEntry, 'code' | 'errors' | 'detail'> {
  return { code: problem.code, ...(problem.errors?.length ? { errors: problem.errors } : {}), ...(problem.detail ? { detail: problem.detail } : {}) };
}
