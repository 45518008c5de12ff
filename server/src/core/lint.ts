// One document, start to finish: parse its host format, settle its genre and guideline packs
// (the document's own title page or front matter wins over the project config), run the rules.

import { adapterFor, adapterForPath } from './hosts/index.js';
import { isTimelineMarkerFormat, parseTimelineMarkers } from './markers/index.js';
import type { FrameRateValue } from './timecode.js';
import { runRules } from './engine.js';
import { DEFAULT_GENRE, defaultPacks, resolveGenre, resolvePack, type Genre, type Pack } from './genres.js';
import { LineIndex } from './line-index.js';
import { closestNames } from './suggest.js';
import { GENRES, PACKS } from './genres.js';
import type { RuleDefinition } from './rules.js';
import type { Finding, HostFormat, MetadataEntry, ParsedDocument, ParseProblem, SeveritySetting } from './types.js';

/** What the project config contributes to one document (a subset of ResolvedConfig). */
export interface DocumentSettings {
  genre?: Genre;
  guidelines?: readonly Pack[];
  rules?: Record<string, SeveritySetting>;
  customRules?: readonly RuleDefinition[];
  untaggedMentions?: boolean;
  disclosures?: Readonly<Record<string, string>>;
  /** The config's `docs-url` (docs-url.ts ruleDocsUrl). */
  docsUrl?: string;
  /** The config's `fps` / `drop-frame` (ResolvedConfig's own fields): timecode frames are checked against them. */
  fps?: FrameRateValue;
  dropFrame?: boolean;
}

export interface DocumentResult {
  format: HostFormat;
  genre: Genre;
  guidelines: Pack[];
  doc: ParsedDocument;
  findings: Finding[];
}

/** The host format for a file name (server/src/core/hosts/), or undefined when we do not read that kind of file. */
export function formatForPath(path: string): HostFormat | undefined {
  return adapterForPath(path)?.id;
}

export function parseDocument(text: string, format: HostFormat, settings: Pick<DocumentSettings, 'fps' | 'dropFrame'> = {}): ParsedDocument {
  // The marker formats are read here until they are adapters in the table (server/src/core/hosts/).
  if (isTimelineMarkerFormat(format)) return parseTimelineMarkers(text, format, { frameRate: { fps: settings.fps, dropFrame: settings.dropFrame } });
  return adapterFor(format).parse(text);
}

/** Genre and packs from the document's metadata, with problems at the metadata's place. */
export function documentGenreAndPacks(
  doc: ParsedDocument,
  settings: DocumentSettings,
): { genre: Genre; guidelines: Pack[]; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  let genre = settings.genre ?? DEFAULT_GENRE;
  const genreEntry = doc.metadata.get('genre');
  if (genreEntry && genreEntry.value.trim() !== '') {
    const resolved = resolveGenre(genreEntry.value);
    if (resolved) genre = resolved;
    else {
      const suggestions = closestNames(genreEntry.value, GENRES);
      problems.push({
        ruleId: 'core/unknown-genre',
        message: `Unknown genre "${genreEntry.value}"${didYouMean(suggestions)}; checking as ${genre}. Genres: ${GENRES.join(', ')}.`,
        range: genreEntry.valueRange,
      });
    }
  }
  let guidelines: Pack[] | undefined = settings.guidelines ? [...settings.guidelines] : undefined;
  const packEntry = doc.metadata.get('ai-guidelines');
  if (packEntry && packEntry.value.trim() !== '') {
    const fromDoc = readPackList(doc, packEntry, problems);
    if (fromDoc.length > 0) guidelines = fromDoc;
  }
  return { genre, guidelines: guidelines ?? defaultPacks(genre), problems };
}

function didYouMean(suggestions: string[]): string {
  return suggestions.length ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '';
}

/**
 * `netflix, apa`, `[netflix, apa]` or a YAML block list: each name resolved, unknown names
 * reported at their place. A front matter list comes with its items' ranges; a title page value
 * is read from its source text.
 */
function readPackList(doc: ParsedDocument, entry: MetadataEntry, problems: ParseProblem[]): Pack[] {
  const index = LineIndex.of(doc.text);
  const packs: Pack[] = [];
  const namePattern = /[^\s,[\]"']+(?:[ _][^\s,[\]"']+)*/g;
  const scan = (start: number, end: number) => {
    const source = doc.text.slice(start, end);
    for (const match of source.matchAll(namePattern)) {
      const pack = resolvePack(match[0]);
      if (pack) {
        if (!packs.includes(pack)) packs.push(pack);
      } else {
        problems.push({
          ruleId: 'core/unknown-pack',
          message: `Unknown guideline pack "${match[0]}"${didYouMean(closestNames(match[0], PACKS))}. Packs: ${PACKS.join(', ')}.`,
          range: index.range(start + match.index, start + match.index + match[0].length),
        });
      }
    }
  };
  if (entry.items) {
    for (const item of entry.items) scan(index.offsetAt(item.range.start), index.offsetAt(item.range.end));
  } else {
    scan(index.offsetAt(entry.valueRange.start), index.offsetAt(entry.valueRange.end));
  }
  return packs;
}

export function lintParsed(doc: ParsedDocument, settings: DocumentSettings = {}): DocumentResult {
  const { genre, guidelines, problems } = documentGenreAndPacks(doc, settings);
  if (problems.length) doc = { ...doc, problems: [...doc.problems, ...problems] };
  const findings = runRules(doc, {
    genre,
    packs: guidelines,
    severities: settings.rules,
    customRules: settings.customRules,
    untaggedMentions: settings.untaggedMentions,
    disclosures: settings.disclosures,
    docsUrl: settings.docsUrl,
    frameRate: { fps: settings.fps, dropFrame: settings.dropFrame },
  });
  return { format: doc.format, genre, guidelines, doc, findings };
}

export function lintText(text: string, format: HostFormat, settings: DocumentSettings = {}): DocumentResult {
  return lintParsed(parseDocument(text, format, settings), settings);
}
