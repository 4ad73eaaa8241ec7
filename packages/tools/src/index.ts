export * from './command-runner.js';
export * from './tool-installer.js';
export * from './http.js';
export * from './manifest.js';
export * from './helm.js';
export * from './cosign.js';
export * from './retry.js';
export * from './registry.js';
