#!/usr/bin/env node
// nexusctl: the command-line entry of Nexus Edge (ask, serve, start/stop, status, checkpoints, ...).
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { askCommand } from './commands/ask.js';
import { chatCommand } from './commands/chat.js';
import { checkpointCommand } from './commands/checkpoint.js';
import { controlCommand } from './commands/control.js';
import { dashboardCommand } from './commands/dashboard.js';
import { healthCommand } from './commands/health.js';
import { logsCommand } from './commands/logs.js';
import { modelsCommand } from './commands/models.js';
import { restartCommand } from './commands/restart.js';
import { serveCommand } from './commands/serve.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { tlsCommand } from './commands/tls.js';
import { tokenCommand } from './commands/token.js';
import { exitCodes } from './exit-codes.js';
import { reportError } from './report-error.js';

/** Commander exits through exceptions everywhere, so that exit codes follow exit-codes.ts. */
function throwOnExit(command: Command): Command {
  command
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(pc.red(`nexusctl: ${text.replace(/^error: /, '')}`)) });
  for (const sub of command.commands) throwOnExit(sub);
  return command;
}

const environmentHelp = `
Environment:
  NEXUS_API_KEY    key for the LAN API (status, chat, ask --url), as --api-key; nexusctl token create makes one
  NEXUS_ADMIN_KEY  admin key (default: <data-dir>/admin.key)
  NEXUS_DATA_DIR   data directory, as --data-dir
  NEXUS_CONFIG     config file, as --config
  NEXUS_DEBUG=1    print stack traces with errors`;

/** The program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('nexusctl')
    .description('Control and query a Nexus Edge appliance, or ask the model directly')
    .version(process.env.npm_package_version ?? '0.1.0')
    .addHelpText('after', environmentHelp);
  const commands = [
    askCommand(),
    chatCommand(),
    serveCommand(),
    startCommand(),
    stopCommand(),
    restartCommand(),
    controlCommand('pause'),
    controlCommand('resume'),
    controlCommand('save'),
    statusCommand(),
    healthCommand(),
    logsCommand(),
    checkpointCommand(),
    modelsCommand(),
    tokenCommand(),
    tlsCommand(),
    dashboardCommand(),
  ];
  for (const command of commands) program.addCommand(command);
  return throwOnExit(program);
}

/** Commander's own exits: --help and --version are 0; parse errors and help shown for a missing subcommand are usage errors. */
function commanderExit(error: CommanderError): number {
  return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
}

/** Output piped into `head` and the like: once the reader is gone, stop quietly instead of a write EPIPE trace. */
function exitWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
}

async function main(): Promise<void> {
  exitWhenStdoutCloses();
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = error instanceof CommanderError ? commanderExit(error) : reportError(error);
  }
}

await main();
