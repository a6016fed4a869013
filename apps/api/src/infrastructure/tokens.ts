/** Injection tokens for the ports the application depends on. */
export const EVENT_STORE = Symbol('EventStore');
export const READ_MODEL_DB = Symbol('ReadModelDatabase');
export const APP_CONFIG = Symbol('AppConfig');
export const DECISION_CONTEXT = Symbol('DecisionContextFactory');
export const PROGRAMME_DATA = Symbol('ProgrammeData');
export const PROGRAMME_CALENDAR = Symbol('ProgrammeCalendar');
/** This process's shared hold on DATA_DIR (see DataDirLock). */
export const DATA_DIR_LOCK = Symbol('DataDirLock');
