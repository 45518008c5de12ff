// The Markdown host parser (SPEC §2, §2.3): AI-use tags and `ai-lint:` directives in HTML comments
// `<!-- ai: ... -->` and inline `[[ai: ...]]` notes, front matter metadata, headings as sections,
// and the prose spans the untagged-mention hint reads. remark builds the mdast; every position
// comes from its node offsets mapped through a LineIndex over the text as given, because mdast
// line/column are not LSP UTF-16 positions (tabs, a BOM and CRLF all skew them).

import type { Html, Nodes, Parent, Root, Yaml } from 'mdast';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkFrontmatter from 'remark-frontmatter';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { LineIndex } from './line-index.js';
import { isDirective, parseAnnotation } from './tag.js';
import { blameSyntaxError, removeDuplicateKeys } from './yaml-problems.js';
import type { Directive, MetadataEntry, OutlineNode, ParsedDocument, ParseProblem, Range, Span, Tag, TagHost } from './types.js';
import { GENAI_PHRASE_PATTERN, GENAI_TOOL_PATTERNS } from './vocabulary.js';

/**
 * GitHub Flavored Markdown as remark-gfm reads it (tables, footnotes, strikethrough, task lists)
 * except autolink literals: a bare URL would become a link around the same text, which this
 * reader takes as prose either way, and finding them was a third of remark's time on edit notes.
 */
function gfmWithoutAutolinkLiterals(this: Processor): void {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem());
  (data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown());
}

/** The remark processor this reader parses with (the bench's reference parses with it too). */
export const markdownProcessor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(gfmWithoutAutolinkLiterals).freeze();

const BOM = 0xfeff;
const TAG_MARKER = /ai(?:-lint)?[ \t]*:/i;
/** The untagged-mention patterns without their word boundaries: they match wherever a mention could. */
const TOOL_NAME = new RegExp(GENAI_TOOL_PATTERNS.map((p) => p.pattern).join('|'), 'u');
const AI_PHRASE = new RegExp(GENAI_PHRASE_PATTERN, 'iu');

/**
 * Cheap pre-check: false when the text cannot hold an `ai:` or `ai-lint:` marker, so callers may
 * skip the parse. It says nothing about front matter or untagged mentions.
 */
export function mightContainTags(text: string): boolean {
  return TAG_MARKER.test(text);
}

/**
 * True when no rule could fire on anything but the front matter (SPEC §8): no `ai:` or `ai-lint:`
 * marker (so no tag, directive or tag syntax problem) and no GenAI tool name or "AI-generated"
 * phrase (so no untagged mention). Three regular-expression scans, linear in the text.
 */
export function hasNothingToCheck(text: string): boolean {
  return !TAG_MARKER.test(text) && !TOOL_NAME.test(text) && !AI_PHRASE.test(text);
}

export interface MarkdownOptions {
  /**
   * Parse the whole text even when it has nothing to check. Without it such a text gets only its
   * front matter read: no tags, directives or prose, and its outline is parsed when first read.
   */
  full?: boolean;
}

/** Parses a Markdown document. Never throws: a failure becomes a problem on the document. */
export function parseMarkdown(text: string, options: MarkdownOptions = {}): ParsedDocument {
  const index = LineIndex.of(text);
  try {
    return new MarkdownReader(text, index).read(options.full === true);
  } catch (error) {
    return notCheckedMarkdown(text, `This Markdown file could not be read, so its AI-use tags were not checked: ${error instanceof Error ? error.message : String(error)}`, index.range(0, 0));
  }
}

/** A Markdown document that was not read: no tags, only the core/not-checked problem saying why. */
export function notCheckedMarkdown(text: string, message: string, range: Range): ParsedDocument {
  return {
    format: 'markdown',
    text,
    metadata: new Map(),
    tags: [],
    directives: [],
    outline: [],
    prose: [],
    problems: [{ ruleId: 'core/not-checked', severity: 'error', message, range }],
  };
}

