// ChatMessage: one turn of a conversation, as chat templates and the OpenAI API know it.

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}
