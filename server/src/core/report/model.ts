// The annotation report as plain data, built once from a project scan and rendered by one writer
// per format (html, markdown, csv, json, sarif). The JSON writer prints this model as it is, so the
// model is the documented contract of docs/report.schema.json: JSON-safe (null, never undefined),
// versioned, paths relative to the folder the report was made from, lines and columns 1-based.

import { loadBuiltinRules } from '../rules.js';
import * as path from 'node:path';
import { UNDOCUMENTED_VALUES } from '../conditions.js';
import { PROJECT_URL, ruleDocsUrl } from '../docs-url.js';
import { PACKS } from '../genres.js';
import { httpUrl } from '../links.js';
import { IPTC_BASE, kindInfo } from '../vocabulary.js';
import type { ProjectResult } from '../project.js';
import { adapterFor, adapterForPath } from '../hosts/index.js';
import { isTimelineMarkerFormat } from '../markers/index.js';
import type { Finding, HostFormat, ParsedDocument, Position, Severity, SourceCitation, Tag } from '../types.js';

export const REPORT_VERSION = 1;

/** Written into every report so `ai-use report` recognises its own earlier output (see write.ts). */
export const REPORT_GENERATOR = 'ai-use-lint report';

export const TOOL_NAME = 'ai-use-lint';
export const TOOL_TITLE = 'AI-Use Lint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** What the report needs to know about a rule; RuleDefinition (rules.ts) has these fields. */
export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  description?: string;
  source?: SourceCitation;
}

let cachedRules: RuleInfo[] | undefined;

/** The built-in rules for titles and help; a report still works (with rule ids only) without them. */
export function builtinRuleCatalogue(): RuleInfo[] {
  if (!cachedRules) {
    try {
      cachedRules = loadBuiltinRules();
    } catch {
      cachedRules = [];
    }
  }
  return cachedRules;
}

export interface ReportOptions {
  /** Folder the report's paths are relative to (the CLI's current folder). */
  root: string;
  /** When the report was made; a parameter so the model stays a pure function. */
  generatedAt: Date;
  toolVersion: string;
  /** Project name shown in the title; default: the scanned folder's name. */
  projectName?: string;
  /** The rule catalogue (built-in and custom rules), for titles and descriptions. */
  rules?: readonly RuleInfo[];
  /** The paths that were scanned (absolute), for the default project name. */
  inputs?: readonly string[];
}

/**
 * What a writer may need beyond the model: where the report's relative paths start (SARIF declares
 * its %SRCROOT% from it). Kept out of the model so the JSON report carries no absolute path.
 */
export interface RenderContext {
  /** Absolute folder the report's paths are relative to (ReportOptions.root). */
  root: string;
  /** Absolute folder SARIF's %SRCROOT% names; default: the nearest folder with a .git above root, else root. */
  sourceRoot?: string;
}

export interface Count {
  name: string;
  count: number;
}

/** `count` of the `of` uses where the measure applies; percent is null when none applies. */
export interface Share {
  count: number;
  of: number;
  percent: number | null;
}

export interface ReportSummary {
  documents: number;
  documentsWithUses: number;
  uses: number;
  usesByKind: Count[];
  usesByStage: Count[];
  findings: number;
  findingsBySeverity: Record<Severity, number>;
  /** Among uses that reach the audience (media kinds at stage final or with no stage), or that have a `disclosure` field. */
  disclosed: Share;
  /** Among the same uses, or any with an `approval` field: a documented approval (not pending). */
  approved: Share & { pending: number };
  /** Among uses of a real person, performer or likeness, or with a `consent` field: documented consent. */
  consented: Share & { pending: number };
}

export type Proportion = 'PAI' | 'HAb' | 'Ph';
export type Contribution = 'Se' | 'Ce' | 'Nc';

/** IBM AI Attribution Toolkit statement (docs/sources.md §9a), derived from a document's tags (docs/report.md). */
export interface Attribution {
  /** `AIA <Proportion> [<Contribution>...] Hin <R|Nr> [<model>] v1.0`, or null when nothing is tagged. */
  statement: string | null;
  proportion: Proportion | null;
  contributions: Contribution[];
  initiative: 'Hin' | null;
  review: 'R' | 'Nr' | null;
  /** The one tool in the statement's model/app slot: the one that most shaped the document's text. */
  model: string | null;
  /** Every distinct tool of the document's tags, in the order first seen (the model among them). */
  tools: string[];
  /** How the statement was derived, in words. */
  basis: string;
}

