import { Args } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { useProfile } from '../../src/cli/config.js';

export default class ProfilesUse extends KtCommand {
  static override summary = 'Make a profile the current one';
  static override examples = ['<%= config.bin %> <%= command.id %> prod'];
  static override args = { name: Args.string({ required: true, description: 'Profile name' }) };

  async run(): Promise<void> {
    const { args } = await this.parseFlags(ProfilesUse);
    useProfile(args.name);
    this.output({ currentProfile: args.name }, () => `Current profile: ${args.name}\n`);
  }
}
