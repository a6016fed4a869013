export * from './fixtures';
export * from './lifecycle-fixtures';
export * from './decider-specification';
export * from './programme-fixtures';
