export * from './config.js';
export * from './ownership.js';
export * from './diagnostics.js';
export * from './ensure-namespace.js';
export * from './namespaces.js';
export * from './rest.js';
export * from './deploy-order.js';
