import { KtCommand } from '../../src/cli/base-command.js';
import { configFilePath, readConfigFile } from '../../src/cli/config.js';
import { formatTable } from '../../src/cli/output.js';

export default class ProfilesList extends KtCommand {
  static override summary = 'List connection profiles';
  static override description =
    `Profiles live in ${'$XDG_CONFIG_HOME/kt/config.yaml'} (or $KT_CONFIG). The current one is used when no --bootstrap-server, KT_BOOTSTRAP_SERVER or --profile is given.

JSON shape: {"configFile": string, "currentProfile": string|null, "profiles": [{"name", "current", "bootstrapServers": [string], "sasl": string|null, "tls": boolean}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --output json',
  ];

  async run(): Promise<void> {
    await this.parseFlags(ProfilesList);
    const path = configFilePath();
    const config = readConfigFile(path);
    const profiles = Object.entries(config.profiles)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, p]) => ({
        name,
        current: name === config.currentProfile,
        bootstrapServers: p.bootstrapServers,
        sasl: p.sasl?.mechanism ?? null,
        tls: p.tls !== undefined,
      }));
    const data = { configFile: path, currentProfile: config.currentProfile ?? null, profiles };
    this.output(data, () =>
      profiles.length === 0
        ? 'No profiles. Create one with: kt profiles set NAME --bootstrap-server HOST:PORT\n'
        : formatTable({
            head: ['CURRENT', 'NAME', 'BOOTSTRAP-SERVERS', 'SASL', 'TLS'],
            rows: profiles.map((p) => [
              p.current ? '*' : '',
              p.name,
              p.bootstrapServers.join(','),
              p.sasl,
              p.tls ? 'yes' : 'no',
            ]),
          }),
    );
  }
}
