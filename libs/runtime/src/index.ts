export * from './api-keys/api-key';
export * from './api-keys/api-key-store';
export * from './clock';
export * from './config';
export * from './data-files';
export * from './programme-data';
export * from './project-root';
export * from './fault-injection';
