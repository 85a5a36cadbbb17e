import { Args, Flags } from '@oclif/core';
import { KtCommand } from '../../src/cli/base-command.js';
import { configFilePath, type Profile, parseBootstrap, saveProfile } from '../../src/cli/config.js';
import { usageError } from '../../src/errors/kt-error.js';

export default class ProfilesSet extends KtCommand {
  static override summary = 'Create or replace a connection profile';
  static override examples = [
    '<%= config.bin %> <%= command.id %> prod --bootstrap-server kafka-1:9093,kafka-2:9093 --tls-ca ca.pem --sasl-mechanism scram-sha-512 --sasl-username ops --sasl-password-env KAFKA_PASSWORD',
    '<%= config.bin %> <%= command.id %> local -b 127.0.0.1:9092 --use',
  ];
  static override args = { name: Args.string({ required: true, description: 'Profile name' }) };
  static override flags = {
    use: Flags.boolean({ summary: 'Make it the current profile' }),
    'client-id': Flags.string({ summary: 'Client id sent to the brokers' }),
    'sasl-mechanism': Flags.option({ options: ['plain', 'scram-sha-256', 'scram-sha-512'] as const })(),
    'sasl-username': Flags.string({ dependsOn: ['sasl-mechanism'] }),
    'sasl-password': Flags.string({ dependsOn: ['sasl-mechanism'], exclusive: ['sasl-password-env'] }),
    'sasl-password-env': Flags.string({
      summary: 'Read the SASL password from this environment variable now',
    }),
    'tls-ca': Flags.string({ summary: 'PEM file of the CA; enables TLS' }),
    'tls-cert': Flags.string({ summary: 'PEM client certificate (mTLS)', dependsOn: ['tls-key'] }),
    'tls-key': Flags.string({ summary: 'PEM client key (mTLS)', dependsOn: ['tls-cert'] }),
    tls: Flags.boolean({ summary: 'Use TLS with the system CAs' }),
    'tls-insecure': Flags.boolean({ summary: 'Do not verify broker certificates' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parseFlags(ProfilesSet);
    const bootstrap = flags['bootstrap-server'];
    if (bootstrap === undefined) throw usageError('A profile needs --bootstrap-server HOST:PORT');
    const profile: Profile = { bootstrapServers: parseBootstrap(bootstrap) };
    if (flags['client-id']) profile.clientId = flags['client-id'];
    const mechanism = flags['sasl-mechanism'];
    if (mechanism) {
      const password =
        flags['sasl-password'] ??
        (flags['sasl-password-env'] ? process.env[flags['sasl-password-env']] : undefined);
      if (!flags['sasl-username'] || password === undefined) {
        throw usageError('SASL needs --sasl-username and --sasl-password (or --sasl-password-env)');
      }
      profile.sasl = { mechanism, username: flags['sasl-username'], password };
    }
    if (flags.tls || flags['tls-ca'] || flags['tls-cert'] || flags['tls-insecure']) {
      profile.tls = {
        ...(flags['tls-ca'] ? { ca: flags['tls-ca'] } : {}),
        ...(flags['tls-cert'] ? { cert: flags['tls-cert'] } : {}),
        ...(flags['tls-key'] ? { key: flags['tls-key'] } : {}),
        ...(flags['tls-insecure'] ? { rejectUnauthorized: false } : {}),
      };
    }
    saveProfile(args.name, profile, { makeCurrent: flags.use });
    const data = {
      name: args.name,
      configFile: configFilePath(),
      bootstrapServers: profile.bootstrapServers,
    };
    this.output(
      data,
      () => `Saved profile "${args.name}" (${profile.bootstrapServers.join(',')}) in ${data.configFile}\n`,
    );
  }
}
