// The `shotglass` CLI: the same service and contract as the app, driven from the command line.
// One file per command (commands/); this one dispatches and turns every error into one line.
import { parseArgs } from 'node:util';
import { toApiError } from '../../core/api/contract.js';
import { flagWords, OPTIONS, UsageError, type Values } from './args.js';
import { compare } from './commands/compare.js';
import { chat, complete, run } from './commands/generate.js';
import { inspect, tokenize } from './commands/model.js';
import { models } from './commands/models.js';
import { pull } from './commands/pull.js';
import { render } from './commands/render.js';
import { COMMANDS, commandUsage, USAGE } from './usage.js';

type Command = (values: Values, positionals: string[], argv: string[]) => Promise<number>;

const HANDLERS: Record<string, Command> = { complete, chat, render, run, compare, inspect, tokenize };
/** Commands that read their own flags (they share none with the generation commands). */
const OWN_FLAGS: Record<string, (argv: string[]) => Promise<number>> = { pull: (argv) => pull(argv), models: (argv) => models(argv) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandUsage(command) + '\n');
      return 0;
    }
    if (Object.hasOwn(OWN_FLAGS, command)) return await OWN_FLAGS[command]!(rest);
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    return await HANDLERS[command]!(values, positionals, rest);
  } catch (error) {
    // One readable line, never a stack trace.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`shotglass: ${printable((error as Error).message)}\n(see shotglass --help)\n`);
      return 2;
    }
    const data = toApiError(error);
    if (data.code === 'invalid-argument') {
      // Name the flag, not the contract's field: "sampling.temperature" is --temperature.
      process.stderr.write(`shotglass: ${printable(flagWords(data.message))}\n`);
      return 2;
    }
    process.stderr.write(`shotglass: ${printable(data.message)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

/** Control characters (a NUL in a path, an escape sequence) shown as \xNN, never sent to the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
