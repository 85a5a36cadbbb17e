/**
 * The base of every kt command: shared flags (connection, output, debug), connection resolution, output
 * rendering and the one place errors become an exit code and a single stderr line.
 *
 * Commands stay thin: parse flags, call a function in src/ (imported lazily inside run(), so start-up
 * loads only what the command needs), render its result with `this.output(data, table)`.
 */
import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { EXIT_ERROR, EXIT_USAGE, errorMessage, KtError } from '../errors/kt-error.js';
import { colors, loadColors } from './color.js';
import { applySecurity, type SecurityFlags } from './command-config.js';
import { type Connection, resolveConnection } from './config.js';
import { formatOutput, OUTPUT_FORMATS, type OutputFormat } from './output.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof KtCommand)['baseFlags'] & T['flags']
>;

export abstract class KtCommand extends Command {
  static override baseFlags = {
    'bootstrap-server': Flags.string({
      char: 'b',
      summary: 'Kafka bootstrap servers, host:port[,host:port]',
      env: 'KT_BOOTSTRAP_SERVER',
      helpGroup: 'CONNECTION',
    }),
    profile: Flags.string({
      summary: 'Connection profile from the kt config file',
      env: 'KT_PROFILE',
      helpGroup: 'CONNECTION',
    }),
    'command-config': Flags.string({
      summary: 'Java client properties file (security.protocol, sasl.*, ssl.* in PEM), as Kafka tools take',
      env: 'KT_COMMAND_CONFIG',
      helpGroup: 'CONNECTION',
    }),
    'sasl-mechanism': Flags.option({
      options: ['plain', 'scram-sha-256', 'scram-sha-512'] as const,
      summary: 'SASL mechanism (overrides the profile)',
      helpGroup: 'CONNECTION',
    })(),
    'sasl-username': Flags.string({ summary: 'SASL username', helpGroup: 'CONNECTION' }),
    'sasl-password': Flags.string({
      summary: 'SASL password (prefer the environment variable)',
      env: 'KT_SASL_PASSWORD',
      helpGroup: 'CONNECTION',
    }),
    tls: Flags.boolean({ summary: 'Use TLS (system CAs unless --tls-ca)', helpGroup: 'CONNECTION' }),
    'tls-ca': Flags.string({ summary: 'PEM file of the CA; enables TLS', helpGroup: 'CONNECTION' }),
    'tls-cert': Flags.string({ summary: 'PEM client certificate (mTLS)', helpGroup: 'CONNECTION' }),
    'tls-key': Flags.string({ summary: 'PEM client key (mTLS)', helpGroup: 'CONNECTION' }),
    'tls-insecure': Flags.boolean({ summary: 'Do not verify broker certificates', helpGroup: 'CONNECTION' }),
    output: Flags.option({
      options: OUTPUT_FORMATS,
      char: 'o',
      summary: 'Output format',
      helpGroup: 'OUTPUT',
    })(),
    json: Flags.boolean({ summary: 'Alias for --output json', helpGroup: 'OUTPUT' }),
    debug: Flags.boolean({
      summary: 'Print stack traces and client logs',
      env: 'KT_DEBUG',
      helpGroup: 'OUTPUT',
    }),
  };

  protected outputFormat: OutputFormat = 'table';
  protected debugEnabled = false;
  private bootstrapFlag: string | undefined;
  private profileFlag: string | undefined;
  private securityFlags: SecurityFlags = {};

  override async init(): Promise<void> {
    await super.init();
    await loadColors();
  }

  /** Parses flags and records the shared ones; call instead of this.parse in run(). */
  protected async parseFlags<T extends typeof Command>(
    command: T,
  ): Promise<{ flags: BaseFlags<T>; args: Interfaces.InferredArgs<T['args']> }> {
    const { flags, args } = await this.parse(command as unknown as typeof KtCommand);
    const shared = flags as unknown as {
      output?: OutputFormat;
      json?: boolean;
      debug?: boolean;
      'bootstrap-server'?: string;
      profile?: string;
    };
    this.debugEnabled = shared.debug === true;
    if (shared.json && shared.output !== undefined && shared.output !== 'json') {
      throw new KtError('KT_USAGE', `--json conflicts with --output ${shared.output}`);
    }
    this.outputFormat = shared.json ? 'json' : (shared.output ?? 'table');
    this.bootstrapFlag = shared['bootstrap-server'];
    this.profileFlag = shared.profile;
    const f = flags as unknown as Record<string, string | boolean | undefined>;
    this.securityFlags = {
      commandConfig: f['command-config'] as string | undefined,
      saslMechanism: f['sasl-mechanism'] as SecurityFlags['saslMechanism'],
      saslUsername: f['sasl-username'] as string | undefined,
      saslPassword: f['sasl-password'] as string | undefined,
      tls: f.tls as boolean | undefined,
      tlsCa: f['tls-ca'] as string | undefined,
      tlsCert: f['tls-cert'] as string | undefined,
      tlsKey: f['tls-key'] as string | undefined,
      tlsInsecure: f['tls-insecure'] as boolean | undefined,
    };
    return { flags: flags as unknown as BaseFlags<T>, args: args as Interfaces.InferredArgs<T['args']> };
  }

  /** Where to connect: --bootstrap-server > KT_BOOTSTRAP_SERVER > profile > 127.0.0.1:9092. */
  protected connection(): Connection {
    // oclif already folded KT_BOOTSTRAP_SERVER into the flag; keep the env source visible to diagnostics.
    const fromEnv =
      this.bootstrapFlag !== undefined && this.bootstrapFlag === process.env.KT_BOOTSTRAP_SERVER;
    const connection = resolveConnection({
      bootstrapFlag: fromEnv ? undefined : this.bootstrapFlag,
      profileFlag: this.profileFlag,
    });
    // --command-config and the --sasl-*/--tls-* flags override the profile's security settings.
    return applySecurity(connection, this.securityFlags);
  }

  /** Writes a command's result to stdout in the chosen format. */
  protected output(data: unknown, table: () => string): void {
    process.stdout.write(formatOutput(data, this.outputFormat, table));
  }

  /** A diagnostic line on stderr (never on stdout, which carries data). */
  protected note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const debug = this.debugEnabled || process.env.KT_DEBUG === '1' || process.argv.includes('--debug');
    const c = colors(process.stderr);
    const exitCode = exitCodeOf(error);
    const lines = [`${c.red('Error:')} ${errorMessage(error)}`];
    if (error instanceof KtError && error.hint) lines.push(c.dim(`Hint: ${error.hint}`));
    if (debug && error.stack) lines.push(error.stack);
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exitCode = exitCode;
    throw new Errors.ExitError(exitCode);
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof KtError) return error.exitCode;
  // oclif parse errors (unknown flag, missing argument, bad option value) carry exit 2.
  const oclif = (error as { oclif?: { exit?: number } }).oclif;
  if (oclif && typeof oclif.exit === 'number')
    return oclif.exit === 0 ? 0 : oclif.exit === 2 ? EXIT_USAGE : EXIT_ERROR;
  return EXIT_ERROR;
}