export interface ReportDocument {
  path: string;
  /** The host format (server/src/core/hosts/index.ts). */
  format: HostFormat;
  title: string | null;
  genre: string;
  guidelines: string[];
  uses: number;
  findings: number;
  attribution: Attribution;
}

export interface CueSheetFinding {
  ruleId: string;
  severity: Severity;
  /** The finding's message, so the cue sheet alone (CSV) says what is wrong with each use. */
  message: string;
}

/** One row of the GenAI cue sheet: one tag. */
export interface CueSheetRow {
  /** 1-based row number, used by findings to point at their use. */
  row: number;
  file: string;
  line: number;
  column: number;
  scene: string | null;
  section: string | null;
  timecode: string | null;
  kind: string | null;
  /** IPTC digital source type code, e.g. `trainedAlgorithmicMedia`; null for text kinds that are not media. */
  iptcDigitalSourceType: string | null;
  iptcUri: string | null;
  tool: string | null;
  prompt: string | null;
  source: string | null;
  sourceRights: string | null;
  disclosure: string[];
  approval: string | null;
  consent: string | null;
  stage: string | null;
  reviewedBy: string | null;
  id: string | null;
  findings: CueSheetFinding[];
}

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The rule's documentation page (http or https only), or null. */
  docs: string | null;
  source: { title: string; facts: string; url: string | null } | null;
  /** The cue sheet row of the use the finding is about, or null for findings outside a tag. */
  cueSheetRow: number | null;
}

export interface ReportRule {
  id: string;
  title: string;
  defaultSeverity: Severity;
  description: string | null;
  docs: string;
  source: { title: string; facts: string; url: string | null } | null;
}

export interface Report {
  version: typeof REPORT_VERSION;
  generator: string;
  tool: { name: string; title: string; version: string; informationUri: string };
  project: string;
  /** ISO 8601 date-time (UTC). */
  generatedAt: string;
  genres: string[];
  guidelines: string[];
  summary: ReportSummary;
  documents: ReportDocument[];
  cueSheet: CueSheetRow[];
  findings: ReportFinding[];
  /** The rules that have at least one finding, in first-seen order. */
  rules: ReportRule[];
  unreadable: { path: string; reason: string }[];
}

/** Only http(s) addresses become links: a docs URL from a custom rule is workspace data. */
/** An http(s) address from the workspace, normalised, or null (links.ts). */
export const safeHttpUrl = (url: string | undefined | null): string | null => httpUrl(url);

function relativePath(root: string, file: string): string {
  return (path.relative(root, file) || path.basename(file)).split(path.sep).join('/');
}

/** Values of every field with this key, in order (a key may be written twice). */
function fieldValues(tag: Tag, key: string): string[] {
  const written = tag.fields.filter((f) => f.key === key).map((f) => f.value.trim()).filter((v) => v !== '');
  // What the host gives where the tag writes nothing: a timeline marker's timecode, its clip.
  return written.length ? written : (tag.hostFields ?? []).filter((f) => f.key === key).map((f) => f.value);
}

function fieldText(tag: Tag, key: string): string | null {
  const values = fieldValues(tag, key);
  return values.length ? values.join('; ') : null;
}

function fieldItems(tag: Tag, key: string): string[] {
  return tag.fields.filter((f) => f.key === key).flatMap((f) => f.items.map((i) => i.text.trim())).filter((v) => v !== '');
}

function documented(tag: Tag, key: string): boolean {
  const values = fieldValues(tag, key);
  return values.length > 0 && values.every((v) => !UNDOCUMENTED_VALUES.has(v.toLowerCase()));
}

function hasField(tag: Tag, key: string): boolean {
  return tag.fields.some((f) => f.key === key);
}

function isPending(tag: Tag, key: string): boolean {
  return fieldValues(tag, key).some((v) => v.toLowerCase() === 'pending');
}

/** Media in the cut (or whose stage is not given): what the audience may see or hear. */
function reachesAudience(tag: Tag): boolean {
  if (!kindInfo(tag.kind)?.iptc) return false;
  const stage = fieldText(tag, 'stage')?.toLowerCase();
  return stage === undefined || stage === 'final';
}

const CONSENT_KINDS = new Set(['audio.voice-clone', 'audio.dub', 'likeness.replica', 'likeness.de-age', 'likeness.face-swap', 'likeness.lip-sync']);

/** Uses of an identifiable person: consent is the question. */
function needsConsent(tag: Tag): boolean {
  return (
    CONSENT_KINDS.has(tag.kind ?? '') ||
    hasField(tag, 'performer') ||
    fieldItems(tag, 'depicts').some((d) => d.toLowerCase() === 'real-person') ||
    hasField(tag, 'consent')
  );
}

