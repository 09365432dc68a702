// Tests of the body rules of lib/component/lint (ComStore §6: never reboots, never prompts, stderr
// kept minimal): commands are found at command position, not inside strings or comments, with the
// line they are on; UTF-16 bodies are decoded and flagged.
import assert from 'node:assert/strict';
import { blankCode, lintComponent } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

type Type = 'powershell' | 'unix' | 'batch';
const REBOOT = 'comstore-no-reboot';
const PROMPT = 'comstore-non-interactive';
const STDERR = 'comstore-stderr';

const component = (installType: string, body: string | Uint8Array) =>
  testComponent({ body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body }, installType);

/** Lines (1-based) on which `rule` fires for the body. */
const linesOf = (installType: string, body: string | Uint8Array, rule: string) =>
  lintComponent(component(installType, body))
    .filter((f) => f.rule === rule)
    .map((f) => f.line);

// [name, installType, body, rule, line it fires on (null: must not fire)]
const cases: [string, Type, string, string, number | null][] = [
  // Reboots that were missed.
  ['indented reboot', 'unix', '#!/bin/sh\nif true; then\n  reboot\nfi\n', REBOOT, 3],
  ['/sbin/reboot', 'unix', '#!/bin/sh\n/sbin/reboot\n', REBOOT, 2],
  ['exec reboot', 'unix', '#!/bin/sh\necho bye\nexec reboot\n', REBOOT, 3],
  ['sudo reboot', 'unix', '#!/bin/sh\nsudo reboot\n', REBOOT, 2],
  ['sudo -n reboot', 'unix', '#!/bin/sh\nsudo -n reboot\n', REBOOT, 2],
  ['shutdown -r now', 'unix', '#!/bin/sh\nshutdown -r now\n', REBOOT, 2],
  ['systemctl reboot', 'unix', '#!/bin/sh\n\nsystemctl reboot\n', REBOOT, 3],
  ['reboot after &&', 'unix', '#!/bin/sh\nmake && reboot\n', REBOOT, 2],
  ['init 6', 'unix', '#!/bin/sh\ninit 6\n', REBOOT, 2],
  ['WMI Reboot()', 'powershell', '$x = 1\n(Get-WmiObject Win32_OperatingSystem).Reboot()\n', REBOOT, 2],
  ['Restart-Computer -Force', 'powershell', 'Stop-Service w\nRestart-Computer -Force\n', REBOOT, 2],
  ['Restart-Computer in a script block', 'powershell', 'if ($x) { Restart-Computer }\n', REBOOT, 1],
  ['shutdown /r in batch', 'batch', '@echo off\r\nshutdown /r /t 0\r\n', REBOOT, 2],
  ['shutdown.exe with a path', 'batch', '%SystemRoot%\\System32\\shutdown.exe -r -t 0\r\n', REBOOT, 1],
  ['shutdown /r after if errorlevel', 'batch', 'if errorlevel 1 shutdown /r\r\n', REBOOT, 1],
  ['shutdown /r from PowerShell', 'powershell', "Write-Host 'x'\nshutdown.exe /r /t 0\n", REBOOT, 2],
  ['reboot after a quoted argument', 'unix', '#!/bin/sh\necho "a;b"; reboot\n', REBOOT, 2],
  ['reboot in a case branch', 'unix', '#!/bin/sh\ncase "$1" in\n  now) reboot ;;\nesac\n', REBOOT, 3],
  [
    'reboot after a here-document with an apostrophe',
    'unix',
    "#!/bin/sh\ncat <<EOF\nDon't panic\nEOF\nreboot\n",
    REBOOT,
    5,
  ],
  ['reboot after $(( a << b ))', 'unix', '#!/bin/bash\nx=$((1 << n))\nreboot\n', REBOOT, 3],
  // Reboots that were false positives.
  ['reboot inside an echo string', 'unix', '#!/bin/sh\necho "Reboot needed; reboot later"\n', REBOOT, null],
  ['reboot inside single quotes', 'unix', "#!/bin/sh\necho 'then reboot'\n", REBOOT, null],
  [
    'shutdown /r inside Write-Host',
    'powershell',
    'Write-Host "Please run shutdown /r yourself"\n',
    REBOOT,
    null,
  ],
  [
    'reboot in an inline PowerShell comment',
    'powershell',
    'Stop-Service w # then reboot manually\n',
    REBOOT,
    null,
  ],
  [
    'Restart-Computer in an inline comment',
    'powershell',
    'Stop-Service w # Restart-Computer later\n',
    REBOOT,
    null,
  ],
  [
    'reboot in an inline sh comment',
    'unix',
    '#!/bin/sh\nsystemctl stop w # then reboot manually\n',
    REBOOT,
    null,
  ],
  [
    'Restart-Computer in a block comment',
    'powershell',
    '<#\n  Restart-Computer\n#>\nWrite-Host 1\n',
    REBOOT,
    null,
  ],
  [
    'Restart-Computer in a one-line block comment',
    'powershell',
    'Write-Host 1 <# Restart-Computer #>\n',
    REBOOT,
    null,
  ],
  [
    'Restart-Computer in a here-string',
    'powershell',
    '$t = @"\nRestart-Computer\n"@\nWrite-Host $t\n',
    REBOOT,
    null,
  ],
  ['Restart-Computer in a multi-line string', 'powershell', "$t = 'a\nRestart-Computer'\n", REBOOT, null],
  [
    'reboot inside a here-document',
    'unix',
    "#!/bin/sh\ncat > note.txt <<-'EOF'\n\treboot\n\tEOF\necho ok\n",
    REBOOT,
    null,
  ],
  ['@REM shutdown /r', 'batch', '@echo off\r\n@REM shutdown /r\r\n', REBOOT, null],
  ['@rem shutdown /r', 'batch', '@rem shutdown /r\r\n', REBOOT, null],
  ['REM shutdown /r', 'batch', 'REM shutdown /r\r\n', REBOOT, null],
  [':: shutdown /r', 'batch', ':: shutdown /r /t 0\r\n', REBOOT, null],
  ['& rem shutdown /r', 'batch', 'echo x & rem shutdown /r\r\n', REBOOT, null],
  ['shutdown /r inside a batch echo string', 'batch', 'echo "then shutdown /r"\r\n', REBOOT, null],
  ['shutdown /a (abort)', 'batch', 'shutdown /a\r\n', REBOOT, null],
  ['reboot.sh is another command', 'unix', '#!/bin/sh\n./reboot.sh --dry-run\n', REBOOT, null],
  ['$reboot variable', 'unix', '#!/bin/sh\nreboot_needed=1\necho $reboot_needed\n', REBOOT, null],
  ['a Reboot variable in PowerShell', 'powershell', '$Reboot = $false\n', REBOOT, null],

  // Prompts that were missed.
  ['if errorlevel 1 pause', 'batch', '@echo off\r\nif errorlevel 1 pause\r\n', PROMPT, 2],
  ['echo done & pause', 'batch', 'echo done & pause\r\n', PROMPT, 1],
  ['pause after &&', 'batch', 'copy a b && pause\r\n', PROMPT, 1],
  ['pause after ||', 'batch', 'copy a b || pause\r\n', PROMPT, 1],
  ['pause after an if comparison', 'batch', 'if "%X%"=="1" pause\r\n', PROMPT, 1],
  ['pause in parentheses', 'batch', 'if exist x.txt (pause)\r\n', PROMPT, 1],
  ['@pause', 'batch', '@pause\r\n', PROMPT, 1],
  ['indented pause', 'batch', '  pause >nul\r\n', PROMPT, 1],
  ['choice at command position', 'batch', 'choice /c yn /m "Go?"\r\n', PROMPT, 1],
  ['set /p from the keyboard', 'batch', 'set /p ver=Version? \r\n', PROMPT, 1],
  ['set /p with a quoted prompt', 'batch', 'set /p "ver=Version? "\r\n', PROMPT, 1],
  ['[System.Console]::ReadLine()', 'powershell', '$a = 1\n$l = [System.Console]::ReadLine()\n', PROMPT, 2],
  ['[Console]::ReadKey()', 'powershell', '[Console]::ReadKey()\n', PROMPT, 1],
  ['$Host.UI.ReadLine()', 'powershell', '$l = $Host.UI.ReadLine()\n', PROMPT, 1],
  ['$Host.UI.PromptForChoice(', 'powershell', '$c = $Host.UI.PromptForChoice("t", "m", $o, 0)\n', PROMPT, 1],
  ['$Host.UI.RawUI.ReadKey', 'powershell', '$Host.UI.RawUI.ReadKey("NoEcho")\n', PROMPT, 1],
  ['Read-Host', 'powershell', 'Write-Host 1\n$k = Read-Host "key"\n', PROMPT, 2],
  ['Get-Credential', 'powershell', '$c = Get-Credential\n', PROMPT, 1],
  ['pause in PowerShell', 'powershell', 'Write-Host done\npause\n', PROMPT, 2],
  ['sh read from the terminal', 'unix', '#!/bin/sh\nread x\n', PROMPT, 2],
  ['sh read -p', 'unix', '#!/bin/bash\nread -p "go?" a\n', PROMPT, 2],
  ['sh read </dev/tty', 'unix', '#!/bin/sh\nread b </dev/tty\n', PROMPT, 2],
  ['sh read after &&', 'unix', '#!/bin/sh\ntrue && read x\n', PROMPT, 2],
  ['sh read in an if', 'unix', '#!/bin/sh\nif read x; then :; fi\n', PROMPT, 2],
  [
    'sh while read with no redirection',
    'unix',
    '#!/bin/sh\nwhile read x; do\n  echo "$x"\ndone\n',
    PROMPT,
    2,
  ],
  ['stty', 'unix', '#!/bin/sh\nstty -echo\n', PROMPT, 2],
  ['select menu', 'unix', '#!/bin/bash\nselect opt in a b; do break; done\n', PROMPT, 2],
  // Prompts that were false positives, and the cases that already worked.
  ['set /p from a file', 'batch', 'set /p ver=<version.txt\r\n', PROMPT, null],
  ['set /p with <nul (echo without newline)', 'batch', 'set /p x=Working... <nul\r\n', PROMPT, null],
  ['set /p fed by a pipe', 'batch', 'type v.txt | set /p ver=\r\n', PROMPT, null],
  ['$choice = 1', 'powershell', '$choice = 1\nWrite-Host $choice\n', PROMPT, null],
  ['echo Your choice is saved', 'batch', 'echo Your choice is saved\r\n', PROMPT, null],
  ['set choice=1', 'batch', 'set choice=1\r\n', PROMPT, null],
  [
    'Read-Host inside a string',
    'powershell',
    "Write-Host 'this script never calls Read-Host'\n",
    PROMPT,
    null,
  ],
  ['Read-Host in a comment', 'powershell', '# no Read-Host here\n', PROMPT, null],
  ['pause in a REM line', 'batch', '@echo off\r\nREM pause here\r\n', PROMPT, null],
  ['pause inside a batch echo string', 'batch', 'echo "then pause"\r\n', PROMPT, null],
  ['escaped ^& pause is text', 'batch', 'echo done ^& pause\r\n', PROMPT, null],
  ['$pauseSeconds', 'powershell', '$pauseSeconds = 5\nStart-Sleep -Seconds $pauseSeconds\n', PROMPT, null],
  ['read -r line < file', 'unix', '#!/bin/sh\nread -r line < /etc/hostname\n', PROMPT, null],
  ['while read …; done < f', 'unix', '#!/bin/sh\nwhile read line; do :; done < list.txt\n', PROMPT, null],
  [
    'while IFS= read over lines, done < f later',
    'unix',
    '#!/bin/sh\nwhile IFS= read -r line; do\n  for w in $line; do\n    echo "$w"\n  done\ndone < list.txt\n',
    PROMPT,
    null,
  ],
  ['… | while read', 'unix', '#!/bin/sh\nls | while read f; do echo "$f"; done\n', PROMPT, null],
  ['… | read', 'unix', '#!/bin/bash\necho x | read y\n', PROMPT, null],
  ['read <<< here-string', 'unix', '#!/bin/bash\nread -r a b <<< "$pair"\n', PROMPT, null],
  ['read -u from a descriptor', 'unix', '#!/bin/bash\nread -u 3 line\n', PROMPT, null],
  ['read as a word in an echo', 'unix', '#!/bin/sh\necho read the log\n', PROMPT, null],
  ['thread, readlink', 'unix', '#!/bin/sh\nreadlink -f x\n', PROMPT, null],

  // stderr.
  ['[System.Console]::Error.WriteLine', 'powershell', '[System.Console]::Error.WriteLine("x")\n', STDERR, 1],
  ['[Console]::Error', 'powershell', 'Write-Host 1\n[Console]::Error.Write("x")\n', STDERR, 2],
  ['Write-Error', 'powershell', 'Write-Error "bad"\n', STDERR, 1],
  ['$host.ui.WriteErrorLine', 'powershell', '$host.ui.WriteErrorLine("bad")\n', STDERR, 1],
  ['>&2', 'unix', '#!/bin/sh\necho oops >&2\n', STDERR, 2],
  ['1>&2', 'batch', 'echo oops 1>&2\r\n', STDERR, 1],
  ['>/dev/stderr', 'unix', '#!/bin/sh\necho oops >/dev/stderr\n', STDERR, 2],
  ['2>&1 is not stderr', 'unix', '#!/bin/sh\ncmd 2>&1\n', STDERR, null],
  ['2>&1 in batch', 'batch', 'cmd > log.txt 2>&1\r\n', STDERR, null],
  ['Write-Error inside a string', 'powershell', 'Write-Host "no Write-Error on success"\n', STDERR, null],
  ['>&2 inside a string', 'unix', "#!/bin/sh\necho 'log >&2 on failure'\n", STDERR, null],
];

