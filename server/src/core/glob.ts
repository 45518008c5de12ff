// The glob matcher of `include`/`exclude` (docs/config.md). A pattern is compiled into a small
// automaton that reads a path one character at a time, keeping every state it could be in, so a
// match costs at most (path length) x (pattern states) steps whatever the pattern: it cannot
// backtrack. (picomatch compiles globs to backtracking regular expressions: `*a*a*a*a*a*a*a*a*a*ab`
// took half a minute on a 40-character file name.)
//
// Syntax, as in VS Code's `files.exclude`: `*` (any run of characters within a name), `**` as a
// whole path segment (any number of folders), `?` (one character), `[abc]`, `[a-z]`, `[!a]`/`[^a]`,
// `{a,b}` (nestable), `\` before a character to take it literally, and a leading `!` to negate.
// A name that starts with a dot is matched only by a pattern that spells the dot (`.*`, `[.]x`),
// unless `dot` is set: a pattern name that starts with `*` or `?`, and every folder `**` passes
// over, skip such names (as picomatch does, brace alternatives excepted).
// A leading `./` is dropped: paths are relative.

/** Longer patterns are refused: no real include/exclude pattern comes near it. */
export const MAX_GLOB_LENGTH = 1000;

export interface GlobOptions {
  /** Wildcards also match names that start with a dot. */
  dot?: boolean;
}

/** Why a pattern was refused, in words for a config finding. */
export class GlobSyntaxError extends Error {}

type Node =
  | { t: 'char'; c: number }
  | { t: 'any' }
  | { t: 'star' }
  /**
   * Lookaheads picomatch puts before a `*` or `?` that starts a pattern name (the name read must
   * not start with a dot) and before a `*` at a name start or after a `.` (the path must go on).
   */
  | { t: 'guard'; test: 'no-dot' | 'not-end' }
  | { t: 'class'; negated: boolean; ranges: number[] }
  | { t: 'globstar'; form: GlobstarForm }
  | { t: 'alt'; alternatives: Node[][] };

/** `**\/` (name /)*, `/**` (/ name)*, `/**` after a `*` (/ name)+ (as picomatch reads it), `**` alone: name (/ name)*. */
type GlobstarForm = 'prefix' | 'suffix' | 'suffix-some' | 'alone';

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * Parses `source` (the pattern, or one alternative of a brace set) into a sequence.
 * `startsSegment`/`endsSegment`: the part is bounded by `/` or the pattern's ends there.
 */
function parseSequence(source: string, startsSegment: boolean, endsSegment: boolean, inBraces: boolean): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const startsName = i === 0 ? startsSegment : source[i - 1] === '/';
    if ((ch === '*' || ch === '?') && startsName && !inBraces) out.push({ t: 'guard', test: 'no-dot' });
    if (ch === '*' && ((startsName && !inBraces) || (source[i - 1] === '.' && (i === 1 ? startsSegment : source[i - 2] === '/')))) {
      out.push({ t: 'guard', test: 'not-end' });
    }
    if (ch === '\\' && i + 1 < source.length) {
      out.push({ t: 'char', c: source.charCodeAt(i + 1) });
      i += 2;
    } else if (ch === '*') {
      let j = i;
      while (source[j] === '*') j++;
      const after = j === source.length ? endsSegment : source[j] === '/';
      // Exactly two stars alone between slashes: three or more are one star, as in picomatch.
      if (j - i === 2 && startsName && after) {
        // Folders `**` passes over are checked name by name instead.
        while (out.length > 0 && out[out.length - 1].t === 'guard') out.pop();
        // `**/**` is `**`.
        while (out.length > 0 && out[out.length - 1].t === 'globstar' && (out[out.length - 1] as { form: GlobstarForm }).form === 'prefix') out.pop();
        if (source[j] === '/') {
          out.push({ t: 'globstar', form: 'prefix' });
          j++;
        } else if (out.length > 0 && out[out.length - 1].t === 'char' && (out[out.length - 1] as { c: number }).c === SLASH) {
          out.pop();
          out.push({ t: 'globstar', form: out.length > 0 && out[out.length - 1].t === 'star' ? 'suffix-some' : 'suffix' });
        } else {
          out.push({ t: 'globstar', form: 'alone' });
        }
      } else {
        out.push({ t: 'star' });
      }
      i = j;
    } else if (ch === '?') {
      out.push({ t: 'any' });
      i++;
    } else if (ch === '[') {
      const parsed = parseClass(source, i);
      if (parsed) {
        out.push(parsed.node);
        i = parsed.end;
      } else {
        out.push({ t: 'char', c: source.charCodeAt(i) });
        i++;
      }
    } else if (ch === '{') {
      const parsed = parseBraces(source, i);
      if (parsed) {
        const after = parsed.end === source.length ? endsSegment : source[parsed.end] === '/';
        out.push({ t: 'alt', alternatives: parsed.parts.map((p) => parseSequence(p, startsName, after, true)) });
        i = parsed.end;
      } else {
        out.push({ t: 'char', c: source.charCodeAt(i) });
        i++;
      }
    } else if (ch === '(' || ch === ')') {
      throw new GlobSyntaxError('uses parentheses, which are not glob syntax here (no extended globs such as `@(a|b)` or `+(a)`): write `{a,b}` for alternatives, or `[(]` and `[)]` for literal parentheses');
    } else {
      out.push({ t: 'char', c: source.charCodeAt(i) });
      i++;
    }
  }
  return out;
}

