// Public API of lib/io: the zip container and atomic file writes.
export * from './files.js';
export * from './zip.js';
