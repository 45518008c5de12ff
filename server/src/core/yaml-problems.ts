// YAML problems at the user's place, shared by the project config and Markdown front matter so
// both report them alike.
//
// Repeated keys in one mapping: each repeat is reported at the repeated key, and the FIRST value
// is the one used (what a reader scanning from the top sees first, and what the Fountain title
// page does too). The yaml library's own duplicate-key error would make the LAST one win in
// toJS(), so the repeats are taken out of the document here.

import { isMap, isScalar, isSeq, visit, type Document, type Node as YamlNode, type YAMLError } from 'yaml';

export interface DuplicateKey {
  key: string;
  /** The repeated key node (the one reported). */
  node: YamlNode;
  /** The first key node with that name. */
  first: YamlNode;
}

/** Removes every later pair whose key repeats an earlier key of the same mapping; returns them. */
export function removeDuplicateKeys(doc: Document): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, YamlNode>();
      for (let i = 0; i < map.items.length; i++) {
        const key = map.items[i].key;
        if (!isScalar(key) || !key.range) continue;
        // toJS keys are strings, so `1` and `"1"` would collide there too.
        const name = String(key.value);
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, key);
          continue;
        }
        out.push({ key: name, node: key, first });
        map.items.splice(i--, 1);
      }
      return undefined;
    },
  });
  return out;
}

/**
 * Where a YAML syntax error is the user's mistake. The yaml library reports an unclosed `[`, `{`
 * or quote where it gave up (often the start of the next key, a line or more later); the mistake
 * is the opener, so point there when the node it opened can be found.
 */
export function blameSyntaxError(doc: Document, error: YAMLError): { start: number; end: number; message: string } {
  const [start, end] = error.pos;
  const flow = /^Flow (sequence|map) in block collection/.exec(error.message);
  const quote = error.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(error.message) : null;
  if (flow || quote) {
    let opener: number | undefined;
    visit(doc, (_, node) => {
      const r = (node as YamlNode | null)?.range;
      if (!r || r[1] !== start) return;
      const fits = flow
        ? (flow[1] === 'sequence' ? isSeq(node) : isMap(node)) && (node as { flow?: boolean }).flow === true
        : isScalar(node) && node.type === (quote![1] === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
      // Nested unclosed openers end at one place: the innermost (latest) one is the one to close first.
      if (fits && (opener === undefined || r[0] > opener)) opener = r[0];
    });
    if (opener !== undefined) {
      const message = flow
        ? flow[1] === 'sequence'
          ? 'the list opened here with `[` does not end with `]` (a list that goes on to the next lines must indent them)'
          : 'the map opened here with `{` does not end with `}` (a map that goes on to the next lines must indent them)'
        : `the text opened here with \`${quote![1]}\` is never closed with \`${quote![1]}\``;
      return { start: opener, end: opener + 1, message: `${message}.` };
    }
  }
  return { start, end, message: error.message };
}
