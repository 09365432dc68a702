// The commented starter integration file `rmmkit init` writes: valid as written, every product-specific
// value a placeholder the vendor replaces. Pure: returns text; the CLI writes it.
import { checkLinkTemplate, templateHost } from '../devid/link.js';
import { UsageError } from '../errors.js';
import { parseSaltSource } from '../render/devid-script.js';

export interface StarterOptions {
  vendor: string;
  product: string;
  /** Deep-link template with {ID}. */
  link: string;
  slot?: number;
  salt?: string;
  os?: Array<'windows' | 'macos' | 'linux'>;
  /** Relative path of the schema from the file, for the yaml-language-server line. */
  schemaPath?: string;
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** YAML double-quoted scalar: JSON's escaping is valid YAML. */
const q = (s: string) => JSON.stringify(s);

/** Renders the starter file; throws UsageError on a value it cannot use, naming the flag. */
export function renderStarter(o: StarterOptions): string {
  if (!PLAIN.test(o.vendor))
    throw new UsageError(`--vendor ${q(o.vendor)}: use letters, digits, space . _ - (1-64)`);
  if (!PLAIN.test(o.product))
    throw new UsageError(`--product ${q(o.product)}: use letters, digits, space . _ - (1-64)`);
  const host = templateHost(o.link);
  const problems = host ? checkLinkTemplate(o.link, { host }) : ['is not an absolute URL with {ID}'];
  if (problems.length > 0) throw new UsageError(`--link ${q(o.link)}: ${problems.join('; ')}`);
  const slot = o.slot ?? 7;
  if (!Number.isInteger(slot) || slot < 2 || slot > 30)
    throw new UsageError(
      `--slot ${slot}: use a whole number from 2 to 30 (slot 1 belongs to Ransomware Detection)`,
    );
  const salt = o.salt ?? 'account';
  parseSaltSource(salt);
  const oses = o.os && o.os.length > 0 ? [...new Set(o.os)] : ['windows' as const];
  const slug = o.product.replace(/[^A-Za-z0-9]+/g, '').slice(0, 24);
  const lines: string[] = [
    `# yaml-language-server: $schema=${o.schemaPath ?? 'integration.schema.json'}`,
    ...(o.schemaPath
      ? []
      : [
          '# (editor completion: write the schema beside this file with rmmkit schema > integration.schema.json)',
        ]),
    '#',
    `# ${o.product} by ${o.vendor}: rmmkit integration file (starter written by rmmkit init).`,
    '# Replace every REPLACE-ME value, then: rmmkit check THIS-FILE, rmmkit build THIS-FILE --out out/',
    '# Keys: README "Integration file and build"; schema: rmmkit schema.',
    'rmmkit: 1',
    `vendor: ${q(o.vendor)}`,
    `product: ${q(o.product)}`,
    '# icon: icon.png                # a transparent 48x48 PNG beside this file',
    '',
    'link:',
    '  # The console page of one device; {ID} becomes the 64-hex DEVID1 device ID.',
    `  template: ${q(o.link)}`,
    `  hosts: [${q(host as string)}]`,
    '  # Salt: account (CS_ACCOUNT_UID), site (CS_PROFILE_UID), none, or env:NAME (a site variable).',
    `  salt: ${q(salt)}`,
    '  # The UDF that receives the link; the slot is also a component variable, so an MSP can change it.',
    `  udf: { slot: ${slot}, variable: ${slug}UdfSlot, max: 30, allowSlot1: false }`,
    '',
    'components:',
  ];
  for (const os of oses) {
    const tag = os === 'windows' ? 'win' : os === 'macos' ? 'mac' : 'lin';
    const installed =
      os === 'windows'
        ? q(`C:\\Program Files\\${o.vendor}\\${o.product}\\REPLACE-ME.exe`)
        : os === 'macos'
          ? q(`/Applications/${o.product}.app/Contents/MacOS/REPLACE-ME`)
          : q(`/opt/${slug.toLowerCase()}/bin/REPLACE-ME`);
    const installer =
      os === 'windows'
        ? '      msi: { attachment: REPLACE-ME.msi }   # or exe:, or { url: https://…, sha256: … }'
        : os === 'macos'
          ? '      pkg: { url: "https://REPLACE-ME.invalid/product.pkg", sha256: "0000000000000000000000000000000000000000000000000000000000000000" }'
          : '      deb: { attachment: REPLACE-ME.deb }   # rpm: beside it, or script:';
    lines.push(
      `  - id: deploy-${tag}`,
      '    kind: deploy',
      `    os: ${os}`,
      `    installed: ${installed}   # exists exactly when the product is installed`,
      '    install:',
      installer,
      '      # arguments: [ ... ]            # extra silent-install arguments',
      '      # stopProcesses: [ ... ]        # programs the installer starts that would block the job',
      '    # licence: { variable: LicenceKey, ... }   # see the README',
      '    # variables:',
      "    #   - { name: LicenceKey, type: string, pattern: '^[A-Z0-9]{16}$', secret: true }",
      '',
      `  - id: link-${tag}`,
      '    kind: link',
      `    os: ${os}`,
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
