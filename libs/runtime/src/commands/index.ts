export * from './participant-command-input';
export * from './stream-facts';
export * from './trn-claims';
