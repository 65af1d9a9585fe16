// nexusctl chat: an interactive, streaming REPL against the appliance (or in-process with --local).
import { Command, Option } from 'commander';
import { createInterface } from 'node:readline';
import pc from 'picocolors';
import type { ModelDtype } from '../../../core/model/model-dtype.js';
import { isNexusError } from '../../../core/nexus-error.js';
import type { BackendChoice } from '../../select-engine.js';
import { answerLocally, answerRemotely, type AnswerEvent, type AnswerRequest } from '../answer-stream.js';
import { chatHelp, parseChatCommand } from '../chat-command.js';
import { withApiKey, withTarget, type TargetOptions } from '../common-options.js';
import { formatAnswerFooter } from '../format-answer-footer.js';
import { requestJson } from '../http-client.js';
import { lanApiKey } from '../lan-api-key.js';
import { parseDecimal, parsePositiveInteger } from '../parse-number.js';
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

async function backendFor(options: ChatOptions): Promise<ChatBackend> {
  if (options.local) {
    const { createAssistant } = await import('../../create-assistant.js');
    const assistant = await createAssistant({ model: options.model, dtype: options.dtype, backend: options.backend });
    return { ask: (request) => answerLocally(assistant, request), teach: async (question, answer) => assistant.teach(question, answer) };
  }
  const target = await resolveTarget(options);
  const { lanUrl, lanCa: ca } = target;
  const key = await lanApiKey(target, options);
  await requestJson(`${lanUrl}/api/status`, { key, ca }); // fail now, with exit 3 (or 4 for a key), when nothing answers
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
          process.stdout.write(pc.green(`learned: ${lastQuestion} → ${command.answer}\n`));
        }
      } else {
        lastQuestion = line;
        answering = new AbortController();
        for await (const event of backend.ask({ prompt: line, maxTokens: options.maxTokens, temperature: options.temperature, signal: answering.signal })) {
          if (event.type === 'delta') process.stdout.write(event.text);
          else process.stdout.write(`\n${formatAnswerFooter(event.answer)}\n`);
        }
      }
    } catch (error) {
      const cancelled = answering?.signal.aborted || isNexusError(error, 'ABORTED');
      process.stdout.write(cancelled ? pc.yellow('\n(cancelled)\n') : `\n${pc.red(error instanceof Error ? error.message : String(error))}\n`);
    } finally {
      answering = undefined;
    }
    rl.prompt();
  }
  process.off('SIGINT', interrupt);
  process.stdout.write('\n');
}

/** `nexusctl chat`. */
export function chatCommand(): Command {
  return withApiKey(withTarget(new Command('chat').description('interactive chat with the running appliance (streams; shows confidence)')), '; default: the admin key in <data-dir>')
    .option('--local', 'run the model in this process instead of talking to the appliance')
    .option('--model <id|dir>', 'with --local: registry id or model directory', 'lexicon-tiny')
    .addOption(new Option('--dtype <dtype>', 'with --local: weights to load').choices(['q4', 'q8', 'fp32']).default('q8'))
    .addOption(new Option('--backend <engine>', 'with --local: wasm, native (onnxruntime-node, when installed) or auto').choices(['wasm', 'native', 'auto']).default('wasm'))
    .option('--temperature <t>', 'sampling temperature; 0 = greedy', parseDecimal)
    .option('--max-tokens <n>', 'most tokens per answer', parsePositiveInteger)
    .action(run);
}
