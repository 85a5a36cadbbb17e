import { KtCommand } from '../../src/cli/base-command.js';
import { formatTable } from '../../src/cli/output.js';

export default class ProfilesCurrent extends KtCommand {
  static override summary = 'Show where kt connects and why (flag, environment, profile or default)';
  static override description =
    'JSON shape: {"bootstrapServers": [string], "source": "flag"|"env"|"profile"|"default", "profile": string|null, "clientId": string, "sasl": string|null, "tls": boolean}';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    'KT_PROFILE=prod <%= config.bin %> <%= command.id %> -o json',
  ];

  async run(): Promise<void> {
    await this.parseFlags(ProfilesCurrent);
    const c = this.connection();
    const data = {
      bootstrapServers: c.bootstrapServers,
      source: c.source,
      profile: c.profile ?? null,
      clientId: c.clientId,
      sasl: c.sasl?.mechanism ?? null,
      tls: c.tls !== undefined,
    };
    this.output(data, () =>
      formatTable({
        head: ['BOOTSTRAP-SERVERS', 'SOURCE', 'PROFILE', 'SASL', 'TLS'],
        rows: [
          [data.bootstrapServers.join(','), data.source, data.profile, data.sasl, data.tls ? 'yes' : 'no'],
        ],
      }),
    );
  }
}
