import { addDays, isAfter, isBefore, isCalendarDate } from '../../shared/calendar';
import { DECLARATION_TYPES, DeclarationType } from '../../shared/reference-data';
import { validateConfig } from './config-validation';

/** One DfE milestone: the window a declaration of its type may fall in and when DfE pays it. */
export interface Milestone {
  readonly declarationType: DeclarationType;
  readonly startDate: string;
  /** DfE's deadline (the last day of the window); null where DfE sets none. */
  readonly milestoneDate: string | null;
  readonly paymentDate: string;
}

export interface PaymentSchedule {
  readonly cohort: number;
  /** e.g. ecf-standard-september */
  readonly scheduleIdentifier: string;
  /** In declaration order, one a term. */
  readonly milestones: readonly Milestone[];
}

/** config/payment-schedules.json: every schedule of every cohort the lead provider trains. */
export interface PaymentSchedules {
  readonly schedules: readonly PaymentSchedule[];
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['schedules'],
  properties: {
    schedules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['cohort', 'scheduleIdentifier', 'milestones'],
        properties: {
          cohort: { type: 'integer', minimum: 2020, maximum: 2100 },
          scheduleIdentifier: { type: 'string', pattern: '^ecf-(standard|extended|reduced|replacement)-(september|january|april)$' },
          milestones: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['declarationType', 'startDate', 'milestoneDate', 'paymentDate'],
              properties: {
                declarationType: { enum: DECLARATION_TYPES },
                startDate: { type: 'string', pattern: DATE_PATTERN },
                milestoneDate: { anyOf: [{ type: 'string', pattern: DATE_PATTERN }, { type: 'null' }] },
                paymentDate: { type: 'string', pattern: DATE_PATTERN },
              },
            },
          },
        },
      },
    },
  },
} as const;

/**
 * Validates config/payment-schedules.json (already parsed): real dates; one schedule per cohort and
 * identifier; milestones in DfE's declaration order starting with `started`, extension points only on
 * extended schedules; each window after the previous one, so an engagement falls in one window at most.
 */
export function parsePaymentSchedules(json: unknown): PaymentSchedules {
  return validateConfig<PaymentSchedules>('payment schedules', json, schema, ({ schedules }) => {
    const seen = new Set<string>();
    return schedules.flatMap((schedule) => {
      const name = `${schedule.cohort} ${schedule.scheduleIdentifier}`;
      const duplicate = seen.has(name) ? [`${name} is listed twice`] : [];
      seen.add(name);
      return [...duplicate, ...milestoneProblems(schedule).map((problem) => `${name}: ${problem}`)];
    });
  });
}

function milestoneProblems({ scheduleIdentifier, milestones }: PaymentSchedule): string[] {
  const problems: string[] = [];
  const types = milestones.map((milestone) => milestone.declarationType);
  const inOrder = types.every((type, index) => index === 0 || DECLARATION_TYPES.indexOf(type) > DECLARATION_TYPES.indexOf(types[index - 1]));
  if (types[0] !== 'started' || !inOrder) problems.push(`milestones must start with started and follow DfE's order (${DECLARATION_TYPES.join(', ')})`);
  if (!scheduleIdentifier.startsWith('ecf-extended-') && types.some((type) => type.startsWith('extended-'))) {
    problems.push('only extended schedules have extension points');
  }
  milestones.forEach((milestone, index) => {
    const { declarationType, startDate, milestoneDate, paymentDate } = milestone;
    const dates = [startDate, milestoneDate, paymentDate].filter((date): date is string => date !== null);
    const unreal = dates.filter((date) => !isCalendarDate(date));
    if (unreal.length > 0) {
      problems.push(`${declarationType}: ${unreal.join(', ')} is not a calendar date`);
      return;
    }
    if (milestoneDate !== null && isBefore(milestoneDate, startDate)) problems.push(`${declarationType}: the deadline is before the start`);
    const next = milestones[index + 1];
    if (next && isCalendarDate(next.startDate) && !isAfter(next.startDate, milestoneDate ?? startDate)) {
      problems.push(`${next.declarationType} must start after the ${declarationType} window`);
    }
  });
  return problems;
}

export const findPaymentSchedule = (schedules: PaymentSchedules, cohort: number, scheduleIdentifier: string): PaymentSchedule | undefined =>
  schedules.schedules.find((schedule) => schedule.cohort === cohort && schedule.scheduleIdentifier === scheduleIdentifier);

/**
 * The last day an engagement counts towards a milestone: its deadline; where DfE sets none, the day
 * before the next milestone starts (one milestone a term); null for a last milestone with no deadline.
 */
export function engagementCountsUntil(milestones: readonly Milestone[], index: number): string | null {
  const { milestoneDate } = milestones[index];
  if (milestoneDate !== null) return milestoneDate;
  const next = milestones[index + 1];
  return next ? addDays(next.startDate, -1) : null;
}
