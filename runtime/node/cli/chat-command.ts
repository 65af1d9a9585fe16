// parseChatCommand: a chat line that starts with a /command, and the help that lists them.

/** A /command typed in chat: never sent to the model. */
export type ChatCommand = { name: 'teach'; answer: string } | { name: 'help' } | { name: 'unknown'; typed: string };

/** What /help prints. */
export const chatHelp = `/teach ANSWER  teach ANSWER as the answer to the last question
/help          show this list
Ctrl-C         cancel the answer being written (at the prompt: exit)
Ctrl-D         exit
`;

/**
 * The command on the line, or undefined for a question. Only `/word` at the start is a command, so
 * that a question beginning with a path (`/etc/hosts is what?`) still goes to the model; a bare `/`
 * (alone or before a space) is a command with no name, never a question.
 */
export function parseChatCommand(line: string): ChatCommand | undefined {
  const trimmed = line.trim();
  if (/^\/(\s|$)/.test(trimmed)) return { name: 'unknown', typed: '/' };
  const match = /^\/([A-Za-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (!match) return undefined;
  const [, name, rest = ''] = match;
  if (name === 'teach') return { name: 'teach', answer: rest.trim() };
  if (name === 'help') return { name: 'help' };
  return { name: 'unknown', typed: `/${name}` };
}