/** `[...]` at `start`, or undefined when it does not close (then `[` is a literal). */
function parseClass(source: string, start: number): { node: Node; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (source[i] === '!' || source[i] === '^') {
    negated = true;
    i++;
  }
  const members: number[] = [];
  let first = true;
  while (i < source.length) {
    let ch = source[i];
    if (ch === ']' && !first) {
      const ranges: number[] = [];
      for (let k = 0; k < members.length; k++) {
        if (members[k + 1] === -1 && k + 2 < members.length) {
          if (members[k] > members[k + 2]) {
            throw new GlobSyntaxError(`has the range \`${String.fromCharCode(members[k])}-${String.fromCharCode(members[k + 2])}\` backwards in \`[...]\`: write the lower character first`);
          }
          ranges.push(members[k], members[k + 2]);
          k += 2;
        } else {
          const c = members[k] === -1 ? 0x2d : members[k];
          ranges.push(c, c);
        }
      }
      return { node: { t: 'class', negated, ranges }, end: i + 1 };
    }
    first = false;
    if (ch === '[' && source[i + 1] === ':') {
      throw new GlobSyntaxError('uses a character class such as `[[:alpha:]]`, which is not supported: list the characters, as in `[a-zA-Z]`');
    }
    if (ch === '\\' && i + 1 < source.length) {
      i++;
      ch = source[i];
      members.push(source.charCodeAt(i));
    } else {
      // An unescaped `-` between two members makes a range; -1 marks it.
      members.push(ch === '-' ? -1 : source.charCodeAt(i));
    }
    i++;
  }
  return undefined;
}

