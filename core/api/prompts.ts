// What a model is given (exact text, or chat messages) and what it sees (text and tokens).
import { z } from 'zod';

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export const ChatMessageSchema = z.strictObject({ role: ChatRoleSchema, content: z.string().max(1_000_000) });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** The most text all of a chat's messages may hold together. */
export const MAX_CHAT_CHARS = 1_000_000;

/** What the model is given: exact text, or messages rendered through a chat template. */
export const PromptInputSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('completion'), text: z.string().max(1_000_000) }),
  z.strictObject({
    mode: z.literal('chat'),
    messages: z
      .array(ChatMessageSchema)
      .min(1, 'needs at least one message')
      .max(1000)
      // Rendering and tokenizing a chat runs on the inference process's thread: 5 MB took 67 s.
      .refine((m) => m.reduce((n, x) => n + x.content.length, 0) <= MAX_CHAT_CHARS, {
        message: `hold more than ${MAX_CHAT_CHARS.toLocaleString('en')} characters in all; shorten them`,
      }),
    /** a Jinja chat template to use instead of the model's own */
    template: z.string().min(1).max(100_000).optional(),
  }),
]);
export type PromptInput = z.infer<typeof PromptInputSchema>;

/** The exact prompt a model receives, as text and as tokens. */
export const RenderedPromptSchema = z.object({
  text: z.string(),
  tokens: z.array(z.object({ id: z.number(), text: z.string(), special: z.boolean() })),
  contextSize: z.number(),
  /** chat mode: where the template says the assistant's turn ends */
  stopStrings: z.array(z.string()),
});
export type RenderedPrompt = z.infer<typeof RenderedPromptSchema>;
