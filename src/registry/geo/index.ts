// The pure geometry core used by grid layers (registry) and the fusion index (routing).
export * from './types.js';
export * from './bbox.js';
export * from './crs.js';
export * from './area.js';
export * from './pip.js';
export * from './prepared.js';
export * from './validity.js';
export * from './interior.js';
export * from './clip.js';
