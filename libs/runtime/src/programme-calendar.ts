import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Curriculum, parseCurriculum, parsePaymentSchedules, PaymentSchedules, ProgrammeData } from '@ecf/domain';

/** What the read models are computed against: the curriculum and the DfE payment schedules, data in config/. */
export interface ProgrammeCalendar {
  readonly curriculum: Curriculum;
  readonly paymentSchedules: PaymentSchedules;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** Reads config/curriculum.json and config/payment-schedules.json beside the programme file, validated at start. */
export function loadProgrammeCalendar(programmeFile: string, programme: ProgrammeData): ProgrammeCalendar {
  const dir = dirname(programmeFile);
  return {
    curriculum: parseCurriculum(readJson(join(dir, 'curriculum.json')), programme),
    paymentSchedules: parsePaymentSchedules(readJson(join(dir, 'payment-schedules.json'))),
  };
}
