// Option parsing for every command: node:util parseArgs (strict), with ESLint's conventions on
// top: an unknown option gets a did-you-mean from the command's own options, and every usage
// error exits 2 through CliUsageError.

import * as fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../core/suggest.js';

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class CliUsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, strict, with positionals; an unknown or malformed option is a CliUsageError. */
export function parseCommand<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'([^']+)'/.exec((error as Error).message)?.[1] ?? '';
      const names = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
      const better = given.startsWith('--') ? closest(given, names.filter((n) => n.startsWith('--')), 1)[0] : undefined;
      throw new CliUsageError(`unknown option "${given}"${better ? `: did you mean "${better}"?` : ''}`);
    }
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new CliUsageError((error as Error).message);
    throw error;
  }
}

/** Why an input gave no document: it does not exist, or holds no file we check. */
export function missingInputMessage(input: string, shown: string): string {
  let exists = false;
  try {
    fs.statSync(input);
    exists = true;
  } catch {
    // a dangling link or nothing there
  }
  return exists ? `no Fountain or Markdown files found at "${shown}"` : `no such file or folder: "${shown}"`;
}
