// The integration file's schema (format rmmkit: 1), defined once with zod 4: it gives the author-side
// type, the shape validation with key paths, and the JSON Schema committed under schema/.
import { z } from 'zod';

const ID = /^[a-z0-9][a-z0-9-]{0,47}$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const SALT = /^(?:account|site|none|env:[A-Za-z_][A-Za-z0-9_]*)$/;

const text = (what: string) => z.string().min(1).describe(what);
const varName = (what: string) =>
  z.string().regex(VAR_NAME, 'must be an environment variable name (letters, digits, _)').describe(what);

/** Where an installer or a script comes from: a file attached to the component, or a pinned HTTPS URL. */
export const SourceSchema = z.union([
  z.strictObject({
    attachment: text('file attached to the component, relative to the integration file'),
  }),
  z.strictObject({
    url: z.string().startsWith('https://', 'must be an https:// URL').describe('HTTPS download URL'),
    sha256: z
      .string()
      .regex(SHA256, 'must be 64 hex digits')
      .describe('SHA-256 of the download; a file that does not match is never run'),
  }),
]);

export const RegistryTargetSchema = z.strictObject({
  key: text('key under HKLM, e.g. SOFTWARE\\Bright\\Antivirus'),
  value: text('value name'),
  view: z.union([z.literal(32), z.literal(64)]).describe('registry view the product reads: 32 or 64'),
});

export const VariableSchema = z.strictObject({
  name: varName('variable name; reaches the script as the environment variable of that name'),
  type: z.enum(['string', 'boolean', 'selection']).describe('string, boolean or selection'),
  description: z.string().optional().describe('shown in the Datto UI'),
  default: z.union([z.string(), z.boolean(), z.number()]).optional().describe('default value'),
  options: z
    .record(z.string().min(1), z.string())
    .optional()
    .describe('selection only: label shown in Datto → value the script receives'),
  secret: z.boolean().optional().describe('never logged, printed or written to a UDF'),
  pattern: z
    .string()
    .optional()
    .describe('regular expression the whole value must match (checked on the endpoint too)'),
});

export const InstallSchema = z.strictObject({
  msi: SourceSchema.optional().describe('Windows: MSI run with msiexec /i … /qn /norestart'),
  exe: SourceSchema.optional().describe('Windows: installer executable run with `arguments`'),
  pkg: SourceSchema.optional().describe('macOS: package installed with installer -pkg … -target /'),
  deb: SourceSchema.optional().describe('Linux: Debian package installed with dpkg -i'),
  rpm: SourceSchema.optional().describe('Linux: RPM package installed with rpm -U'),
  script: SourceSchema.optional().describe('macOS/Linux: shell installer run with sh and `arguments`'),
  arguments: z.array(z.string()).optional().describe('extra installer arguments (fixed text)'),
  stopProcesses: z
    .array(text('process name'))
    .optional()
    .describe('programs the installer leaves running that would block the job; ended after install'),
});

export const LicenceSchema = z.strictObject({
  variable: varName('variable holding the key: a component variable or a declared site variable'),
  pattern: z.string().optional().describe('pattern of the key when the variable is a site variable'),
  registry: RegistryTargetSchema.optional().describe('Windows: write the key to this REG_SZ value'),
  script: z
    .strictObject({
      attachment: text('script attached to the component'),
      runner: z.enum(['osascript', 'sh']).describe('osascript (AppleScript) or sh'),
    })
    .optional()
    .describe('macOS/Linux: run an attached script with the key as its one argument'),
  command: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('macOS/Linux: command (argv) that reads the key from the variable in its environment'),
});

export const StatusSchema = z.strictObject({
  process: text('process that runs when the product works, e.g. BvAntiSrv.exe'),
  lastUpdate: z
    .strictObject({
      command: z.array(z.string().min(1)).min(1).describe('command (argv) printing a Unix epoch'),
      maxAgeVariable: varName('variable with the maximum age in days').optional(),
      maxAgeDays: z.number().int().min(1).max(3650).optional().describe('default maximum age (7)'),
    })
    .optional(),
});

