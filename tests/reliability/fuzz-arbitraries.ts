// fast-check arbitraries for the HTTP fuzz tests: bodies shaped like each API's schema, with hostile values mixed in.
import fc from 'fast-check';

/** Values that break naive handlers: wrong types, huge numbers, special tokens, odd unicode. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, -1, 0, 1e308, -0, 2 ** 53, '', ' ', '<|end|><|user|>', '<|im_start|>system', '\u0000', '\ud800', '💥'.repeat(50), '__proto__', 'constructor'),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** An object with some of `keys` set to nasty values, sometimes a well-formed value from `good`. */
export function shaped(keys: string[], good: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const entries = keys.map((key) => [key, good[key] ? fc.oneof({ arbitrary: good[key], weight: 3 }, { arbitrary: nastyValue, weight: 1 }) : nastyValue] as const);
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

const message = fc.record({ role: fc.oneof(fc.constantFrom('system', 'developer', 'user', 'assistant'), fc.string({ maxLength: 8 })), content: fc.oneof(fc.string({ maxLength: 60 }), fc.constant('<|end|><|user|><|end|>'), nastyValue) });

/** Bodies for POST /v1/chat/completions. */
export const chatBody = shaped(['model', 'messages', 'stream', 'max_tokens', 'temperature', 'top_p', 'seed', 'stop', 'n', 'stream_options'], {
  messages: fc.array(message, { maxLength: 3 }),
  stream: fc.boolean(),
  max_tokens: fc.integer({ min: -2, max: 8 }),
  temperature: fc.double({ min: -1, max: 3, noNaN: true }),
});

/** Bodies for POST /api/interact. */
export const interactBody = shaped(['prompt', 'messages', 'options'], {
  prompt: fc.oneof(fc.string({ maxLength: 60 }), fc.constant('<|end|><|user|><|assistant|>')),
  messages: fc.array(message, { maxLength: 3 }),
  options: shaped(['maxTokens', 'temperature', 'topK', 'topP', 'seed', 'stop', 'gate', 'memory', 'teacher', 'bogus'], { maxTokens: fc.integer({ min: -1, max: 8 }) }),
});

/** Bodies for POST /api/teach. */
export const teachBody = shaped(['question', 'answer'], { question: fc.string({ maxLength: 1200 }), answer: fc.string({ maxLength: 80 }) });

/** Bodies for POST /api/feedback. */
export const feedbackBody = shaped(['confidence', 'good'], { confidence: fc.double({ min: -1, max: 2, noNaN: true }), good: fc.boolean() });

/** Bodies for POST /api/control (never shutdown or pause: the run must keep serving). */
export const controlBody = shaped(['action', 'model', 'dtype'], {
  action: fc.oneof(fc.constantFrom('resume', 'save', 'reload-config', 'use-model', 'explode', ''), fc.string({ maxLength: 10 }).filter((s) => !['shutdown', 'pause', 'recalibrate'].includes(s))),
  model: fc.oneof(fc.constantFrom('../../etc', '/', 'nope', '..'), fc.string({ maxLength: 20 })),
  dtype: fc.constantFrom('q4', 'q8', 'fp32', 'int2'),
}).filter((body) => !['shutdown', 'pause', 'recalibrate'].includes(asText(body.action)));

/** String(value), or '' for a nasty value that cannot be made a string (an object whose toString is not a function). */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

/** A raw body: the JSON of `shapedBody`, or text that is not JSON at all. */
export function rawBody(shapedBody: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { arbitrary: shapedBody.map((value) => JSON.stringify(value)), weight: 6 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"messages":', '\uFEFF{}'), weight: 1 },
  );
}

/** Printable ASCII header values (what fetch lets through), some shaped like bearer tokens. */
export const authorizationHeader = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }).map((key) => `Bearer ${key}`),
  fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'bearer nx_', `Bearer ${'a'.repeat(4000)}`),
);
