// Hostile values for every user variable: quotes (ASCII and U+2018-U+201F), command substitutions,
// backticks, %VAR%, ! ^ & ; |, newlines, control characters, long values. Many carry a call to the
// canary command, which only injection can reach; a test fails if the canary ever runs.

const CANARY = 'rmmkit_canary';

/** Ways into a shell or PowerShell command: each is a complete injection attempt around the canary. */
const PAYLOADS = [
  `$(${CANARY})`,
  `\`${CANARY}\``,
  `;${CANARY};`,
  `|${CANARY}`,
  `&${CANARY}`,
  `&&${CANARY}`,
  `||${CANARY}`,
  `\n${CANARY}\n`,
  `\r\n${CANARY}\r\n`,
  `'; ${CANARY}; '`,
  `"; ${CANARY}; "`,
  `'+(${CANARY})+'`,
  `"+$(${CANARY})+"`,
  `\u2018; ${CANARY}; \u2019`,
  `\u201C; ${CANARY}; \u201D`,
  `\u201A$(${CANARY})\u201B`,
  `\u201E$(${CANARY})\u201F`,
  `%COMSPEC% /c ${CANARY}`,
  `^&${CANARY}`,
  `!${CANARY}!`,
  `\${IFS}${CANARY}`,
  `$(${CANARY})\``,
  `' ; & ${CANARY} #`,
  `"; & ${CANARY} #`,
  `@(${CANARY})`,
  `$(& ${CANARY})`,
  `\`n${CANARY}`,
  `</value>${CANARY}<value>`,
  `]]>${CANARY}`,
  `{{${CANARY}}}`,
];

/** Wrappers that change how the payload sits in the value. */
const WRAPS: Array<(p: string) => string> = [
  (p) => p,
  (p) => `7${p}`,
  (p) => `${p}7`,
  (p) => `ABCD1234EFGH5678${p}`,
  (p) => ` ${p} `,
  (p) => `\t${p}\x0b`,
  (p) => `x'y"z${p}`,
  (p) => `${p}\\`,
  (p) => `$env:PATH${p}`,
  (p) => `%PATH%${p}%`,
];

/** Values with no canary: they test quoting and refusal only. */
const PLAIN = [
  '',
  ' ',
  '\\',
  "'",
  '"',
  '`',
  '$',
  '$$',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile shell expansion, on purpose
  '${PATH}',
  '$env:OS',
  '%OS%',
  '!!',
  '^',
  '&',
  ';',
  '|',
  '*',
  '?',
  '[a-z]',
  '~',
  '-e',
  '-n',
  '--',
  '\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F',
  '\u00A0',
  '\uFEFF',
  '\u202E',
  'München',
  '東京',
  'x'.repeat(10 * 1024),
  `${'$('.repeat(2000)}`,
  `${"'".repeat(5000)}`,
  ...Array.from({ length: 31 }, (_, k) => `a${String.fromCharCode(k + 1)}b`),
  '\x7f',
  '0',
  '-1',
  '007',
  '1e3',
  '0x10',
  'true',
  'TRUE',
  'false ',
];

/** At least 300 hostile values, deterministic, every one free of NUL. */
export function hostileValues(): string[] {
  const out = new Set<string>(PLAIN);
  for (const w of WRAPS) for (const p of PAYLOADS) out.add(w(p));
  return [...out];
}

export const CANARY_COMMAND = CANARY;
