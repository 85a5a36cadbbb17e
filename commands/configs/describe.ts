import { Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { resourceFlags, resourceOf } from './_resource.js';

export default class ConfigsDescribe extends KtCommand {
  static override summary = 'Describe the configs of a topic, a broker or the broker defaults';
  static override description =
    `Shows overrides (every config whose source is not the built-in default); --all shows every config. Each config carries its source and synonyms (where an inherited value comes from).

JSON shape: {"resources": [{"type": "topic"|"broker"|"broker-defaults", "name": string, "configs": [{"name": string, "value": string|null, "source": "dynamic-topic"|"dynamic-broker"|"dynamic-broker-default"|"static-broker"|"default"|…, "readOnly": boolean, "sensitive": boolean, "synonyms": [{"name": string, "value": string|null, "source": string}]}]}]}`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --topic orders',
    '<%= config.bin %> <%= command.id %> --broker 1 --all --output json',
    '<%= config.bin %> <%= command.id %> --broker-defaults',
  ];
  static override flags = {
    ...resourceFlags,
    all: Flags.boolean({ summary: 'Every config, defaults included' }),
    key: Flags.string({ char: 'k', summary: 'Only this config (repeatable)', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parseFlags(ConfigsDescribe);
    const resource = await resourceOf(flags);
    const [{ withCluster }, { describeResourceConfigs }, { renderConfigs }] = await Promise.all([
      import('../../src/ops/cluster/connect.js'),
      import('../../src/ops/configs/describe.js'),
      import('../../src/ops/configs/render.js'),
    ]);
    const described = await withCluster(this.connection(), (client) =>
      describeResourceConfigs(client, resource, flags.key?.length ? flags.key : null),
    );
    const configs =
      flags.all || flags.key?.length
        ? described.configs
        : described.configs.filter((c) => c.source !== 'default');
    const data = { resources: [{ ...described, configs }] };
    this.output(data, () => renderConfigs(data));
  }
}
