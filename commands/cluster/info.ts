import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';

export default class ClusterInfo extends KtCommand {
  static override summary = 'Cluster id, controller, brokers and the API versions each broker supports';
  static override description =
    `JSON shape: {"clusterId": string|null, "controllerId": number|null, "brokers": [{"id": number, "host": string, "port": number, "rack": string|null, "controller": boolean, "apiVersions": [{"apiKey": number, "name": string, "minVersion": number, "maxVersion": number}]|null}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --api-versions',
  ];
  static override flags = {
    'api-versions': Flags.boolean({ summary: 'Also print the API version table (always in JSON/YAML)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(ClusterInfo);
    const [{ withCluster }, { clusterInfo }, { formatTable }] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/cluster/info.js'),
      import('../../src/cli/output.js'),
    ]);
    const data = await withCluster(this.connection(), (client) => clusterInfo(client));
    this.output(data, () => {
      let out = `Cluster ${data.clusterId ?? '-'}, controller ${data.controllerId ?? 'none'}\n`;
      out += formatTable({
        head: ['ID', 'HOST', 'PORT', 'RACK', 'CONTROLLER', 'APIS'],
        rows: data.brokers.map((b) => [
          b.id,
          b.host,
          b.port,
          b.rack,
          b.controller ? 'yes' : '',
          b.apiVersions?.length ?? 'unreachable',
        ]),
        alignRight: [0, 2, 5],
      });
      if (flags['api-versions']) {
        for (const b of data.brokers) {
          out += `\nBroker ${b.id} API versions:\n`;
          out += formatTable({
            head: ['KEY', 'API', 'MIN', 'MAX'],
            rows: (b.apiVersions ?? []).map((a) => [a.apiKey, a.name, a.minVersion, a.maxVersion]),
            alignRight: [0, 2, 3],
          });
        }
      }
      return out;
    });
  }
}
