// nexusctl ask: one question, answered in-process by the model (or by a running appliance with --url).
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { defaultConfig } from '../../../../edge-config/config-schema.js';
import { type ModelDtype } from '../../../core/model/model-dtype.js';
import type { BackendChoice } from '../../select-engine.js';
import { answerLocally, answerRemotely, type AnswerEvent, type AnswerRequest, type AnswerSummary, type RemoteAccess } from '../answer-stream.js';
import { withApiKey, withCa } from '../common-options.js';
import { formatAnswerFooter } from '../format-answer-footer.js';
import { trustedCa } from '../local-ca.js';
import { parseTemperature, parseInteger, parsePositiveInteger } from '../parse-number.js';
import { parseUrl } from '../parse-url.js';

interface AskOptions {
  model?: string;
  dtype?: ModelDtype;
  backend?: BackendChoice;
  threads?: number;
  seed?: number;
  temperature?: number;
  maxTokens?: number;
  gate: boolean;
  json?: boolean;
  url?: string;
  apiKey?: string;
  dataDir?: string;
  ca?: string;
}

/** Prints deltas as they come (unless json) and returns the final answer. */
async function consume(events: AsyncIterable<AnswerEvent>, stream: boolean): Promise<AnswerSummary> {
  for await (const event of events) {
    if (event.type === 'done') return event.answer;
    if (stream) process.stdout.write(event.text);
  }
  throw new Error('the answer ended without a result');
}

/** The model in this process; its modules are loaded only for a local answer. */
async function localAssistant(options: AskOptions) {
  const { createAssistant } = await import('../../create-assistant.js');
  return createAssistant({ model: options.model, dtype: options.dtype, backend: options.backend, threads: options.threads });
}

/** The key, and for https the CA to trust: --ca, else the one tls init made in --data-dir (NEXUS_DATA_DIR, default .nexus). */
async function remoteAccess(url: string, options: AskOptions): Promise<RemoteAccess> {
  if (!url.startsWith('https:')) return { key: options.apiKey };
  const dataDir = resolve(options.dataDir ?? defaultConfig().dataDir);
  return { key: options.apiKey, ca: await trustedCa({ ca: options.ca, dataDir }) };
}

async function run(words: string[], options: AskOptions): Promise<void> {
  const request: AnswerRequest = { prompt: words.join(' '), maxTokens: options.maxTokens, temperature: options.temperature, seed: options.seed, gate: options.gate };
  const events = options.url
    ? answerRemotely(options.url.replace(/\/+$/, ''), request, await remoteAccess(options.url, options))
    : answerLocally(await localAssistant(options), request);
  const answer = await consume(events, !options.json);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return;
  }
  if (!answer.text.endsWith('\n')) process.stdout.write('\n');
  process.stderr.write(`${formatAnswerFooter(answer)}\n`);
}

/** `nexusctl ask "question"`. */
export function askCommand(): Command {
  const command = new Command('ask')
    .description('ask one question; runs the model in this process (no appliance needed) unless --url is given')
    .argument('<question...>', 'the question, e.g. "What does harbor mean?"')
    .option('--model <id|dir>', 'registry id or model directory', 'lexicon-tiny')
    .addOption(new Option('--dtype <dtype>', 'weights to load').choices(['q4', 'q8', 'fp32']).default('q8'))
    .addOption(new Option('--backend <engine>', 'inference engine: onnxruntime-web WASM, native onnxruntime-node (when installed), or auto (native if installed)').choices(['wasm', 'native', 'auto']).default('wasm'))
    .option('--threads <n>', 'inference threads', parseInteger)
    .option('--seed <n>', 'sampling seed (same seed, same answer)', parseInteger)
    .option('--temperature <t>', 'sampling temperature; 0 = greedy', parseTemperature)
    .option('--max-tokens <n>', 'most tokens to generate', parsePositiveInteger)
    .option('--no-gate', 'answer even when the uncertainty gate would abstain')
    .option('--json', 'print one JSON object {text, confidence, decision, source, usage, timings, finishReason}')
    .option('--url <url>', 'ask the appliance at this LAN API URL instead (with --api-key / NEXUS_API_KEY)', parseUrl)
    .addOption(new Option('--data-dir <dir>', 'with an https --url: trust the CA that tls init made in this data directory').env('NEXUS_DATA_DIR'));
  return withApiKey(withCa(command), '; with --url').action(run);
}
