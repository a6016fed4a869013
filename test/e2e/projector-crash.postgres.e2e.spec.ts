import { describeProjectorCrash } from './projector-crash.scenario';

/** The projector kill test (projector-crash.scenario.ts) with the log and read models in PostgreSQL. */
describeProjectorCrash('postgres');
