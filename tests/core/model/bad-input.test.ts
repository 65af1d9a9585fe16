// Bad input to the model and generator: each a typed error with a clear message, the engine still working after.
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNexusError, type NexusError } from '../../../runtime/core/nexus-error.js';
import type { LanguageModel } from '../../../runtime/core/model/language-model.js';
import { generate } from '../../../runtime/core/generation/generate.js';
import { buildPrompt } from '../../../runtime/core/generation/prompt-builder.js';
import { loadModelDirectory } from '../../../runtime/node/load-model-directory.js';
import { lexiconDirectory, lexiconModel } from '../../support/lexicon-model.js';

const scratch = mkdtempSync(join(tmpdir(), 'nexus-bad-model-'));

function copyModel(name: string): string {
  const directory = join(scratch, name);
  cpSync(lexiconDirectory, directory, { recursive: true });
  return directory;
}

async function expectError(promise: Promise<unknown>, code: string, messagePart: RegExp): Promise<NexusError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isNexusError(error, code as never), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as NexusError).message).toMatch(messagePart);
  return error as NexusError;
}

async function answer(model: LanguageModel, question: string): Promise<string> {
  const prompt = buildPrompt(model.tokenizer, [{ role: 'user', content: question }], { contextLength: model.contextLength, reserveForAnswer: 64 });
  for await (const event of generate(model, { promptIds: prompt.ids, maxTokens: 64 })) if (event.type === 'done') return event.result.text;
  return '';
}

describe('bad input is a typed error and loses nothing', () => {
  let model: LanguageModel;
  beforeAll(async () => {
    model = await lexiconModel('q8');
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a missing model file is MODEL_NOT_FOUND / DTYPE_UNAVAILABLE naming what is missing', async () => {
    await expectError(loadModelDirectory(join(scratch, 'does-not-exist')), 'MODEL_NOT_FOUND', /config\.json/);
    const directory = copyModel('no-onnx');
    rmSync(join(directory, 'onnx/model_quantized.onnx'));
    await expectError(loadModelDirectory(directory, { dtype: 'q8' }), 'DTYPE_UNAVAILABLE', /q8.*files present: q4/);
    await expectError(loadModelDirectory(directory, { dtype: 'fp32' }), 'DTYPE_UNAVAILABLE', /fp32/);
  });

  it('a corrupt model file is MODEL_CORRUPT naming the file', async () => {
    const directory = copyModel('corrupt');
    const path = join(directory, 'onnx/model_quantized.onnx');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length / 3));
    await expectError(loadModelDirectory(directory, { dtype: 'q8' }), 'MODEL_CORRUPT', /model_quantized\.onnx/);
    writeFileSync(path, 'not an onnx file at all');
    await expectError(loadModelDirectory(directory, { dtype: 'q8' }), 'MODEL_CORRUPT', /model_quantized\.onnx/);
  });

  it('a corrupt config.json or tokenizer.json is a typed error', async () => {
    const directory = copyModel('bad-json');
    writeFileSync(join(directory, 'config.json'), '{"model_type": "llama", ');
    await expectError(loadModelDirectory(directory), 'MODEL_CONFIG_INVALID', /config\.json is not valid JSON/);
    writeFileSync(join(directory, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    await expectError(loadModelDirectory(directory), 'MODEL_UNSUPPORTED', /bert/);
    cpSync(join(lexiconDirectory, 'config.json'), join(directory, 'config.json'));
    writeFileSync(join(directory, 'tokenizer.json'), '{}');
    await expectError(loadModelDirectory(directory), 'TOKENIZER_INVALID', /model/);
  });

  it('a tokenizer that does not match the model is TOKENIZER_MODEL_MISMATCH', async () => {
    const directory = copyModel('mismatch');
    const tokenizer = JSON.parse(readFileSync(join(directory, 'tokenizer.json'), 'utf8'));
    for (let i = 0; i < 200; i++) tokenizer.model.vocab[`extra_token_${i}`] = 4096 + i;
    writeFileSync(join(directory, 'tokenizer.json'), JSON.stringify(tokenizer));
    await expectError(loadModelDirectory(directory), 'TOKENIZER_MODEL_MISMATCH', /4296 tokens.*4096/);

    const otherEos = copyModel('mismatch-eos');
    const config = JSON.parse(readFileSync(join(otherEos, 'tokenizer_config.json'), 'utf8'));
    config.eos_token = '<|user|>';
    writeFileSync(join(otherEos, 'tokenizer_config.json'), JSON.stringify(config));
    await expectError(loadModelDirectory(otherEos), 'TOKENIZER_MODEL_MISMATCH', /EOS token/);
  });

  it('an empty prompt is EMPTY_PROMPT', async () => {
    expect(() => buildPrompt(model.tokenizer, [{ role: 'user', content: '   ' }], { contextLength: 512, reserveForAnswer: 64 })).toThrowError(/prompt is empty/);
    expect(() => buildPrompt(model.tokenizer, [], { contextLength: 512, reserveForAnswer: 64 })).toThrowError(/prompt is empty/);
    await expectError(generate(model, { promptIds: [] }).next(), 'EMPTY_PROMPT', /empty/);
  });

  it('a prompt longer than the context is PROMPT_TOO_LONG with the numbers', async () => {
    const long = 'river '.repeat(600);
    expect(() => buildPrompt(model.tokenizer, [{ role: 'user', content: long }], { contextLength: 512, reserveForAnswer: 64 })).toThrowError(/the context window is 512/);
    await expectError(generate(model, { promptIds: new Array(600).fill(5) }).next(), 'PROMPT_TOO_LONG', /600 tokens.*512/);
  });

  it('drops the oldest turns (never the system prompt) and says so instead of truncating silently', () => {
    const filler = 'tell me about words '.repeat(40);
    const messages = [
      { role: 'system' as const, content: 'You are a dictionary.' },
      { role: 'user' as const, content: filler },
      { role: 'assistant' as const, content: filler },
      { role: 'user' as const, content: filler },
      { role: 'assistant' as const, content: 'ok' },
      { role: 'user' as const, content: 'What does river mean?' },
    ];
    const built = buildPrompt(model.tokenizer, messages, { contextLength: 512, reserveForAnswer: 64 });
    expect(built.truncated).toBe(true);
    expect(built.droppedMessages).toBeGreaterThan(0);
    expect(built.droppedTokens).toBeGreaterThan(0);
    const text = model.tokenizer.decode(built.ids);
    expect(text.startsWith('<|system|>You are a dictionary.<|end|>')).toBe(true);
    expect(text.endsWith('<|user|>What does river mean?<|end|><|assistant|>')).toBe(true);
    expect(built.ids.length).toBeLessThanOrEqual(512 - 64);
  });

  it('bad sampling options name the key', async () => {
    const prompt = buildPrompt(model.tokenizer, [{ role: 'user', content: 'Define river.' }], { contextLength: 512, reserveForAnswer: 8 });
    await expectError(generate(model, { promptIds: prompt.ids, sampling: { temperature: -1 } }).next(), 'INVALID_OPTION', /\[temperature\]/);
    await expectError(generate(model, { promptIds: prompt.ids, sampling: { topP: 2 } }).next(), 'INVALID_OPTION', /\[topP\]/);
    await expectError(generate(model, { promptIds: prompt.ids, maxTokens: 0 }).next(), 'INVALID_OPTION', /\[maxTokens\]/);
  });

  it('the engine still answers after all of the above', async () => {
    expect(await answer(model, 'What does river mean?')).toBe('river (noun): a large natural stream of water (larger than a creek).');
  });
});
