export * from './participant-command-input';
export * from './trn-claims';
