// fieldText: a log or event field's value as written after `key=`: bare when it is one word, else as JSON.
// Platform-neutral: `nexusctl logs` and the PWA's dashboard both write fields this way.

export function fieldText(value: unknown): string {
  return typeof value === 'string' && value !== '' && !/\s/.test(value) ? value : JSON.stringify(value);
}