describe('lint body rules', () => {
  for (const [name, type, body, rule, line] of cases)
    it(`${line === null ? 'passes' : 'finds'} ${name} (${type}, ${rule})`, () => {
      assert.deepEqual(linesOf(type, body, rule), line === null ? [] : [line]);
    });

  it('decodes a UTF-16LE body, finds Restart-Computer in it and says the body is UTF-16', () => {
    const body = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("Write-Host 'x'\r\nRestart-Computer\r\n", 'utf16le'),
    ]);
    const f = lintComponent(component('powershell', body)).filter((x) => x.entry === 'command.bat');
    assert.deepEqual(
      f.map((x) => `${x.rule}:${x.line}`),
      ['body-utf16:1', `${REBOOT}:2`],
    );
    assert.match(f[0]!.message, /UTF-16LE.*UTF-8/);
  });

  it('decodes a UTF-16BE body the same way', () => {
    const le = Buffer.from('Write-Host 1\nRestart-Computer -Force\n', 'utf16le');
    const body = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    const f = lintComponent(component('powershell', body)).filter((x) => x.entry === 'command.bat');
    assert.deepEqual(
      f.map((x) => `${x.rule}:${x.line}`),
      ['body-utf16:1', `${REBOOT}:2`],
    );
    assert.match(f[0]!.message, /UTF-16BE/);
  });

  it('does not call a UTF-8 body UTF-16', () => {
    assert.deepEqual(linesOf('powershell', "Write-Host 'x'\n", 'body-utf16'), []);
  });

  it('falls back to sh for an unknown installType with a shebang', () => {
    assert.deepEqual(linesOf('zsh', '#!/bin/zsh\necho "reboot"\n  reboot\n', REBOOT), [3]);
  });

  it('keeps line lengths and columns when blanking', () => {
    const ps = ['Write-Host "a # b" # c', "$x = 'it''s' <# d #> + 1"];
    const out = blankCode(ps, 'powershell');
    assert.deepEqual(
      out.map((l) => l.length),
      ps.map((l) => l.length),
    );
    assert.deepEqual(out, ['Write-Host "_____"    ', "$x = '_____'         + 1"]);
    assert.deepEqual(blankCode(['echo "a" & rem x', 'REM y', 'x ^& z'], 'batch'), [
      'echo "_" &      ',
      '     ',
      'x ^_ z',
    ]);
    assert.deepEqual(blankCode(['#!/bin/sh', 'echo \'a\' "b\\"c" $# # d'], 'sh'), [
      '         ',
      'echo \'_\' "____" $#    ',
    ]);
  });
});
