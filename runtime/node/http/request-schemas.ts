// Request schemas of the HTTP APIs (zod): the OpenAI chat request, interact, teach, feedback, control.
import * as z from 'zod';

const textPart = z.object({ type: z.literal('text'), text: z.string() });

/** An OpenAI chat message; `developer` counts as system, content parts are joined. */
export const openAiMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.union([z.string(), z.array(textPart)]).nullable().optional(),
});

/** POST /v1/chat/completions (unknown OpenAI fields are accepted and ignored). */
export const chatCompletionSchema = z.object({
  model: z.string().optional(),
  messages: z.array(openAiMessageSchema).min(1, 'expected at least one message'),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().gt(0).max(1).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
  n: z.literal(1).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionSchema>;

const chatMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });

/** POST /api/interact. */
export const interactSchema = z
  .object({
    prompt: z.string().optional(),
    messages: z.array(chatMessageSchema).min(1).optional(),
    options: z
      .object({
        maxTokens: z.number().int().min(1).optional(),
        temperature: z.number().min(0).max(10).optional(),
        topK: z.number().int().min(0).optional(),
        topP: z.number().gt(0).max(1).optional(),
        repetitionPenalty: z.number().positive().optional(),
        seed: z.number().int().optional(),
        stop: z.array(z.string()).optional(),
        gate: z.boolean().optional(),
        memory: z.boolean().optional(),
        teacher: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .refine((body) => body.prompt !== undefined || body.messages !== undefined, { path: ['prompt'], message: 'expected prompt or messages' });
export type InteractRequest = z.infer<typeof interactSchema>;

/** POST /api/teach. */
export const teachSchema = z.object({ question: z.string().trim().min(1).max(1000), answer: z.string().trim().min(1).max(4000) });

/** POST /api/feedback. */
export const feedbackSchema = z.object({ confidence: z.number().min(0).max(1), good: z.boolean() });

/** POST /api/control. */
export const controlSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pause') }),
  z.object({ action: z.literal('resume') }),
  z.object({ action: z.literal('save') }),
  z.object({ action: z.literal('reload-config') }),
  z.object({ action: z.literal('recalibrate') }),
  z.object({ action: z.literal('shutdown') }),
  z.object({ action: z.literal('use-model'), model: z.string().min(1), dtype: z.enum(['q4', 'q8', 'fp32']).optional() }),
]);
export type ControlRequest = z.infer<typeof controlSchema>;