/** `{a,b}` at `start`: its top-level parts, or undefined when it is no set (then `{` is a literal). */
function parseBraces(source: string, start: number): { parts: string[]; end: number } | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        if (commas.length === 0) {
          if (/^\{[^{},]*\.\.[^{},]*\}$/.test(source.slice(start, i + 1))) {
            throw new GlobSyntaxError('uses a range such as `{1..3}`, which is not supported: list the alternatives, as in `{1,2,3}`');
          }
          return undefined;
        }
        const bounds = [start, ...commas, i];
        const parts: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) parts.push(source.slice(bounds[k] + 1, bounds[k + 1]));
        return { parts, end: i + 1 };
      }
    } else if (ch === ',' && depth === 1) {
      commas.push(i);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The automaton

const EPSILON = 0;
/** Consumes one character that passes `test`. */
const CONSUME = 1;
const ACCEPT = 2;
/** Passes to its one target unless the next character is a dot (and `dot` is off). */
const GUARD_NO_DOT = 3;
/** Passes to its one target unless the path has ended. */
const GUARD_NOT_END = 4;

interface State {
  type: number;
  /** CONSUME: the state after the character. */
  next: number;
  /** EPSILON: the states reached without reading. */
  targets: number[];
  /** CONSUME: the character read (a code unit), or ANY_BUT_SLASH, or IN_CLASS (then `inClass`). */
  code: number;
  inClass?: (c: number) => boolean;
  /** A character of `**`: it does not read a dot that starts a name (unless `dot`). */
  wild: boolean;
}

const ANY_BUT_SLASH = -1;
const IN_CLASS = -2;

class Builder {
  readonly states: State[] = [];

  add(type: number, next: number, targets: number[], code = ANY_BUT_SLASH, wild = false, inClass?: (c: number) => boolean): number {
    this.states.push({ type, next, targets, code, wild, inClass });
    return this.states.length - 1;
  }

  /** Fills in a state made earlier as a placeholder (loops point back at it). */
  set(index: number, type: number, next: number, targets: number[], code = ANY_BUT_SLASH, wild = false): void {
    this.states[index] = { type, next, targets, code, wild };
  }

  /** The start state of `nodes` followed by `next`. */
  sequence(nodes: readonly Node[], next: number): number {
    let at = next;
    for (let i = nodes.length - 1; i >= 0; i--) at = this.node(nodes[i], at);
    return at;
  }

  private node(n: Node, next: number): number {
    switch (n.t) {
      case 'char': {
        return this.add(CONSUME, next, [], n.c);
      }
      case 'any':
        return this.add(CONSUME, next, []);
      case 'guard':
        return this.add(n.test === 'no-dot' ? GUARD_NO_DOT : GUARD_NOT_END, -1, [next]);
      case 'class': {
        const { ranges, negated } = n;
        const inClass = (x: number): boolean => {
          for (let k = 0; k < ranges.length; k += 2) if (x >= ranges[k] && x <= ranges[k + 1]) return true;
          return false;
        };
        return this.add(CONSUME, next, [], IN_CLASS, false, negated ? (x) => x !== SLASH && !inClass(x) : inClass);
      }
      case 'star': {
        const loop = this.add(EPSILON, -1, []);
        const one = this.add(CONSUME, loop, []);
        this.set(loop, EPSILON, -1, [one, next]);
        return loop;
      }
      case 'alt':
        return this.add(EPSILON, -1, n.alternatives.map((a) => this.sequence(a, next)));
      case 'globstar':
        return this.globstar(n.form, next);
    }
  }

  private globstar(form: GlobstarForm, next: number): number {
    const entry = this.add(EPSILON, -1, []);
    const first = this.add(CONSUME, -1, [], ANY_BUT_SLASH, true);
    const rest = this.add(EPSILON, -1, []);
    const more = this.add(CONSUME, rest, [], ANY_BUT_SLASH, true);
    const slash = this.add(CONSUME, -1, [], SLASH);
    if (form === 'prefix') {
      this.set(entry, EPSILON, -1, [first, next]);
      this.set(first, CONSUME, rest, [], ANY_BUT_SLASH, true);
      this.set(rest, EPSILON, -1, [more, slash]);
      this.set(slash, CONSUME, entry, [], SLASH);
    } else if (form === 'suffix' || form === 'suffix-some') {
      this.set(entry, EPSILON, -1, [slash, next]);
      this.set(slash, CONSUME, first, [], SLASH);
      this.set(first, CONSUME, rest, [], ANY_BUT_SLASH, true);
      this.set(rest, EPSILON, -1, [more, entry]);
      if (form === 'suffix-some') return slash;
    } else {
      this.set(entry, EPSILON, -1, [first]);
      this.set(first, CONSUME, rest, [], ANY_BUT_SLASH, true);
      this.set(rest, EPSILON, -1, [more, slash, next]);
      this.set(slash, CONSUME, first, [], SLASH);
    }
    return entry;
  }
}

/**
 * Compiles a glob into a matcher of `/`-separated paths. Throws GlobSyntaxError for a pattern it
 * refuses (too long, or syntax it does not support); config.ts turns that into a finding.
 */
export function compileGlob(pattern: string, options: GlobOptions = {}): (path: string) => boolean {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobSyntaxError(`is ${pattern.length} characters long; a pattern may have at most ${MAX_GLOB_LENGTH}`);
  let body = pattern;
  let negated = false;
  while (body.startsWith('!') && body.length > 1) {
    negated = !negated;
    body = body.slice(1);
  }
  while (body.startsWith('./')) body = body.slice(2);
  const nodes = parseSequence(body, true, true, false);
  // picomatch reads these two whole patterns by a shortcut (not when negated) in which the last `*` is never empty.
  if (!negated && /^(?:\*\*\/)?\*\.\*$/.test(body)) nodes.splice(nodes.length - 1, 0, { t: 'guard', test: 'not-end' });
  const builder = new Builder();
  const accept = builder.add(ACCEPT, -1, []);
  const start = builder.sequence(nodes, accept);
  const states = builder.states;
  const dot = options.dot ?? false;
  const count = states.length;
  const types = Int8Array.from(states, (st) => st.type);
  const codes = Int32Array.from(states, (st) => st.code);
  const nexts = Int32Array.from(states, (st) => st.next);
  const wilds = Uint8Array.from(states, (st) => (st.wild ? 1 : 0));
  // The epsilon targets of state s are targets[targetStart[s] .. targetStart[s + 1]).
  const targetStart = new Int32Array(count + 1);
  const flat: number[] = [];
  states.forEach((st, k) => {
    targetStart[k] = flat.length;
    flat.push(...st.targets);
  });
  targetStart[count] = flat.length;
  const targets = Int32Array.from(flat);
  const stack = new Int32Array(count);
  // Two state lists swapped at each character; `mark` holds the step that last added a state.
  let current = new Int32Array(count);
  let following = new Int32Array(count);
  const mark = new Int32Array(count);
  let runs = 0;

  let top = 0;
  /**
   * Adds to `list` (from `length` on) every consuming or accepting state reachable without
   * reading from the states on the stack; each state is visited once per step, so a step costs
   * at most the size of the automaton.
   */
  const close = (list: Int32Array, length: number, step: number, dotAhead: boolean, atEnd: boolean): number => {
    while (top > 0) {
      const at = stack[--top];
      const type = types[at];
      if (type === CONSUME || type === ACCEPT) {
        list[length++] = at;
      } else if (type === EPSILON || (type === GUARD_NO_DOT && !dotAhead) || (type === GUARD_NOT_END && !atEnd)) {
        for (let j = targetStart[at], e = targetStart[at + 1]; j < e; j++) {
          const t = targets[j];
          if (mark[t] !== step) {
            mark[t] = step;
            stack[top++] = t;
          }
        }
      }
    }
    return length;
  };
  const run = (path: string): boolean => {
    // Steps are numbered across runs, so `mark` needs no clearing.
    if (runs > 0x3fffffff - path.length) {
      mark.fill(0);
      runs = 0;
    }
    const base = runs + 1;
    runs += path.length + 1;
    mark[start] = base;
    stack[top++] = start;
    let length = close(current, 0, base, !dot && path.charCodeAt(0) === DOT, path.length === 0);
    for (let i = 0; i < path.length && length > 0; i++) {
      const c = path.charCodeAt(i);
      const blocksWildcards = !dot && c === DOT && (i === 0 || path.charCodeAt(i - 1) === SLASH);
      const step = base + i + 1;
      for (let k = 0; k < length; k++) {
        const s = current[k];
        if (types[s] !== CONSUME || (blocksWildcards && wilds[s] === 1)) continue;
        const code = codes[s];
        if (code >= 0 ? code !== c : code === ANY_BUT_SLASH ? c === SLASH : !states[s].inClass!(c)) continue;
        const t = nexts[s];
        if (mark[t] !== step) {
          mark[t] = step;
          stack[top++] = t;
        }
      }
      const nextLength = close(following, 0, step, !dot && path.charCodeAt(i + 1) === DOT, i + 1 === path.length);
      const swap = current;
      current = following;
      following = swap;
      length = nextLength;
    }
    for (let k = 0; k < length; k++) if (types[current[k]] === ACCEPT) return true;
    return false;
  };
  // A pattern with nothing special is a plain comparison.
  const literal = /^[^*?[{\\!]*$/.test(body) ? body : undefined;
  if (literal !== undefined && !negated) return (path) => path === literal;
  // The literal characters a match must end with (`.fountain` of `**/*.fountain`): most paths
  // fail there, without running the automaton.
  let suffix = '';
  for (let k = nodes.length - 1; k >= 0 && nodes[k].t === 'char'; k--) suffix = String.fromCharCode((nodes[k] as { c: number }).c) + suffix;
  const matches = (path: string): boolean => path !== '' && (suffix === '' || path.endsWith(suffix)) && run(path);
  return negated ? (path) => path !== '' && !matches(path) : matches;
}

/** Why `pattern` would be refused, or undefined when it compiles. */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (e) {
    if (e instanceof GlobSyntaxError) return e.message;
    throw e;
  }
}
