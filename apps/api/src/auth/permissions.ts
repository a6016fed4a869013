import type { Role } from '@ecf/runtime';

/**
 * Who may do what, in one table (the guard, the OpenAPI descriptions and the e2e tests read it).
 * Outside a role ⇒ 403; inside the role but outside its scope ⇒ 404.
 * Scope: induction tutors act for their schools, ECF Leads for their delivery partner's schools;
 * dpl, system, auditor and reporting see every school.
 */
export const PERMISSIONS = {
  RegisterSchoolPartnership: ['ecf-lead', 'dpl'],
  RegisterECT: ['induction-tutor', 'ecf-lead', 'dpl'],
  RegisterMentor: ['induction-tutor', 'ecf-lead', 'dpl'],
  RegisterInductionTutor: ['induction-tutor', 'ecf-lead', 'dpl'],
  RecordDataValidation: ['system'],
  MatchMentor: ['induction-tutor', 'ecf-lead', 'dpl'],
  SubmitSteplabAccessForm: ['induction-tutor', 'ecf-lead', 'dpl', 'system'],
  GrantSteplabAccess: ['system', 'dpl'],
  PauseECT: ['induction-tutor', 'ecf-lead', 'dpl'],
  ResumeECT: ['induction-tutor', 'ecf-lead', 'dpl'],
  DeferECT: ['ecf-lead', 'dpl'],
  DeferMentor: ['ecf-lead', 'dpl'],
  UpdateDeferralReturnDate: ['ecf-lead', 'dpl'],
  ReturnFromDeferral: ['ecf-lead', 'dpl'],
  WithdrawECT: ['ecf-lead', 'dpl'],
  WithdrawMentor: ['ecf-lead', 'dpl'],
  WithdrawInductionTutor: ['ecf-lead', 'dpl'],
  RequestWithdrawalReversal: ['ecf-lead', 'dpl'],
  ReinstateParticipant: ['dpl'],
  ChangeSchool: ['ecf-lead', 'dpl'],
  AmendReleaseSchedule: ['ecf-lead', 'dpl'],
  RecordEngagement: ['system'],
  RecordModuleAccess: ['system'],
  RecordAttendance: ['system'],
  ReadParticipants: ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'reporting', 'system'],
  ReadHistory: ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'reporting'],
  ReadEventFeed: ['dpl', 'auditor', 'reporting', 'system'],
  ReadAlerts: ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'reporting', 'system'],
  ReadProgramme: ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'reporting', 'system'],
  ReadCoachingRelationships: ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'reporting', 'system'],
  ReadPaymentReports: ['ecf-lead', 'dpl', 'auditor', 'reporting'],
  ReadOwnKey: ['induction-tutor', 'ecf-lead', 'dpl', 'system', 'auditor', 'reporting', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const roleMay = (role: Role, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);

/** Every permission a role holds, in the table's order. */
export const permissionsOf = (role: Role): Permission[] => (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => roleMay(role, permission));

/** Roles that may read personal data (names, date of birth, email). */
export const SEES_PERSONAL_DATA: readonly Role[] = ['induction-tutor', 'ecf-lead', 'dpl', 'auditor', 'system'];

/** An event's data as a reader may see it: without `personal` unless they may read personal data. */
export const eventDataFor = (data: Record<string, unknown>, showPersonal: boolean): Record<string, unknown> =>
  showPersonal ? data : Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'personal'));
