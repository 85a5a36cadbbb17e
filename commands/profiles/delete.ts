import { Args } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { deleteProfile } from '../../src/cli/config.js';
import { KtError } from '../../src/errors/kt-error.js';

export default class ProfilesDelete extends KtCommand {
  static override summary =
    'Delete a connection profile (only the local config entry; no cluster is touched)';
  static override examples = ['<%= config.bin %> <%= command.id %> old-cluster'];
  static override args = { name: Args.string({ required: true, description: 'Profile name' }) };

  async run(): Promise<void> {
    const { args } = await this.parseFlags(ProfilesDelete);
    if (!deleteProfile(args.name)) throw new KtError('KT_NOT_FOUND', `Profile "${args.name}" does not exist`);
    this.output({ deleted: args.name }, () => `Deleted profile "${args.name}"\n`);
  }
}
