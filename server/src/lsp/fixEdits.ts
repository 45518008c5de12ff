// Turns the core's FixDescriptors (plain data) into text edits. Pure functions over the parsed
// document: no LSP connection here, so the tests apply the edits and re-lint without a server.
//
// Edit text is written in snippet syntax (`approval: ${1:reference}`); the code action provider
// sends it as a SnippetTextEdit when the client supports those, and as plain text otherwise
// (`snippetToPlain`: the placeholder text stays, so the user sees what to fill in).

import { adapterFor, type HostAdapter } from '../core/hosts/index.js';
import { at, escapeSnippet, pos, snippetToPlain, type FixEdit } from '../core/hosts/text-edits.js';
import type { LineIndex } from '../core/line-index.js';
import type { Finding, FixDescriptor, ParsedDocument, Range, Tag, TagField } from '../core/types.js';
import { kindInfo } from '../core/vocabulary.js';

export { escapeSnippet, snippetToPlain, type FixEdit };

export interface PlannedFix {
  title: string;
  edits: FixEdit[];
  isPreferred: boolean;
  /** Safe for `source.fixAll.ai-use`: unambiguous and needs no input from the user. */
  safe: boolean;
}

export interface FixContext {
  doc: ParsedDocument;
  index: LineIndex;
  /** Disclosure templates by name (ResolvedConfig.disclosures). */
  disclosures: Record<string, string>;
  /**
   * Lints another version of the document with the same settings. When given, quick-fixes are
   * tried before they are offered: a fix that leaves its finding standing is not offered while
   * another one resolves it (SPEC §6: applying a fix removes its diagnostic).
   */
  recheck?: (text: string) => readonly Finding[];
  /** The document's current findings, to compare with a recheck. */
  findings?: readonly Finding[];
}

export const CUE_SHEET_TITLE = 'GenAI cue sheet';
export const CUE_SHEET_COLUMNS = ['Timecode', 'Description', 'Tool', 'Prompt', 'Source', 'Source rights'];

// ---------------------------------------------------------------------------------------------
// Snippet syntax

