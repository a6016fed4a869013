export * from './engine/projection';
export * from './engine/projection-runner';
export * from './engine/read-model-database';
export * from './participant-summary/participant-summary.projection';
export * from './participant-summary/participant-summary.queries';
