// Test setup for mutation runs (stryker.config.json): the same pinned environment as test/setup.ts,
// without building the PowerShell host, which the unit tests under mutation never use.
process.env.NO_COLOR = '1';
process.env.LC_ALL = 'C';
process.env.TZ = 'UTC';
delete process.env.FORCE_COLOR;
