// The write side's command path: load, decide, append (handleCommand), a decider bound to its streams
// (commandHandlerFor), and the command's span and metrics (observeCommand).
export * from './handle-command';
export * from './observe-command';
export * from './product-commands';
export * from './stream-state-cache';
export * from './policies/policy';
export * from './policies/policy-runner';
export * from './policies/mentor-cascade.policy';
export * from './consumers';
