// nexusctl chat: an interactive, streaming REPL against the appliance (or in-process with --local).
import { Command, Option } from 'commander';
import { createInterface } from 'node:readline';
import pc from 'picocolors';
import type { ModelDtype } from '../../../core/model/model-dtype.js';
import { isNexusError } from '../../../core/nexus-error.js';
import type { BackendChoice } from '../../select-engine.js';
import { answerLocally, answerRemotely, type AnswerEvent, type AnswerRequest } from '../answer-stream.js';
import { chatHelp, parseChatCommand } from '../chat-command.js';
import { withApiKey, withCa, withTarget, type TargetOptions } from '../common-options.js';
import { formatAnswerFooter } from '../format-answer-footer.js';
import { requestJson } from '../http-client.js';
import { lanApiKey } from '../lan-api-key.js';
import { parseTemperature, parsePositiveInteger } from '../parse-number.js';
import { exitCodeOf } from '../report-error.js';
import { resolveTarget } from '../resolve-target.js';

interface ChatOptions extends TargetOptions {
  local?: boolean;
  model?: string;
  dtype?: ModelDtype;
  backend?: BackendChoice;
  temperature?: number;
  maxTokens?: number;
}

/** Asks and teaches, wherever the answers come from. */
interface ChatBackend {
  ask(request: AnswerRequest): AsyncIterable<AnswerEvent>;
  teach(question: string, answer: string): Promise<void>;
}

/**
 * Fails now, with exit 3 (or 4 for a wrong key), when nothing answers. A 403 is an answer: a
 * chat-only key may not read /api/status, and chatting needs no more than the chat scope.
 */
async function checkReachable(lanUrl: string, key: string | undefined, ca: string | undefined): Promise<void> {
  try {
    await requestJson(`${lanUrl}/api/status`, { key, ca });
  } catch (error) {
    if (!isNexusError(error, 'FORBIDDEN')) throw error;
  }
}

async function backendFor(options: ChatOptions): Promise<ChatBackend> {
  if (options.local) {
    const { createAssistant } = await import('../../create-assistant.js');
    const assistant = await createAssistant({ model: options.model, dtype: options.dtype, backend: options.backend });
    return { ask: (request) => answerLocally(assistant, request), teach: async (question, answer) => assistant.teach(question, answer) };
  }
  const target = await resolveTarget(options);
  const { lanUrl, lanCa: ca } = target;
  const key = await lanApiKey(target, options);
  await checkReachable(lanUrl, key, ca);
  return {
    ask: (request) => answerRemotely(lanUrl, request, { key, ca }),
    teach: async (question, answer) => void (await requestJson(`${lanUrl}/api/teach`, { method: 'POST', body: { question, answer }, key, ca })),
  };
}

async function run(options: ChatOptions): Promise<void> {
  const backend = await backendFor(options);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: pc.cyan('> ') });
  let answering: AbortController | undefined;
  let lastQuestion: string | undefined;
  // Ctrl-C cancels the answer being streamed; at the prompt it ends the session (as Ctrl-D does).
  const interrupt = () => (answering ? answering.abort() : rl.close());
  rl.on('SIGINT', interrupt); // a terminal: readline turns Ctrl-C into this event
  process.on('SIGINT', interrupt); // piped input: the signal itself
  process.stdout.write(pc.dim('Ask a question; /teach ANSWER teaches the last question; /help lists the commands; Ctrl-C cancels an answer; Ctrl-D exits.\n'));
  rl.prompt();
  // The error of the last question or /teach sent, until one succeeds: it decides the exit code.
  let lastFailure: unknown;
  for await (const input of rl) {
    const line = input.trim();
    if (line === '') {
      rl.prompt();
      continue;
    }
    try {
      const command = parseChatCommand(line);
      if (command?.name === 'help') process.stdout.write(chatHelp);
      else if (command?.name === 'unknown') process.stdout.write(pc.yellow(`unknown command ${command.typed}; /help lists the commands\n`));
      else if (command?.name === 'teach') {
        if (!lastQuestion || !command.answer) process.stdout.write(pc.yellow('usage: /teach ANSWER, after asking a question\n'));
        else {
          await backend.teach(lastQuestion, command.answer);
          lastFailure = undefined;
          process.stdout.write(pc.green(`learned: ${lastQuestion} → ${command.answer}\n`));
        }
      } else {
        lastQuestion = line;
        answering = new AbortController();
        for await (const event of backend.ask({ prompt: line, maxTokens: options.maxTokens, temperature: options.temperature, signal: answering.signal })) {
          if (event.type === 'delta') process.stdout.write(event.text);
          else process.stdout.write(`\n${formatAnswerFooter(event.answer)}\n`);
        }
        lastFailure = undefined;
      }
    } catch (error) {
      const cancelled = answering?.signal.aborted || isNexusError(error, 'ABORTED');
      lastFailure = cancelled ? undefined : error;
      process.stdout.write(cancelled ? pc.yellow('\n(cancelled)\n') : `\n${pc.red(error instanceof Error ? error.message : String(error))}\n`);
    } finally {
      answering = undefined;
    }
    rl.prompt();
  }
  process.off('SIGINT', interrupt);
  process.stdout.write('\n');
  if (lastFailure !== undefined) process.exitCode = exitCodeOf(lastFailure);
}

const exitStatusHelp = `
Exit status: 0 when the last question or /teach sent succeeded (or none was sent, or it was
cancelled); otherwise the exit code of its error, as for other commands (3 unreachable, 7 busy, ...).`;

/** `nexusctl chat`. */
export function chatCommand(): Command {
  return withApiKey(withCa(withTarget(new Command('chat').description('interactive chat with the running appliance (streams; shows confidence)'))), '; default: the admin key in <data-dir>')
    .option('--local', 'run the model in this process instead of talking to the appliance')
    .option('--model <id|dir>', 'with --local: registry id or model directory', 'lexicon-tiny')
    .addOption(new Option('--dtype <dtype>', 'with --local: weights to load').choices(['q4', 'q8', 'fp32']).default('q8'))
    .addOption(new Option('--backend <engine>', 'with --local: wasm, native (onnxruntime-node, when installed) or auto').choices(['wasm', 'native', 'auto']).default('wasm'))
    .option('--temperature <t>', 'sampling temperature; 0 = greedy', parseTemperature)
    .option('--max-tokens <n>', 'most tokens per answer', parsePositiveInteger)
    .addHelpText('after', exitStatusHelp)
    .action(run);
}