export function hasTabStops(snippet: string): boolean {
  return /(^|[^\\])\$(\d|\{\d)/.test(snippet);
}

/** Renumbers the tab stops of a snippet value from `first`, so two values in one edit do not clash. */
function renumber(snippet: string, first: number): string {
  return snippet.replace(/(^|[^\\])\$(\{?)(\d+)/g, (_m, pre: string, brace: string, n: string) => `${pre}$${brace}${Number(n) + first - 1}`);
}

// ---------------------------------------------------------------------------------------------
// Small helpers over the text

function hostOf(doc: ParsedDocument): HostAdapter {
  return adapterFor(doc.format);
}

function contains(range: Range, p: { line: number; character: number }): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function fieldValue(tag: Tag, key: string): string | undefined {
  const value = tag.fields.find((f) => f.key === key)?.value;
  return value === undefined || value === '' ? undefined : value;
}

// ---------------------------------------------------------------------------------------------
// Edits inside a tag

/** The field a fix is about: the one under the finding when several share the key. */
function findField(tag: Tag, key: string, near?: Range): TagField | undefined {
  const fields = tag.fields.filter((f) => f.key === key);
  if (near) {
    const under = fields.find((f) => contains(f.range, near.start) || contains(f.keyRange, near.start));
    if (under) return under;
  }
  return fields[0];
}

/** Inserts `key: value` (value in snippet syntax) after the tag's last field. */
export function addFieldEdit(tag: Tag, key: string, valueSnippet: string, ctx: FixContext): FixEdit {
  const edit = addFieldRaw(tag, key, valueSnippet, ctx);
  return { range: edit.range, snippet: hostOf(ctx.doc).write.text(edit.snippet) };
}

function addFieldRaw(tag: Tag, key: string, valueSnippet: string, ctx: FixContext): FixEdit {
  const { index, doc } = ctx;
  const fields = tag.fields;
  const last = fields[fields.length - 1];
  const entry = `${escapeSnippet(key)}: ${valueSnippet}`;
  if (!last) {
    // `[[ai:]]`: right after the marker's colon.
    const colon = doc.text.indexOf(':', index.offsetAt(tag.markerRange.end));
    return { range: pos(index, colon + 1), snippet: ` ${entry}` };
  }
  // A quote left open runs to the end of the tag and would swallow the new field: close it where
  // it ends now, which keeps its value as it reads.
  const close = hasOpenQuote(last, ctx) ? '"' : '';
  const previous = fields[fields.length - 2];
  // One field per line: keep that layout, with the last field's indentation.
  if (previous && previous.range.end.line < last.range.start.line && hostOf(doc).write.fieldPerLine) {
    const lineText = index.lineText(last.range.start.line);
    const indent = lineText.slice(0, last.range.start.character);
    if (indent.trim() === '') {
      return { range: { start: last.range.end, end: last.range.end }, snippet: `${close}${index.eol}${indent}${entry}` };
    }
  }
  return { range: { start: last.range.end, end: last.range.end }, snippet: `${close}; ${entry}` };
}

/** A field that opens a quote and never closes it (tag.ts reads it to the end of the tag). */
function hasOpenQuote(field: TagField, ctx: FixContext): boolean {
  const text = ctx.doc.text;
  const offset = (p: Range['start']) => ctx.index.offsetAt(p);
  // A quote opens a value, or a field without a colon (then it is all key range; no key starts with one).
  const start = [offset(field.valueRange.start), offset(field.keyRange.start)].find((o) => text.charCodeAt(o) === 34);
  if (start === undefined) return false;
  const end = offset(field.range.end);
  // A closed quote ends the field with its closing `"`; an open one ends wherever the text does.
  return end - start === 1 || text.charCodeAt(end - 1) !== 34;
}

function setValueEdits(tag: Tag, key: string, valueSnippet: string, ctx: FixContext, near?: Range): FixEdit[] {
  const field = findField(tag, key, near);
  if (!field) return [addFieldEdit(tag, key, valueSnippet, ctx)];
  const empty = field.valueRange.start.line === field.valueRange.end.line && field.valueRange.start.character === field.valueRange.end.character;
  const text = hostOf(ctx.doc).write.text;
  if (field.rawKey === '' && key === 'kind') return [{ range: field.valueRange, snippet: text(valueSnippet) }];
  return [{ range: field.valueRange, snippet: text(empty ? ` ${valueSnippet}` : valueSnippet) }];
}

/** Adds an item to a list field; `none` goes, since it contradicts any other item. */
function addListItemEdits(tag: Tag, key: string, itemSnippet: string, ctx: FixContext, near?: Range): FixEdit[] {
  const field = findField(tag, key, near);
  if (!field) return [addFieldEdit(tag, key, itemSnippet, ctx)];
  const plainItem = snippetToPlain(itemSnippet).toLowerCase();
  const items = field.items.map((i) => i.text);
  if (items.some((i) => i.toLowerCase() === plainItem)) return [];
  const kept = items.filter((i) => i.toLowerCase() !== 'none');
  const quoted = ctx.doc.text.charCodeAt(ctx.index.offsetAt(field.valueRange.start)) === 34;
  if (kept.length === items.length && kept.length > 0 && !quoted) {
    const lastItem = field.items[field.items.length - 1];
    return [{ range: { start: lastItem.range.end, end: lastItem.range.end }, snippet: hostOf(ctx.doc).write.text(`, ${itemSnippet}`) }];
  }
  const list = [...kept.map(escapeSnippet), itemSnippet].join(', ');
  return setValueEdits(tag, key, list, ctx, near);
}

/** Removes a field with the separator before it (or after it, for the first field). */
function removeFieldEdits(tag: Tag, key: string, ctx: FixContext, near?: Range): FixEdit[] {
  const field = findField(tag, key, near);
  if (!field) return [];
  const i = tag.fields.indexOf(field);
  const previous = tag.fields[i - 1];
  const next = tag.fields[i + 1];
  if (previous) return [{ range: { start: previous.range.end, end: field.range.end }, snippet: '' }];
  if (next) return [{ range: { start: field.range.start, end: next.range.start }, snippet: '' }];
  return [{ range: field.range, snippet: '' }];
}

// ---------------------------------------------------------------------------------------------
// Text taken from the tag for disclosures and the cue sheet

/** Fills `{tool}`, `{kind}`, `{subject}`, `{timecode}` from the tag; a missing one becomes a tab stop. */
/**
 * Text from a template or a tag, made inert for the line it goes into: one line, and no `[[`, `]]`,
 * `/*`, `*\/`, `<!--` or `-->` that would open a note, a boneyard or a comment there (a boneyard
 * opened by a tool's name would hide the rest of the script), with a space between the characters.
 */
export function inert(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/<!--/g, '<!- -')
    .replace(/-->/g, '- ->')
    .replace(/\[\[|\]\]|\/\*|\*\//g, (m) => `${m[0]} ${m[1]}`);
}

export function fillTemplate(template: string, tag: Tag | undefined, firstStop = 1): string {
  let stop = firstStop;
  const parts = template.split(/(\{[a-z-]+\})/g);
  return parts
    .map((part) => {
      const m = /^\{([a-z-]+)\}$/.exec(part);
      if (!m) return escapeSnippet(inert(part));
      const name = m[1];
      const value = tag ? (name === 'kind' ? tag.kind : fieldValue(tag, name)) : undefined;
      return value !== undefined ? escapeSnippet(inert(value)) : `\${${stop++}:${name}}`;
    })
    .join('');
}

function tableCell(value: string | undefined): string {
  return inert(value ?? '').replace(/\|/g, '\\|').trim();
}

function cueSheetDescription(tag: Tag): string {
  const kind = tag.kind ?? 'AI use';
  const description = kindInfo(tag.kind)?.description;
  const subject = fieldValue(tag, 'subject');
  const where = tag.scene ?? tag.section;
  return [description ? `${kind}: ${description}` : kind, subject ? `(${subject})` : '', where ? `, ${where}` : '']
    .filter((s) => s !== '')
    .join(' ')
    .replace(/ ,/g, ',');
}

function cueSheetRow(tag: Tag): string {
  const cells = [
    fieldValue(tag, 'timecode'),
    cueSheetDescription(tag),
    fieldValue(tag, 'tool'),
    fieldValue(tag, 'prompt'),
    fieldValue(tag, 'source'),
    fieldValue(tag, 'source-rights'),
  ];
  return `| ${cells.map(tableCell).join(' | ')} |`;
}

function cueSheetHeader(eol: string): string {
  return `| ${CUE_SHEET_COLUMNS.join(' | ')} |${eol}|${CUE_SHEET_COLUMNS.map(() => '---').join('|')}|`;
}

// ---------------------------------------------------------------------------------------------
// Edits outside the tag: written by the document's host adapter (server/src/core/hosts/)

/** The row for `tag` in the document's GenAI cue sheet, where its format keeps one. */
function cueSheetEdits(tag: Tag, ctx: FixContext): FixEdit[] | undefined {
  const eol = ctx.index.eol;
  return hostOf(ctx.doc).write.cueSheetRow(escapeSnippet(cueSheetRow(tag)), escapeSnippet(cueSheetHeader(eol)), CUE_SHEET_TITLE, ctx);
}

/** A line from the `credits` template under a Credits section, created at the end when missing. */
function creditsEdits(tag: Tag, ctx: FixContext): FixEdit[] | undefined {
  const text = fillTemplate(ctx.disclosures.credits ?? 'Created with {tool} (generative AI)', tag);
  return hostOf(ctx.doc).write.creditsLine(text, ctx);
}

function disclosureEdits(tag: Tag, template: string, ctx: FixContext): FixEdit[] | undefined {
  const text = fillTemplate(ctx.disclosures[template] ?? template, tag);
  return hostOf(ctx.doc).write.disclosure(tag, text, ctx);
}

/** A guess at the kind of an untagged mention, from the tool named or the words around it. */
export function guessKind(mention: string, context: string): string {
  const m = mention.toLowerCase();
  const byTool: [RegExp, string][] = [
    [/midjourney|dall|stable diffusion|firefly|flux/, 'image.generated'],
    [/sora|runway|veo|kling/, 'video.generated'],
    [/elevenlabs|respeecher/, 'audio.voice-synthetic'],
    [/suno|udio/, 'audio.music'],
    [/heygen|synthesia/, 'performer.synthetic'],
    [/topaz/, 'video.enhanced'],
    [/chatgpt|gpt|claude|gemini/, 'text.ideation'],
  ];
  for (const [pattern, kind] of byTool) if (pattern.test(m)) return kind;
  const c = context.toLowerCase();
  const byWords: [RegExp, string][] = [
    [/\bvoice|\bnarrat/, 'audio.voice-synthetic'],
    [/\bmusic|\bscore\b|\bsong/, 'audio.music'],
    [/\bvideo|\bfootage|\bshot\b|\bclip\b/, 'video.generated'],
    [/\bimage|\bphoto|\bpicture|\bstill\b|\bposter|\bportrait/, 'image.generated'],
    [/\bscript|\bdialogue|\bscene\b|\bdraft/, 'text.draft'],
  ];
  for (const [pattern, kind] of byWords) if (pattern.test(c)) return kind;
  return 'text.ideation';
}

/** Known tool names as the mention spells them; anything else (a phrase) leaves `tool` to fill. */
function toolFromMention(mention: string): string | undefined {
  return /generat|generative|deep ?fake/i.test(mention) ? undefined : mention.trim();
}

/** "Tag this as AI use": a tag right after the mention, in the host's tag form. */
function tagMentionEdits(finding: Finding, ctx: FixContext): FixEdit[] | undefined {
  const { index, doc } = ctx;
  const start = index.offsetAt(finding.range.start);
  const end = index.offsetAt(finding.range.end);
  const mention = doc.text.slice(start, end);
  const line = index.lineText(finding.range.start.line);
  const kind = guessKind(mention, line);
  const tool = toolFromMention(mention);
  const body = `ai: \${1:${escapeSnippet(kind)}}; tool: ${tool ? `\${2:${escapeSnippet(tool)}}` : '${2:tool}'}`;
  const tag = hostOf(doc).write.tag(body);
  return tag === undefined ? undefined : [{ range: { start: finding.range.end, end: finding.range.end }, snippet: ` ${tag}` }];
}

// ---------------------------------------------------------------------------------------------
// One descriptor

function titleFor(fix: FixDescriptor, ctx: FixContext, tag: Tag | undefined): string {
  if (fix.title) return fix.title;
  switch (fix.type) {
    case 'add-field':
      return `Add "${fix.key}: ${snippetToPlain(fix.value)}"`;
    case 'set-value':
      return `Set ${fix.key} to "${snippetToPlain(fix.value)}"`;
    case 'add-list-item':
      return `Add "${snippetToPlain(fix.value)}" to ${fix.key}`;
    case 'remove-field':
      return `Remove ${fix.key}`;
    case 'insert-disclosure':
      return `Insert on-screen disclosure "${snippetToPlain(fillTemplate(ctx.disclosures[fix.template] ?? fix.template, tag))}"`;
    case 'cue-sheet-row':
      return `Add a row for this use to the ${CUE_SHEET_TITLE}`;
    case 'credits-line':
      return `Add a credits line "${snippetToPlain(fillTemplate(ctx.disclosures.credits ?? '', tag))}"`;
    case 'replace':
      return `Change to "${fix.with}"`;
    case 'tag-mention':
      return 'Tag this as AI use';
  }
}

/** Marks on the tag's `disclosure` list how the use is now disclosed (no edit when it says so). */
function recordDisclosure(tag: Tag, how: string, ctx: FixContext): FixEdit[] {
  return addListItemEdits(tag, 'disclosure', how, ctx);
}

/** The edits outside the tag and the tag's record of them; nothing when the format has no place for them. */
function withRecord(outside: FixEdit[] | undefined, record: () => FixEdit[]): FixEdit[] | undefined {
  return outside === undefined ? undefined : [...outside, ...record()];
}

function editsFor(fix: FixDescriptor, finding: Finding, tag: Tag | undefined, ctx: FixContext): FixEdit[] | undefined {
  switch (fix.type) {
    case 'replace':
      return [{ range: finding.range, snippet: hostOf(ctx.doc).write.text(escapeSnippet(fix.with)) }];
    case 'tag-mention':
      return tagMentionEdits(finding, ctx);
    default:
      break;
  }
  if (!tag) return undefined;
  switch (fix.type) {
    case 'add-field':
      // `consent: none` present and a consent reference wanted: replace rather than duplicate.
      return findField(tag, fix.key, finding.range) ? setValueEdits(tag, fix.key, fix.value, ctx, finding.range) : [addFieldEdit(tag, fix.key, fix.value, ctx)];
    case 'set-value':
      return setValueEdits(tag, fix.key, fix.value, ctx, finding.range);
    case 'add-list-item':
      return addListItemEdits(tag, fix.key, fix.value, ctx, finding.range);
    case 'remove-field':
      return removeFieldEdits(tag, fix.key, ctx, finding.range);
    case 'insert-disclosure':
      return withRecord(disclosureEdits(tag, fix.template, ctx), () => recordDisclosure(tag, fix.template in ctx.disclosures ? fix.template : 'on-screen', ctx));
    case 'cue-sheet-row':
      return withRecord(cueSheetEdits(tag, ctx), () => recordDisclosure(tag, 'cue-sheet', ctx));
    case 'credits-line':
      return withRecord(creditsEdits(tag, ctx), () => recordDisclosure(tag, 'credits', ctx));
  }
}

/** The quick-fixes a finding's descriptors turn into, in the finding's order. */
export function planFixes(finding: Finding, ctx: FixContext): PlannedFix[] {
  const tag = finding.tagIndex === undefined ? undefined : ctx.doc.tags[finding.tagIndex];
  const planned: PlannedFix[] = [];
  const single = finding.fixes.length === 1;
  for (const fix of finding.fixes) {
    let edits: FixEdit[] | undefined;
    try {
      edits = editsFor(fix, finding, tag, ctx);
    } catch {
      edits = undefined; // a descriptor that does not fit this document is not offered
    }
    if (!edits || edits.length === 0) continue;
    planned.push({
      title: titleFor(fix, ctx, tag),
      edits,
      isPreferred: single,
      safe: single && fix.type === 'replace',
    });
  }
  const combined = addAllFieldsFix(finding, tag, ctx) ?? combinedFieldFix(finding, tag, ctx);
  if (combined) planned.unshift(combined);
  return keepResolving(planned, finding, ctx);
}

const SEVERITY_RANK = { hint: 0, info: 1, warning: 2, error: 3 } as const;

/**
 * Tries each fix on a copy of the text. Some rules need two things (approval AND cleared rights)
 * and list one fix for each: alone, each leaves the finding standing. When at least one fix
 * resolves the finding (it is gone, or down to the lower severity the rule gives a resolved
 * case), only those are offered; when none does, all are, none preferred.
 */
function keepResolving(planned: PlannedFix[], finding: Finding, ctx: FixContext): PlannedFix[] {
  if (!ctx.recheck || !ctx.findings || finding.tagIndex === undefined || planned.length === 0) return planned;
  const resolves = planned.map((fix) => fixResolves(fix, finding, ctx) !== false);
  const resolving = planned.filter((_, i) => resolves[i]);
  if (resolving.length === 0) return planned.map((fix) => ({ ...fix, isPreferred: false }));
  return resolving.map((fix) => ({ ...fix, isPreferred: resolving.length === 1 || fix.isPreferred }));
}

/**
 * Whether applying `fix` makes `finding` go (fewer findings of its rule on its tag, or only
 * milder ones), tried on a copy of the text; undefined when the context cannot recheck.
 */
export function fixResolves(fix: PlannedFix, finding: Finding, ctx: FixContext): boolean | undefined {
  if (!ctx.recheck || !ctx.findings) return undefined;
  const same = (f: Finding) => f.ruleId === finding.ruleId && f.tagIndex === finding.tagIndex;
  const before = ctx.findings.filter(same);
  const worst = (list: readonly Finding[]) => Math.max(-1, ...list.map((f) => SEVERITY_RANK[f.severity]));
  try {
    const text = applyEdits(ctx.doc.text, ctx.index, fix.edits.map((e) => ({ range: e.range, newText: snippetToPlain(e.snippet) })));
    const after = ctx.recheck(text).filter(same);
    return after.length < before.length || worst(after) < worst(before);
  } catch {
    return false;
  }
}

type FieldFix = Extract<FixDescriptor, { type: 'add-field' | 'set-value' | 'add-list-item' }>;

/**
 * Rules whose finding needs two fields (an approval and cleared rights; an on-screen disclosure
 * and an approval) offer one fix per field. Each alone leaves the finding standing, so the
 * field fixes together are offered as one action too, first and preferred.
 */
function combinedFieldFix(finding: Finding, tag: Tag | undefined, ctx: FixContext): PlannedFix | undefined {
  if (!tag) return undefined;
  const byKey = new Map<string, FieldFix>();
  for (const fix of finding.fixes) {
    if ((fix.type === 'add-field' || fix.type === 'set-value' || fix.type === 'add-list-item') && !byKey.has(fix.key)) byKey.set(fix.key, fix);
  }
  if (byKey.size < 2) return undefined;
  const edits: FixEdit[] = [];
  const titles: string[] = [];
  let stop = 1;
  for (const fix of byKey.values()) {
    const value = renumber(fix.value, stop);
    stop += (fix.value.match(/(^|[^\\])\$\{?\d+/g) ?? []).length;
    const one = editsFor({ ...fix, value }, finding, tag, ctx) ?? [];
    if (one.length === 0) continue;
    if (editsOverlap([...edits, ...one])) return undefined;
    edits.push(...one);
    titles.push(titleFor(fix, ctx, tag));
  }
  if (titles.length < 2) return undefined;
  return { title: `Fix both: ${titles.join('; ')}`.replace(/^Fix both/, titles.length > 2 ? 'Fix all' : 'Fix both'), edits, isPreferred: true, safe: false };
}

/**
 * A finding that lists several missing fields (apa/cue-sheet-fields) offers one fix per field;
 * only all of them together resolve it, so that is offered too, first and preferred.
 */
function addAllFieldsFix(finding: Finding, tag: Tag | undefined, ctx: FixContext): PlannedFix | undefined {
  if (!tag) return undefined;
  const missing = finding.fixes.filter((f): f is Extract<FixDescriptor, { type: 'add-field' }> => f.type === 'add-field' && !findField(tag, f.key));
  if (missing.length < 2 || missing.length !== finding.fixes.length) return undefined;
  let stop = 1;
  const entries = missing.map((f) => {
    const value = renumber(f.value, stop);
    stop += (f.value.match(/(^|[^\\])\$\{?\d+/g) ?? []).length;
    return { key: f.key, value };
  });
  // One edit: the first field's separator and layout, the rest joined the same way.
  const first = addFieldRaw(tag, entries[0].key, entries[0].value, ctx);
  const lead = first.snippet.slice(0, first.snippet.length - `${escapeSnippet(entries[0].key)}: ${entries[0].value}`.length);
  const separator = /[\r\n]/.test(lead) ? lead : '; ';
  const rest = entries.slice(1).map((e) => `${separator}${escapeSnippet(e.key)}: ${e.value}`).join('');
  return {
    title: `Add ${missing.map((f) => f.key).join(', ')}`,
    edits: [{ range: first.range, snippet: hostOf(ctx.doc).write.text(first.snippet + rest) }],
    isPreferred: true,
    safe: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixes every finding gets

/** What a `waive` field cannot silence (engine.ts): the complaints about waivers themselves. */
const NOT_WAIVABLE: ReadonlySet<string> = new Set(['core/waiver-without-reason', 'core/unknown-rule']);

export function waiveFix(finding: Finding, ctx: FixContext): PlannedFix | undefined {
  const tag = finding.tagIndex === undefined ? undefined : ctx.doc.tags[finding.tagIndex];
  if (!tag || NOT_WAIVABLE.has(finding.ruleId)) return undefined;
  return {
    title: `Waive ${finding.ruleId} on this tag`,
    edits: [addFieldEdit(tag, 'waive', `${escapeSnippet(finding.ruleId)} -- \${1:reason}`, ctx)],
    isPreferred: false,
    safe: false,
  };
}

/** The line where a file-wide directive goes: after the Fountain title page or Markdown front matter. */
export function directiveLine(doc: ParsedDocument, index: LineIndex): number {
  return hostOf(doc).write.fileDirective('', { doc, index }).range.start.line;
}

/** A finding about an `ai-lint:` directive itself, which no directive silences (engine.ts). */
export function isAboutDirective(finding: Finding, doc: ParsedDocument): boolean {
  return finding.tagIndex === undefined && doc.directives.some((d) => contains(d.range, finding.range.start) && contains(d.range, finding.range.end));
}

export function disableForFileFix(finding: Finding, ctx: FixContext): PlannedFix {
  const write = hostOf(ctx.doc).write;
  const body = `ai-lint: disable-file ${escapeSnippet(finding.ruleId)} -- \${1:reason}`;
  const edit = write.fileDirective(write.directive(body), ctx);
  return { title: `Disable ${finding.ruleId} for this file`, edits: [edit], isPreferred: false, safe: false };
}

// ---------------------------------------------------------------------------------------------
// Applying edits (fix-all merges, tests)

function compare(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

/** True when no two edits overlap (inserts at one point are fine). */
export function editsOverlap(edits: readonly { range: Range }[]): boolean {
  const sorted = [...edits].sort((a, b) => compare(a.range, b.range));
  for (let i = 1; i < sorted.length; i++) {
    const prevEnd = sorted[i - 1].range.end;
    const start = sorted[i].range.start;
    if (start.line < prevEnd.line || (start.line === prevEnd.line && start.character < prevEnd.character)) return true;
  }
  return false;
}

/** Applies plain-text edits to `text` as an LSP client does (all ranges are into the original). */
export function applyEdits(text: string, index: LineIndex, edits: readonly { range: Range; newText: string }[]): string {
  const withOffsets = edits
    .map((e, order) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText, order }))
    .sort((a, b) => a.start - b.start || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const e of withOffsets) {
    out += text.slice(cursor, e.start) + e.text;
    cursor = Math.max(cursor, e.end);
  }
  return out + text.slice(cursor);
}

/**
 * The fixes `source.fixAll.ai-use` applies to a document, in order: every safe fix of every
 * finding, skipping one whose edits would overlap a fix already taken. The one choice for the
 * server's fix-all (codeActions.ts) and `ai-use check --fix` (cli/fix.ts).
 */
export function safeFixes(findings: readonly Finding[], ctx: FixContext): { finding: Finding; fix: PlannedFix }[] {
  const taken: FixEdit[] = [];
  const chosen: { finding: Finding; fix: PlannedFix }[] = [];
  for (const finding of findings) {
    for (const fix of planFixes(finding, ctx)) {
      if (!fix.safe || editsOverlap([...taken, ...fix.edits])) continue;
      taken.push(...fix.edits);
      chosen.push({ finding, fix });
    }
  }
  return chosen;
}
