// Strict JSON syntax (RFC 8259) for `.ai-use.json`: the first mistake, at its exact place, in the
// words VS Code's JSON validation uses. The YAML parser that reads the values (and keeps node
// ranges) accepts JSON supersets such as trailing commas and comments, so the file is checked here
// first. One pass, no recursion: a file of ten thousand `[` cannot overflow the stack.

export interface JsonSyntaxError {
  /** Offsets into the text, end exclusive. */
  start: number;
  end: number;
  message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z0-9_.+-]+/y;
const HEX4 = /[0-9A-Fa-f]{4}/y;

/** The first syntax error, or undefined when the text is one JSON value (or only blanks). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  // An empty file is an empty config, as VS Code's JSON validation shows nothing for it.
  if (text.trim() === '') return undefined;
  const n = text.length;
  let i = 0;
  /** Open containers: the bracket and where it is. */
  const stack: { bracket: '{' | '['; at: number }[] = [];
  const error = (start: number, end: number, message: string): JsonSyntaxError => ({ start, end: Math.min(n, Math.max(end, start + 1)), message });

  /** Skips blanks; a comment is an error in JSON. */
  const skip = (): JsonSyntaxError | undefined => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
    if (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return error(i, i + 2, 'Comments are not permitted in JSON.');
    return undefined;
  };

  const wordAt = (from: number): number => {
    WORD.lastIndex = from;
    return WORD.test(text) ? WORD.lastIndex : from + 1;
  };

  /** A string starting at i (a `"`); moves i past it. */
  const string = (): JsonSyntaxError | undefined => {
    const open = i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return error(i, i + 2, 'Invalid unicode escape: `\\u` needs four hex digits.');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return error(i, i + 2, 'Invalid escape character in string.');
        }
        continue;
      }
      if (c === 0x0a || c === 0x0d) return error(open, i, 'Unterminated string: close it with `"` on the same line.');
      if (c < 0x20) return error(i, i + 1, 'Invalid control character in string.');
      i++;
    }
    return error(open, n, 'Unterminated string: close it with `"`.');
  };

  /** A value starting at i (blanks skipped); containers are pushed, not descended into. */
  const value = (): JsonSyntaxError | 'opened' | undefined => {
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push({ bracket: c, at: i });
      i++;
      return 'opened';
    }
    if (c === '"') return string();
    if (c === "'") return error(i, wordAt(i + 1) + 1, 'Strings must use double quotes (`"`).');
    if (c === undefined) return error(n - 1, n, 'Value expected, but the file ends.');
    NUMBER.lastIndex = i;
    if ((c === '-' || (c >= '0' && c <= '9')) && NUMBER.test(text)) {
      const end = NUMBER.lastIndex;
      if (end < n && /[A-Za-z0-9_.+-]/.test(text[end])) return error(i, wordAt(i), 'Invalid number format.');
      i = end;
      return undefined;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i) && !(i + literal.length < n && /[A-Za-z0-9_]/.test(text[i + literal.length]))) {
        i += literal.length;
        return undefined;
      }
    }
    return error(i, wordAt(i), 'Value expected.');
  };

  let state: 'value' | 'key' | 'after' | 'first' = 'value';
  for (;;) {
    const comment = skip();
    if (comment) return comment;
    if (state === 'first') {
      // Just after `{` or `[`: it may close at once.
      const top = stack[stack.length - 1];
      const close = top.bracket === '{' ? '}' : ']';
      if (text[i] === close) {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      state = top.bracket === '{' ? 'key' : 'value';
      continue;
    }
    if (state === 'key') {
      if (text[i] !== '"') {
        if (i >= n) return unclosed(text, stack, error);
        return error(i, text[i] === "'" ? wordAt(i + 1) + 1 : wordAt(i), 'Property name expected: write it in double quotes (`"name": value`).');
      }
      const bad = string();
      if (bad) return bad;
      const comment2 = skip();
      if (comment2) return comment2;
      if (text[i] !== ':') return i >= n ? unclosed(text, stack, error) : error(i, i + 1, 'Colon expected after the property name.');
      i++;
      state = 'value';
      continue;
    }
    if (state === 'value') {
      if (i >= n && stack.length > 0) return unclosed(text, stack, error);
      const result = value();
      if (result === 'opened') state = 'first';
      else if (result) return result;
      else state = 'after';
      continue;
    }
    // after a value
    if (stack.length === 0) return i < n ? error(i, wordAt(i), 'End of file expected: a JSON file holds one value.') : undefined;
    const top = stack[stack.length - 1];
    const close = top.bracket === '{' ? '}' : ']';
    if (i >= n) return unclosed(text, stack, error);
    if (text[i] === ',') {
      const comma = i++;
      const comment3 = skip();
      if (comment3) return comment3;
      if (text[i] === close) return error(comma, comma + 1, 'Trailing comma: delete it (JSON allows no comma before a closing bracket).');
      state = top.bracket === '{' ? 'key' : 'value';
      continue;
    }
    if (text[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    return error(i, i + 1, `Expected a comma or \`${close}\`.`);
  }
}

/**
 * The file ends inside a container. Which bracket is missing is often ambiguous (`{"a": {"b": 1\n}`),
 * so, like VS Code, blame the end of the text and name the bracket still open.
 */
function unclosed(
  text: string,
  stack: readonly { bracket: '{' | '['; at: number }[],
  error: (start: number, end: number, message: string) => JsonSyntaxError,
): JsonSyntaxError {
  const top = stack[stack.length - 1];
  const close = top.bracket === '{' ? '}' : ']';
  let last = text.length - 1;
  while (last > 0 && WS.has(text.charCodeAt(last))) last--;
  let line = 1;
  for (let k = 0; k < top.at; k++) if (text.charCodeAt(k) === 0x0a) line++;
  return error(last, last + 1, `The file ends before the \`${top.bracket}\` on line ${line} is closed: add \`${close}\`.`);
}