export const ActionSchema = z.union([
  z.strictObject({ command: z.array(z.string().min(1)).min(1).describe('command (argv)') }),
  z.strictObject({ registry: RegistryTargetSchema.describe('REG_DWORD flipped from 0 to 1') }),
]);

export const TasksSchema = z.strictObject({
  variable: varName('selection variable choosing the action'),
  actions: z.record(z.string().min(1), ActionSchema).describe('selection value → what it runs'),
});

export const ComponentSchema = z.strictObject({
  id: z.string().regex(ID, 'must be lower-case letters, digits and -, at most 48').describe('unique id'),
  kind: z.enum(['deploy', 'status', 'tasks', 'link']).describe('deploy, status, tasks or link'),
  os: z.enum(['windows', 'macos', 'linux']),
  name: z.string().optional().describe('display name; the OS tag is added when missing'),
  description: z.string().optional(),
  timeout: z.number().int().min(10).max(86400).optional().describe('seconds'),
  installed: z
    .string()
    .min(1)
    .optional()
    .describe('a file that exists exactly when the product is installed (deploy, status, tasks)'),
  variables: z.array(VariableSchema).optional(),
  install: InstallSchema.optional().describe('deploy only'),
  licence: LicenceSchema.optional().describe('deploy only'),
  status: StatusSchema.optional().describe('status only'),
  tasks: TasksSchema.optional().describe('tasks only'),
  link: z.boolean().optional().describe('deploy only: write the UDF link after installing (default true)'),
});

export const IntegrationSchema = z
  .strictObject({
    $schema: z.string().optional(),
    rmmkit: z.literal(1).describe('format version'),
    vendor: text('vendor name'),
    product: text('product name'),
    icon: z.string().optional().describe('48x48 PNG, relative to the integration file'),
    link: z.strictObject({
      template: text('deep link with {ID}, e.g. https://console.example.com/device?id={ID}'),
      hosts: z.array(text('host')).min(1).describe('hosts the link may point to'),
      salt: z.string().regex(SALT, 'must be account, site, none or env:NAME').describe('salt source'),
      udf: z.strictObject({
        slot: z.number().int().min(1).max(300).describe('default UDF slot'),
        variable: varName('component variable carrying the slot'),
        max: z.number().int().min(1).max(300).optional().describe('highest slot number (default 30)'),
        allowSlot1: z.boolean().optional().describe('slot 1 is overwritten by Ransomware Detection'),
        store: z
          .string()
          .optional()
          .describe('macOS/Linux values.xml path (default: the legacy agent Mono registry store)'),
      }),
      recipe: z.unknown().optional().describe('device-ID recipe (default DEVID1)'),
    }),
    siteVariables: z
      .array(
        z.strictObject({
          name: varName('site or account variable name'),
          secret: z.boolean().optional(),
          pattern: z.string().optional(),
          description: z.string().optional(),
        }),
      )
      .optional()
      .describe('Datto site/account variables the components read; no component may define one'),
    components: z.array(ComponentSchema).min(1),
    policies: z
      .array(z.unknown())
      .optional()
      .describe('monitoring policies (validated by the policy builder)'),
    datto: z
      .strictObject({
        platform: z.string().optional(),
        accountUid: z.string().optional(),
        siteUids: z.array(z.string()).optional(),
        devices: z
          .array(z.string())
          .optional()
          .describe('device names the sanctioned agent runs on (detection rules; optional)'),
      })
      .optional()
      .describe('the sanctioned Datto RMM account: fleet validation and detection rules read it'),
  })
  .describe('rmmkit integration file (format 1)');

/** What an author writes (before normalization). */
export type IntegrationDefinition = z.input<typeof IntegrationSchema>;
export type SourceDefinition = z.infer<typeof SourceSchema>;
export type RegistryTarget = z.infer<typeof RegistryTargetSchema>;
export type ActionDefinition = z.infer<typeof ActionSchema>;

/** The JSON Schema of the integration file, as committed in schema/integration.schema.json. */
export function integrationJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(IntegrationSchema, { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
  return { ...schema, title: 'rmmkit integration file' };
}
