import { describeProjectorCrash } from './projector-crash.scenario';

/** The projector kill test (projector-crash.scenario.ts) with the log and read models in SQLite files. */
describeProjectorCrash('sqlite');
