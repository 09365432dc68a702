// Test harness setup: pins the environment so every run sees the same locale, zone and colour.
// Loaded by mocha before any test file (see .mocharc.json).
process.env.NO_COLOR = '1';
process.env.LC_ALL = 'C';
process.env.TZ = 'UTC';
delete process.env.FORCE_COLOR;
