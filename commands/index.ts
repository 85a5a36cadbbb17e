import type { Command } from '@oclif/core';

/**
 * The command registry (oclif "explicit" strategy). Each command module is small and imports its service
 * from src/ lazily inside run(), so `kt --help` and `kt topics list` do not load what they do not use.
 */
export const commands: Record<string, Command.Class> = {};
