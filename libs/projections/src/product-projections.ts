import { Projection } from './engine/projection';
import { PARTICIPANT_PROGRAMME_PROJECTION, participantProgrammeProjection, ProgrammeCalendarData } from './participant-programme/participant-programme.projection';
import { participantSummaryProjection } from './participant-summary/participant-summary.projection';
import { schoolAlertsProjection } from './school-alerts/school-alerts.projection';

/** Every projection the product runs, in the order they start. */
export const productProjections = (calendar: ProgrammeCalendarData): readonly Projection[] => [
  participantSummaryProjection,
  schoolAlertsProjection,
  participantProgrammeProjection(calendar),
];

export const PRODUCT_PROJECTION_NAMES: readonly string[] = [participantSummaryProjection.name, schoolAlertsProjection.name, PARTICIPANT_PROGRAMME_PROJECTION];