/** Node kinds whose children are running text: inline tags are looked for in their source. */
type TextBlock = 'paragraph' | 'heading' | 'tableCell';

interface Visit {
  node: Nodes;
  parent?: Parent;
  /** Index of `node` in `parent.children`. */
  position: number;
  /** The block an inline tag or comment in this node annotates; set inside text blocks. */
  anchor?: Range;
}

class MarkdownReader {
  private readonly metadata = new Map<string, MetadataEntry>();
  private readonly tags: Tag[] = [];
  private readonly directives: Directive[] = [];
  private readonly outline: OutlineNode[] = [];
  private readonly prose: Span[] = [];
  private readonly problems: ParseProblem[] = [];
  /**
   * remark reads the text without its leading BOMs (all of them: micromark itself skips one more
   * without counting it in its offsets); this many code units come before its offset 0.
   */
  private readonly shift: number;
  private section: string | undefined;
  /** Spans of the inline `[[...]]` tags of the text block being walked, to cut out of prose. */
  private blockTagSpans: Span[] = [];
  private readonly commentOnly = new WeakMap<Nodes, boolean>();
  private readonly anchorAfter = new WeakMap<Nodes, Range | null>();

  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
  ) {
    let shift = 0;
    while (text.charCodeAt(shift) === BOM) shift++;
    this.shift = shift;
  }

  read(full: boolean): ParsedDocument {
    const body = this.shift ? this.text.slice(this.shift) : this.text;
    if (!full && hasNothingToCheck(body)) return this.readFrontMatterOnly(body);
    const root = markdownProcessor.parse(body) as Root;
    this.walk(root);
    // Inline notes of a block are read before the comments inside it: restore document order.
    this.tags.sort(byStart);
    this.directives.sort(byStart);
    return this.result();
  }

  /**
   * A text with nothing to check: remark reads only the front matter (the document's genre and
   * packs, and their problems), which is the same yaml node as in a full parse. The outline (for
   * document symbols) comes from a full parse, the first time something reads it.
   */
  private readFrontMatterOnly(body: string): ParsedDocument {
    const end = frontMatterEnd(body);
    if (end > 0) {
      const root = markdownProcessor.parse(body.slice(0, end)) as Root;
      for (const node of root.children) if (node.type === 'yaml') this.readFrontMatter(node);
    }
    const doc = this.result();
    const text = this.text;
    const settle = (outline: OutlineNode[]) => {
      Object.defineProperty(doc, 'outline', { value: outline, writable: true, enumerable: true, configurable: true });
      return outline;
    };
    Object.defineProperty(doc, 'outline', {
      enumerable: true,
      configurable: true,
      get: () => settle(parseMarkdown(text, { full: true }).outline),
      set: settle,
    });
    return doc;
  }

  private result(): ParsedDocument {
    return {
      format: 'markdown',
      text: this.text,
      metadata: this.metadata,
      tags: this.tags,
      directives: this.directives,
      outline: this.outline,
      prose: this.prose,
      problems: this.problems,
    };
  }

  private start(node: Nodes): number {
    return (node.position?.start.offset ?? 0) + this.shift;
  }

  private end(node: Nodes): number {
    return (node.position?.end.offset ?? 0) + this.shift;
  }

  private rangeOf(node: Nodes): Range {
    return this.index.range(this.start(node), this.end(node));
  }

  /** Document-order walk with an explicit stack: deeply nested quotes or lists cannot overflow it. */
  private walk(root: Root): void {
    const stack: Visit[] = [{ node: root, position: 0 }];
    while (stack.length > 0) {
      const visit = stack.pop()!;
      const { node } = visit;
      let anchor = visit.anchor;
      switch (node.type) {
        case 'code':
        case 'inlineCode':
          continue;
        case 'yaml':
          this.readFrontMatter(node);
          continue;
        case 'html':
          this.readComments(node, visit);
          continue;
        case 'text':
          this.addProse(this.start(node), this.end(node));
          continue;
        case 'heading':
          this.section = this.headingTitle(node);
          this.outline.push({ kind: 'section', title: this.section, level: node.depth, range: this.rangeOf(node) });
          anchor = this.rangeOf(node);
          this.readInlineTags(node, anchor);
          break;
        case 'paragraph':
          anchor = this.rangeOf(node);
          this.readInlineTags(node, anchor);
          break;
        case 'table':
          // Inserting a line inside a table would break it: tags in cells annotate the table.
          anchor = this.rangeOf(node);
          break;
        case 'tableCell':
          this.readInlineTags(node, anchor ?? this.rangeOf(node));
          break;
      }
      if ('children' in node) {
        const children = node.children as Nodes[];
        for (let i = children.length - 1; i >= 0; i--) {
          stack.push({ node: children[i], parent: node, position: i, anchor });
        }
      }
    }
  }

  // --- Front matter -------------------------------------------------------------------------

  private readFrontMatter(node: Yaml): void {
    const start = this.start(node);
    const end = this.end(node);
    // The YAML sits between the line after the opening `---` and the line of the closing one.
    let contentStart = start;
    while (contentStart < end && !isBreak(this.text.charCodeAt(contentStart))) contentStart++;
    if (this.text.charCodeAt(contentStart) === 13 && this.text.charCodeAt(contentStart + 1) === 10) contentStart++;
    contentStart++;
    let contentEnd = end;
    while (contentEnd > contentStart && !isBreak(this.text.charCodeAt(contentEnd - 1))) contentEnd--;
    if (contentEnd <= contentStart) return;
    const source = this.text.slice(contentStart, contentEnd);

    let doc: Document.Parsed;
    try {
      // Repeated keys are found by removeDuplicateKeys below, which keeps the first value, as the config does.
      doc = parseDocument(source, { prettyErrors: false, uniqueKeys: false });
    } catch (error) {
      this.frontMatterProblem(`The front matter is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, start, start + 3);
      return;
    }
    const errorOffsets: number[] = [];
    for (const error of doc.errors) {
      errorOffsets.push(error.pos[0]);
      const blame = blameSyntaxError(doc, error);
      // The first line of the message; the rest is yaml's excerpt of the source, which the editor shows anyway.
      const message = blame.message.split('\n')[0].replace(/\.$/, '');
      this.frontMatterProblem(`The front matter is not valid YAML: ${message}.`, contentStart + blame.start, contentStart + Math.max(blame.start, blame.end));
    }
    for (const dup of removeDuplicateKeys(doc)) {
      const firstLine = this.index.positionAt(contentStart + dup.first.range![0]).line + 1;
      this.frontMatterProblem(
        `Duplicate front matter key \`${dup.key}\` (first on line ${firstLine}): the first value is used. Delete one of them.`,
        contentStart + dup.node.range![0],
        contentStart + dup.node.range![1],
      );
    }
    const contents = doc.contents;
    if (contents === null) return;
    if (!isMap(contents)) {
      if (doc.errors.length === 0) {
        const [a, b] = contents.range ?? [0, 0];
        this.frontMatterProblem('The front matter should be `key: value` lines (a YAML mapping), such as `genre: documentary`.', contentStart + a, contentStart + trimEnd(source, a, b));
      }
      return;
    }
    const pairs = contents.items;
    for (let p = 0; p < pairs.length; p++) {
      const pair = pairs[p];
      const key = pair.key as YamlNode | null;
      if (!isScalar(key) || !key.range || key.value === null || key.value === undefined) continue;
      const value = this.metadataValue(doc, pair.value as YamlNode | null, source);
      if (!value) continue;
      const [vs, ve] = value.span;
      // Leave out what yaml only recovered from broken text: an error after this key, up to and
      // including the start of the next key (where yaml reports an unclosed value), is this
      // pair's. The problem above says what to fix.
      const keyStart = key.range[0];
      const nextKey = pairs[p + 1]?.key as YamlNode | null | undefined;
      const regionEnd = Math.max(nextKey?.range ? nextKey.range[0] : source.length, ve);
      if (errorOffsets.some((o) => (o > keyStart || (p === 0 && o === keyStart)) && o <= regionEnd)) continue;
      const keyText = String(key.value);
      const lower = keyText.toLowerCase();
      if (this.metadata.has(lower)) continue;
      const entry: MetadataEntry = {
        key: keyText,
        keyRange: this.index.range(contentStart + key.range[0], contentStart + key.range[1]),
        value: value.text,
        valueRange: this.index.range(contentStart + vs, contentStart + ve),
      };
      if (value.items) entry.items = value.items.map((item) => ({ value: item.text, range: this.index.range(contentStart + item.span[0], contentStart + item.span[1]) }));
      this.metadata.set(lower, entry);
    }
  }

  /** A scalar, or a list of scalars joined with ', '; undefined for a nested mapping. */
  private metadataValue(
    doc: Document.Parsed,
    node: YamlNode | null,
    source: string,
  ): { text: string; span: [number, number]; items?: { text: string; span: [number, number] }[] } | undefined {
    if (node === null || !node.range) return undefined;
    const span: [number, number] = [node.range[0], trimEnd(source, node.range[0], node.range[1])];
    let target: unknown = node;
    if (isAlias(node)) target = node.resolve(doc);
    if (isScalar(target)) return { text: scalarText(target, source), span };
    if (isSeq(target)) {
      // Item ranges let a reader report one bad item at its place without re-reading the source
      // (where the `- ` of a block list and comments would look like part of the value).
      const items: { text: string; span: [number, number] }[] = [];
      for (const item of target.items) {
        if (isScalar(item) && item.range) {
          const text = scalarText(item, source);
          if (text) items.push({ text, span: [item.range[0], trimEnd(source, item.range[0], item.range[1])] });
        }
      }
      return { text: items.map((i) => i.text).join(', '), span, items };
    }
    return undefined;
  }

  private frontMatterProblem(message: string, start: number, end: number): void {
    this.problems.push({ ruleId: 'core/invalid-front-matter', message, range: this.index.range(start, end) });
  }

  // --- HTML comments ------------------------------------------------------------------------

  /** Every `<!-- ... -->` in an html node, block-level or inline. */
  private readComments(node: Html, visit: Visit): void {
    const start = this.start(node);
    const source = this.text.slice(start, this.end(node));
    let from = 0;
    for (;;) {
      const open = source.indexOf('<!--', from);
      if (open < 0) break;
      // `<!-->` and `<!--->` are (empty) comments too, so the close may overlap the opener.
      const close = source.indexOf('-->', open + 2);
      const closed = close >= 0;
      const commentEnd = closed ? close + 3 : source.length;
      const contentEnd = closed ? Math.max(open + 4, close) : source.length;
      const range = this.index.range(start + open, start + commentEnd);
      const anchor = visit.anchor ?? (this.isCommentOnly(node) ? this.nextBlock(visit) ?? range : this.rangeOf(node));
      const annotation = this.annotate(start + open + 4, start + contentEnd, 'markdown-comment', range, anchor);
      if (annotation && !closed) {
        annotation.problems.push({
          ruleId: 'core/tag-syntax',
          message: 'This comment has no closing `-->`: it hides the rest of the block. Close it with `-->`.',
          range: this.index.range(start + open, start + open + 4),
        });
      }
      if (!closed) break;
      from = commentEnd;
    }
  }

  /** True when an html node holds nothing but comments and blanks: a standalone comment block. */
  private isCommentOnly(node: Nodes): boolean {
    if (node.type !== 'html') return false;
    const known = this.commentOnly.get(node);
    if (known !== undefined) return known;
    const source = this.text.slice(this.start(node), this.end(node));
    let result = true;
    let i = 0;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (isBlankCode(c)) {
        i++;
      } else if (source.startsWith('<!--', i)) {
        const close = source.indexOf('-->', i + 2);
        if (close < 0) break;
        i = close + 3;
      } else {
        result = false;
        break;
      }
    }
    this.commentOnly.set(node, result);
    return result;
  }

  /** The block after a standalone comment, past any other comment-only blocks; memoised per run. */
  private nextBlock(visit: Visit): Range | undefined {
    const parent = visit.parent;
    if (!parent) return undefined;
    const siblings = parent.children as Nodes[];
    const cached = this.anchorAfter.get(visit.node);
    if (cached !== undefined) return cached ?? undefined;
    let j = visit.position + 1;
    while (j < siblings.length && this.isCommentOnly(siblings[j])) j++;
    const result = j < siblings.length ? this.rangeOf(siblings[j]) : null;
    for (let k = visit.position; k < j; k++) this.anchorAfter.set(siblings[k], result);
    return result ?? undefined;
  }

  // --- Inline [[ai: ...]] notes -------------------------------------------------------------

  /** Finds `[[...]]` notes in a text block's source, outside its code spans and HTML. */
  private readInlineTags(block: Nodes & Parent, anchor: Range): void {
    this.blockTagSpans = [];
    const start = this.start(block);
    const source = this.text.slice(start, this.end(block));
    if (source.indexOf('[[') < 0) return;
    const skipped = this.skippedSpans(block, start);
    let skip = 0;
    let from = 0;
    for (;;) {
      const open = source.indexOf('[[', from);
      if (open < 0) break;
      while (skip < skipped.length && skipped[skip].end <= open) skip++;
      if (skip < skipped.length && skipped[skip].start <= open) {
        from = skipped[skip].end;
        continue;
      }
      if (isEscaped(source, open) || !findsMarker(source, open + 2)) {
        from = open + 1;
        continue;
      }
      // The note closes at the first `]]` that is not inside a code span or HTML.
      let close = source.indexOf(']]', open + 2);
      let s = skip;
      while (close >= 0) {
        while (s < skipped.length && skipped[s].end <= close) s++;
        if (s < skipped.length && skipped[s].start <= close) close = source.indexOf(']]', skipped[s].end);
        else break;
      }
      if (close < 0) {
        // No `]]` anywhere after: none of the later openers can close either.
        this.problems.push({
          ruleId: 'core/tag-syntax',
          message: 'This `[[ai: ...` note has no closing `]]` in its paragraph, so it is not read as a tag. Close it with `]]`.',
          range: this.index.range(start + open, start + open + 2),
        });
        break;
      }
      const range = this.index.range(start + open, start + close + 2);
      if (this.annotate(start + open + 2, start + close, 'markdown-inline', range, anchor)) {
        this.blockTagSpans.push({ start: start + open, end: start + close + 2 });
      }
      // Resume after the note either way, so each `]]` search covers new text (linear time).
      from = close + 2;
    }
  }

  /** Code spans and HTML inside a text block, in source order: never tags, never prose. */
  private skippedSpans(block: Parent, base: number): Span[] {
    const spans: Span[] = [];
    const stack: Nodes[] = [...(block.children as Nodes[])].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'inlineCode' || node.type === 'html') {
        spans.push({ start: this.start(node) - base, end: this.end(node) - base });
      } else if ('children' in node) {
        const children = node.children as Nodes[];
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      }
    }
    return spans;
  }

  // --- Tags, prose, headings ----------------------------------------------------------------

  /** Reads an annotation's content; records it and returns it when it is a tag or a directive. */
  private annotate(contentStart: number, contentEnd: number, host: TagHost, range: Range, anchor: Range): Tag | Directive | undefined {
    const annotation = parseAnnotation(this.text, contentStart, contentEnd, this.index, { host, range, anchor });
    if (!annotation) return undefined;
    if (isDirective(annotation)) {
      this.directives.push(annotation);
    } else {
      if (this.section !== undefined) annotation.section = this.section;
      this.tags.push(annotation);
    }
    return annotation;
  }

  /** Adds [start, end) to prose, minus the inline tags of the current text block. */
  private addProse(start: number, end: number): void {
    let s = start;
    for (const tag of this.blockTagSpans) {
      if (tag.end <= s || tag.start >= end) continue;
      if (tag.start > s) this.prose.push({ start: s, end: tag.start });
      s = Math.max(s, tag.end);
    }
    if (s < end) this.prose.push({ start: s, end });
  }

  /** The heading as shown: its text without HTML, with inline tags removed and blanks collapsed. */
  private headingTitle(heading: Parent): string {
    const parts: string[] = [];
    const stack: Nodes[] = [...(heading.children as Nodes[])].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'text' || node.type === 'inlineCode') parts.push(node.value);
      else if ('children' in node) {
        const children = node.children as Nodes[];
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
      }
    }
    return removeInlineNotes(parts.join('')).replace(/\s+/g, ' ').trim();
  }
}

