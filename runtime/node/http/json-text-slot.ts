// jsonWithTextSlot: JSON.stringify of an object that changes in one string field, built from the bytes around that field.

const marker = JSON.stringify('\u0000');

/**
 * `render(text)` for any text, as JSON, without stringifying the whole object each time: it is
 * rendered once with a placeholder and the text's JSON goes between the parts around it. The slot
 * must be the last string in `render`'s output that can hold U+0000 (fields after it are numbers,
 * booleans or null), so earlier strings may contain anything. The same bytes as JSON.stringify.
 */
export function jsonWithTextSlot(render: (text: string) => string): (text: string) => string {
  const template = render('\u0000');
  const at = template.lastIndexOf(marker);
  if (at === -1) throw new Error('jsonWithTextSlot: the rendered JSON does not contain the text');
  const head = template.slice(0, at);
  const tail = template.slice(at + marker.length);
  return (text) => head + JSON.stringify(text) + tail;
}