function share(count: number, of: number): Share {
  return { count, of, percent: of === 0 ? null : Math.round((100 * count) / of) };
}

function counts(names: string[]): Count[] {
  const map = new Map<string, number>();
  for (const name of names) map.set(name, (map.get(name) ?? 0) + 1);
  return [...map].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Tag text is free text: no control characters or line breaks inside one statement. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The contribution a tag's kind makes (docs/sources.md §9a): new content, content edits or stylistic edits. */
export function contributionOf(kind: string | undefined): Contribution | null {
  const info = kindInfo(kind);
  if (!info) return null;
  if (info.kind === 'text.ideation' || info.kind === 'text.research') return 'Ce';
  if (info.kind === 'text.translation' || info.kind === 'text.transcription') return 'Se';
  switch (info.iptc) {
    case 'trainedAlgorithmicMedia':
      return 'Nc';
    case 'compositeWithTrainedAlgorithmicMedia':
      return 'Ce';
    case 'algorithmicallyEnhanced':
      return 'Se';
    default:
      return null;
  }
}

const CONTRIBUTION_ORDER: readonly Contribution[] = ['Se', 'Ce', 'Nc'];

/** What the attribution of a document reads: its tags and its scenes (Fountain) or sections (Markdown). */
export type AttributedDocument = Pick<ParsedDocument, 'format' | 'tags' | 'outline'>;

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Which tool names the statement: the one that most shaped the document's text (docs/report.md). */
const MODEL_PRIORITY: readonly ((kind: string) => boolean)[] = [
  (k) => k === 'text.draft',
  (k) => k === 'text.rewrite',
  (k) => k.startsWith('text.'),
  () => true,
];

function toolOf(tag: Tag): string | null {
  const tool = fieldText(tag, 'tool');
  return tool ? oneLine(tool) : null;
}

/** The most frequent tool among `tags` (case-insensitive), the first seen on a tie. */
function mostUsedTool(tags: readonly Tag[]): string | null {
  const counts = new Map<string, { tool: string; count: number; first: number }>();
  tags.forEach((tag, i) => {
    const tool = toolOf(tag);
    if (!tool) return;
    const entry = counts.get(tool.toLowerCase()) ?? { tool, count: 0, first: i };
    entry.count++;
    counts.set(tool.toLowerCase(), entry);
  });
  return [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first)[0]?.tool ?? null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The AI attribution statement of one document (docs/report.md, "The AI attribution statement").
 * The statement is about the document itself, the script or the notes, whose text is human writing
 * around its tags: so the proportion says how much of that text AI wrote, not how many of the tags
 * made new media. Ph (primarily human) by default; HAb (human-AI blend) when a tag says AI drafted
 * some of the text (text.draft), or rewrote text (text.rewrite) in more than half of the scenes;
 * PAI (primarily AI) only when text.draft tags sit in more than half of the document's scenes
 * (Markdown: sections). Never EAI, and no statement at all (so never Eh) without a tag.
 */
export function attributionFor(doc: AttributedDocument): Attribution {
  const tags = doc.tags;
  if (tags.length === 0) {
    return {
      statement: null,
      proportion: null,
      contributions: [],
      initiative: null,
      review: null,
      model: null,
      tools: [],
      basis: 'No AI use is tagged in this document, so no statement is made (an untagged document is no evidence of entirely human work).',
    };
  }
  const byContribution: Record<Contribution, number> = { Se: 0, Ce: 0, Nc: 0 };
  let unclassified = 0;
  for (const tag of tags) {
    const c = contributionOf(tag.kind);
    if (c) byContribution[c]++;
    else unclassified++;
  }

  // The scenes (or sections) holding AI-written text: a tag belongs to the last heading before it.
  // Marker files have no outline (their formats are not in the adapter table yet).
  const unitKind = isTimelineMarkerFormat(doc.format) ? 'section' : adapterFor(doc.format).outlineUnit;
  const units = doc.outline.filter((n) => n.kind === unitKind);
  const unitOf = (tag: Tag) => {
    let index = -1;
    units.forEach((u, i) => {
      if (before(u.range.start, tag.range.start)) index = i;
    });
    return index;
  };
  const drafts = tags.filter((t) => t.kind === 'text.draft');
  const rewrites = tags.filter((t) => t.kind === 'text.rewrite');
  const draftUnits = new Set(drafts.map(unitOf).filter((i) => i >= 0));
  const textUnits = new Set([...drafts, ...rewrites].map(unitOf).filter((i) => i >= 0));
  const most = (n: number) => units.length > 0 && n * 2 > units.length;
  const unitWord = (n: number) => plural(n, unitKind);

  let proportion: Proportion;
  let why: string;
  if (most(draftUnits.size)) {
    proportion = 'PAI';
    why = `text.draft in ${draftUnits.size} of ${unitWord(units.length)}: AI drafted most of the text`;
  } else if (drafts.length > 0) {
    proportion = 'HAb';
    why = `AI drafted some of the text (${plural(drafts.length, 'text.draft tag')}${units.length ? `, in ${draftUnits.size} of ${unitWord(units.length)}` : ''})`;
  } else if (most(textUnits.size)) {
    proportion = 'HAb';
    why = `AI rewrote text in ${textUnits.size} of ${unitWord(units.length)} (text.rewrite)`;
  } else {
    proportion = 'Ph';
    why =
      rewrites.length > 0
        ? `AI rewrote text in ${textUnits.size} of ${unitWord(units.length)} (text.rewrite), not most of them; the rest of the text is human writing`
        : 'no tag records AI-written text (text.draft or text.rewrite): the text is human writing around its tags';
  }

  const contributions = CONTRIBUTION_ORDER.filter((c) => byContribution[c] > 0);
  const reviewed = tags.filter((t) => documented(t, 'reviewed-by')).length;
  const review = reviewed === tags.length ? 'R' : 'Nr';
  const tools: string[] = [];
  const seen = new Set<string>();
  for (const tag of tags) {
    for (const value of fieldValues(tag, 'tool')) {
      const tool = oneLine(value);
      if (tool && !seen.has(tool.toLowerCase())) {
        seen.add(tool.toLowerCase());
        tools.push(tool);
      }
    }
  }
  let model: string | null = null;
  for (const applies of MODEL_PRIORITY) {
    model = mostUsedTool(tags.filter((t) => applies(t.kind ?? '')));
    if (model) break;
  }
  const statement = ['AIA', proportion, ...contributions, 'Hin', review, ...(model ? [model] : []), 'v1.0'].join(' ');
  const parts = [
    byContribution.Nc && `${byContribution.Nc} new content (Nc)`,
    byContribution.Ce && `${plural(byContribution.Ce, 'content edit')} (Ce)`,
    byContribution.Se && `${plural(byContribution.Se, 'stylistic edit')} (Se)`,
    unclassified && `${unclassified} of unknown kind`,
  ].filter(Boolean);
  const basis =
    `${plural(tags.length, 'tagged use')}: ${parts.join(', ')}. ${proportion}: ${why}. ` +
    `${reviewed} of ${tags.length} with reviewed-by; all human-initiated (Hin).` +
    (tools.length > 1 ? ` ${plural(tools.length, 'tool')} in all; the statement names ${model}.` : '');
  return { statement, proportion, contributions, initiative: 'Hin', review, model, tools, basis };
}

function citation(source: SourceCitation | undefined): ReportRule['source'] {
  return source ? { title: source.title, facts: source.facts, url: safeHttpUrl(source.url) } : null;
}

function projectNameFor(options: ReportOptions): string {
  if (options.projectName?.trim()) return oneLine(options.projectName);
  const inputs = options.inputs ?? [];
  const base = inputs.length === 1 ? inputs[0] : options.root;
  return path.basename(path.resolve(options.root, base)) || 'project';
}

export function buildReport(project: ProjectResult, options: ReportOptions): Report {
  const root = options.root;
  const catalogue = new Map((options.rules ?? []).map((r) => [r.id, r]));
  const documents: ReportDocument[] = [];
  const cueSheet: CueSheetRow[] = [];
  const findings: ReportFinding[] = [];
  const rules = new Map<string, ReportRule>();
  const genres: string[] = [];
  const packs = new Set<string>();

  for (const file of project.files) {
    const rel = relativePath(root, file.path);
    const tags = file.result?.doc.tags ?? [];
    /** Cue sheet row number of each tag of this file. */
    const rowOfTag: number[] = [];
    if (file.kind === 'document') {
      if (!genres.includes(file.genre)) genres.push(file.genre);
      for (const p of file.guidelines) packs.add(p);
      tags.forEach((tag, index) => {
        const info = kindInfo(tag.kind);
        const row: CueSheetRow = {
          row: cueSheet.length + 1,
          file: rel,
          line: tag.range.start.line + 1,
          column: tag.range.start.character + 1,
          scene: tag.scene ?? null,
          section: tag.section ?? null,
          timecode: fieldText(tag, 'timecode'),
          kind: tag.kind ?? null,
          iptcDigitalSourceType: info?.iptc ?? null,
          iptcUri: info?.iptc ? IPTC_BASE + info.iptc : null,
          tool: fieldText(tag, 'tool'),
          prompt: fieldText(tag, 'prompt'),
          source: fieldText(tag, 'source'),
          sourceRights: fieldText(tag, 'source-rights'),
          disclosure: fieldItems(tag, 'disclosure'),
          approval: fieldText(tag, 'approval'),
          consent: fieldText(tag, 'consent'),
          stage: fieldText(tag, 'stage'),
          reviewedBy: fieldText(tag, 'reviewed-by'),
          id: fieldText(tag, 'id'),
          findings: file.findings.filter((f) => f.tagIndex === index).map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message })),
        };
        rowOfTag[index] = row.row;
        cueSheet.push(row);
      });
      const title = file.result?.doc.metadata.get('title')?.value;
      documents.push({
        path: rel,
        format: file.result?.format ?? adapterForPath(file.path)?.id ?? 'markdown',
        title: title ? oneLine(title) : null,
        genre: file.genre,
        guidelines: [...file.guidelines],
        uses: tags.length,
        findings: file.findings.length,
        attribution: file.result ? attributionFor(file.result.doc) : attributionFor({ format: adapterForPath(file.path)?.id ?? 'markdown', tags: [], outline: [] }),
      });
    }
    for (const f of file.findings) {
      findings.push(reportFinding(f, rel, f.tagIndex === undefined ? null : rowOfTag[f.tagIndex] ?? null));
      if (!rules.has(f.ruleId)) rules.set(f.ruleId, reportRule(f, catalogue.get(f.ruleId)));
    }
  }

  const allTags = project.files.flatMap((f) => (f.kind === 'document' ? f.result?.doc.tags ?? [] : []));
  const disclosureApplies = allTags.filter((t) => reachesAudience(t) || hasField(t, 'disclosure'));
  const approvalApplies = allTags.filter((t) => reachesAudience(t) || hasField(t, 'approval'));
  const consentApplies = allTags.filter(needsConsent);
  const findingsBySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) findingsBySeverity[f.severity]++;

  const summary: ReportSummary = {
    documents: documents.length,
    documentsWithUses: documents.filter((d) => d.uses > 0).length,
    uses: allTags.length,
    usesByKind: counts(allTags.map((t) => t.kind ?? '(no kind)')),
    usesByStage: counts(allTags.map((t) => fieldText(t, 'stage')?.toLowerCase() ?? '(not given)')),
    findings: findings.length,
    findingsBySeverity,
    disclosed: share(
      disclosureApplies.filter((t) => fieldItems(t, 'disclosure').some((d) => d.toLowerCase() !== 'none')).length,
      disclosureApplies.length,
    ),
    approved: {
      ...share(approvalApplies.filter((t) => documented(t, 'approval')).length, approvalApplies.length),
      pending: approvalApplies.filter((t) => isPending(t, 'approval')).length,
    },
    consented: {
      ...share(consentApplies.filter((t) => documented(t, 'consent')).length, consentApplies.length),
      pending: consentApplies.filter((t) => isPending(t, 'consent')).length,
    },
  };

  return {
    version: REPORT_VERSION,
    generator: `${REPORT_GENERATOR} ${options.toolVersion}`,
    tool: { name: TOOL_NAME, title: TOOL_TITLE, version: options.toolVersion, informationUri: PROJECT_URL },
    project: projectNameFor(options),
    generatedAt: options.generatedAt.toISOString(),
    genres,
    guidelines: PACKS.filter((p) => packs.has(p)),
    summary,
    documents,
    cueSheet,
    findings,
    rules: [...rules.values()],
    unreadable: project.unreadable.map((u) => ({ path: relativePath(root, u.path), reason: oneLine(u.reason) })),
  };
}

function reportFinding(f: Finding, file: string, cueSheetRow: number | null): ReportFinding {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    docs: safeHttpUrl(f.docs),
    source: citation(f.source),
    cueSheetRow,
  };
}

function reportRule(f: Finding, rule: RuleInfo | undefined): ReportRule {
  return {
    id: f.ruleId,
    title: rule?.title ?? f.ruleId,
    defaultSeverity: rule?.severity ?? f.severity,
    description: rule?.description ?? null,
    docs: safeHttpUrl(f.docs) ?? ruleDocsUrl(f.ruleId),
    source: citation(rule?.source ?? f.source),
  };
}