/**
 * Where YAML front matter ends (just after its closing `---`), or 0 when the text has none: as
 * micromark-extension-frontmatter reads it, a `---` line at the very start and a closing `---`
 * line (each may end in blanks); without the closing line it is no front matter.
 */
function frontMatterEnd(body: string): number {
  const open = /^---[ \t]*(?:\r\n|\r|\n)/.exec(body);
  if (!open) return 0;
  const close = /^---[ \t]*$/;
  let i = open[0].length;
  while (i <= body.length) {
    let lineEnd = i;
    while (lineEnd < body.length && !isBreak(body.charCodeAt(lineEnd))) lineEnd++;
    if (close.test(body.slice(i, lineEnd))) return lineEnd;
    if (lineEnd >= body.length) return 0;
    i = lineEnd + (body.charCodeAt(lineEnd) === 13 && body.charCodeAt(lineEnd + 1) === 10 ? 2 : 1);
  }
  return 0;
}

function byStart(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function isBlankCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** End of [start, end) with trailing blanks dropped (yaml ranges of block values include the line break). */
function trimEnd(source: string, start: number, end: number): number {
  while (end > start && isBlankCode(source.charCodeAt(end - 1))) end--;
  return end;
}

/** A scalar's text: strings as parsed, other plain values (numbers, dates, booleans) as written. */
function scalarText(scalar: { value: unknown; range?: [number, number, number] | null }, source: string): string {
  if (typeof scalar.value === 'string') return scalar.value.trim();
  if (scalar.value === null || scalar.value === undefined) return '';
  if (scalar.range) return source.slice(scalar.range[0], scalar.range[1]).trim();
  return String(scalar.value);
}

/** An odd run of backslashes before `i` escapes the bracket: `\[[ai: x]]` is literal text. */
function isEscaped(source: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && source.charCodeAt(i - n - 1) === 92) n++;
  return n % 2 === 1;
}

/** Whether the text at `i` (after blanks) starts an `ai:` or `ai-lint:` marker. */
function findsMarker(source: string, i: number): boolean {
  while (i < source.length && isBlankCode(source.charCodeAt(i))) i++;
  return /^ai(?:-lint)?[ \t]*:/i.test(source.slice(i, i + 16));
}

/** Drops `[[ai...]]` notes from a short string (a heading title). */
function removeInlineNotes(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('[[', from);
    if (open < 0) break;
    const close = text.indexOf(']]', open + 2);
    if (close < 0) break;
    if (findsMarker(text, open + 2)) {
      out += text.slice(from, open);
    } else {
      out += text.slice(from, close + 2);
    }
    from = close + 2;
  }
  return out + text.slice(from);
}
