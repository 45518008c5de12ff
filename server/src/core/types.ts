// The plain data shared by the parsers, the tag grammar, the rule engine, the report writers,
// the CLI and the language server. Nothing here imports `vscode` or an LSP connection.

/** Zero-based line and zero-based UTF-16 code-unit column: what LSP wants. The CLI adds 1 to both. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open [start, end) UTF-16 offsets into the document text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A host format's id: one adapter in server/src/core/hosts/index.ts (`fountain`, `markdown`...). */
export type HostFormat = string;

/** Marker lists exported from an editing system (SPEC §2.4 "Timeline markers"). */
export type TimelineMarkerFormat = 'edl' | 'avid-markers' | 'premiere-markers' | 'fcpxml';

/** One comma-separated item of a field value (a single-valued field has exactly one). */
export interface TagValue {
  text: string;
  range: Range;
}

export interface TagField {
  /** Lower-case key. The key-less first field gets `kind`. */
  key: string;
  /** The key exactly as written; '' for a key-less first field. */
  rawKey: string;
  /** Where the key is; for a key-less first field, the value's range. */
  keyRange: Range;
  /** The trimmed value with surrounding quotes removed; '' when missing. */
  value: string;
  /** The trimmed value (quotes included); an empty range just after the ':' when missing. */
  valueRange: Range;
  /** The value split on commas (quoted values are one item). Empty when the value is empty. */
  items: TagValue[];
  /** From the first character of the key to the last of the value. */
  range: Range;
}

/** `timeline-marker`: the name or comment of a marker; the tag's range is that text, without delimiters. */
export type TagHost = 'fountain-note' | 'markdown-comment' | 'markdown-inline' | 'timeline-marker';

export interface Tag {
  host: TagHost;
  /** The whole note or comment, delimiters included (`[[ ... ]]`, `<!-- ... -->`). */
  range: Range;
  /** The `ai` of the `ai:` marker. */
  markerRange: Range;
  /** Fields in source order (duplicates kept: the engine reports them). */
  fields: TagField[];
  /** The kind value, lower-cased, or undefined when the tag has none. */
  kind?: string;
  /** Enclosing scene heading (Fountain) text, if any. */
  scene?: string;
  /** Enclosing section (Fountain `#` section or Markdown heading) text, if any. */
  section?: string;
  /**
   * The element the tag annotates: the Fountain element (action paragraph, dialogue block,
   * scene heading...) that holds or follows the note, or the Markdown block holding the comment.
   * Quick-fixes insert disclosures before `anchor.start.line`.
   */
  anchor: Range;
  /** Problems found while reading the tag text itself (unterminated quote, empty key...). */
  problems: ParseProblem[];
  /**
   * Fields the host gives the tag where the tag does not write them: a timeline marker's timecode
   * (and its clip as `asset`). Rules read them like written fields; their ranges are where the host
   * file holds them (the marker's timecode), and no fix edits them.
   */
  hostFields?: TagField[];
}

export type DirectiveCommand = 'disable' | 'enable' | 'disable-next' | 'disable-file';

/** `[[ai-lint: disable netflix/final-deliverable -- reason]]` and the Markdown comment form. */
export interface Directive {
  /** `invalid` for an unknown command: reported, and ignored by the engine. */
  command: DirectiveCommand | 'invalid';
  /** Rule ids (lower-case); empty means every rule. */
  rules: string[];
  /** Ranges of each rule id, parallel to `rules`. */
  ruleRanges: Range[];
  reason?: string;
  /** The whole note or comment. */
  range: Range;
  markerRange: Range;
  problems: ParseProblem[];
}

/** A problem found by a parser, reported under a `core/...` rule id. */
export interface ParseProblem {
  ruleId: string;
  message: string;
  range: Range;
  severity?: Severity;
}

/** A document-level metadata entry: Fountain title page key or Markdown front matter key. */
export interface MetadataEntry {
  /** Key as written. */
  key: string;
  keyRange: Range;
  /** Value text, trimmed; multi-line Fountain values joined with '\n'. */
  value: string;
  valueRange: Range;
  /** A YAML list value (front matter): each item's text and range; `value` joins them with ', '. */
  items?: { value: string; range: Range }[];
}

export interface OutlineNode {
  kind: 'scene' | 'section';
  /** The heading text as shown (scene heading without forced `.` or `#1A#` number; section without `#`). */
  title: string;
  /** Section depth (number of `#`), 0 for scenes. */
  level: number;
  /** The heading line. */
  range: Range;
}

/** What a host parser (Fountain or Markdown) produces. */
export interface ParsedDocument {
  format: HostFormat;
  text: string;
  /** Lower-cased metadata keys: `genre`, `ai-guidelines`, `title`... */
  metadata: Map<string, MetadataEntry>;
  tags: Tag[];
  directives: Directive[];
  outline: OutlineNode[];
  /**
   * Offsets of prose where an untagged mention of a GenAI tool may be reported: text outside
   * tags, notes, boneyard, code, front matter and title page.
   */
  prose: Span[];
  problems: ParseProblem[];
  /**
   * The frame rate the file itself states (an EDL's `FCM:`, an FCPXML sequence's format and
   * `tcFormat`); it wins over the config's `fps` / `drop-frame`. Either part may be unknown.
   */
  frameRate?: { fps?: number; dropFrame?: boolean };
}

/** Plain-data description of a quick-fix, turned into edits by the language server. */
export type FixDescriptor =
  /** Add `key: value` to the tag (value may hold a `${1:placeholder}` snippet). */
  | { type: 'add-field'; key: string; value: string; title?: string }
  /** Replace the value of `key` (adds the field when missing). */
  | { type: 'set-value'; key: string; value: string; title?: string }
  /** Add an item to a list field such as `disclosure` (drops `none`). */
  | { type: 'add-list-item'; key: string; value: string; title?: string }
  /** Remove a field. */
  | { type: 'remove-field'; key: string; title?: string }
  /** Insert the on-screen disclosure template before the tagged element. */
  | { type: 'insert-disclosure'; template: string; title?: string }
  /** Append a row for this tag to the document's GenAI cue sheet. */
  | { type: 'cue-sheet-row'; title?: string }
  /** Add a credits line from the `credits` template. */
  | { type: 'credits-line'; title?: string }
  /** Replace the offending text with a suggestion (did-you-mean). */
  | { type: 'replace'; with: string; title?: string }
  /** Wrap an untagged mention with a tag. */
  | { type: 'tag-mention'; title?: string };

export interface SourceCitation {
  /** Human title: "Netflix, Using Generative AI in Content Production". */
  title: string;
  /** The section of docs/sources.md that says it: "§1 Creative Output" (docs-url.ts sourcesUrl). */
  facts: string;
  url?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Docs page of the rule. */
  docs: string;
  source?: SourceCitation;
  /** Index into the document's tags, when the finding is about a tag. */
  tagIndex?: number;
  fixes: FixDescriptor[];
}
