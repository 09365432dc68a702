// Lets Stryker's mocha runner (9.x, written for mocha ≤ 11) load mocha 12, whose CLI helpers are
// .cjs files it requires without an extension: Node tries every registered extension in turn.
require.extensions['.cjs'] ??= require.extensions['.js'];
