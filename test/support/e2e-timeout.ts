/**
 * End-to-end tests start real processes and databases: 60 s per test and hook unless a test says
 * otherwise. Jest reads `testTimeout` only from the top-level configuration, not from a project's,
 * so the e2e project sets it here, leaving unit tests at Jest's default.
 */
jest.setTimeout(60_000);
