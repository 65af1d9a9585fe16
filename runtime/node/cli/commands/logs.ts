// nexusctl logs: the background appliance's log file as readable lines; -f follows it across rotations.
import { Command } from 'commander';
import { open } from 'node:fs/promises';
import { CliError } from '../cli-error.js';
import { withDataDir, type TargetOptions } from '../common-options.js';
import { exitCodes } from '../exit-codes.js';
import { fileSize } from '../file-size.js';
import { formatLogLine } from '../format-log-line.js';
import { parseInteger } from '../parse-number.js';
import { readLogTail } from '../read-log-tail.js';
import { resolveTargetLeniently } from '../resolve-target-leniently.js';
import { sleep } from '../sleep.js';

interface LogsOptions extends TargetOptions {
  follow?: boolean;
  lines: number;
}

/** Prints what is appended to `file` from `offset` on, until the process is interrupted. */
async function follow(file: string, offset: number, print: (line: string) => void): Promise<never> {
  let position = offset;
  let partial = '';
  for (;;) {
    const size = await fileSize(file);
    if (size < position) position = 0; // rotated or truncated: the new file starts over
    if (size > position) {
      const handle = await open(file, 'r');
      const buffer = Buffer.alloc(size - position);
      await handle.read(buffer, 0, buffer.length, position);
      await handle.close();
      position = size;
      const lines = (partial + buffer.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') print(line);
    }
    await sleep(250);
  }
}

/** The line as it is when it holds a JSON object, else wrapped in one, so that every line parses. */
function asJsonLine(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return line;
  } catch {
    // Not JSON: a crash trace or what a child printed before the logger existed.
  }
  return JSON.stringify({ event: 'text', text: line });
}

/** `nexusctl logs [-f] [-n N]`. */
export function logsCommand(): Command {
  return withDataDir(new Command('logs').description('show the appliance log (<data-dir>/logs/nexus.log) as readable lines'))
    .option('--json', 'print one JSON object a line, as the log has them (a line that is not JSON, such as a crash trace, as {"event":"text","text":…}), for jq')
    .option('-f, --follow', 'keep printing new lines as they are written')
    .option('-n, --lines <n>', 'how many of the last lines to show', parseInteger, 50)
    .action(async (options: LogsOptions) => {
      const target = await resolveTargetLeniently(options);
      const print = (line: string) => process.stdout.write(`${options.json ? asJsonLine(line) : formatLogLine(line)}\n`);
      const size = await fileSize(target.logFile);
      if (size === 0 && !options.follow) throw new CliError(`no log at ${target.logFile} (the log file is written when the appliance runs in the background: nexusctl start)`, exitCodes.notFound);
      for (const line of await readLogTail(target.logFile, options.lines)) print(line);
      if (options.follow) await follow(target.logFile, size, print);
    });
}
