// The tag vocabulary of SPEC §2.1-2.2 as data: kinds, keys and their allowed values.

export type IptcSourceType =
  | 'trainedAlgorithmicMedia'
  | 'compositeWithTrainedAlgorithmicMedia'
  | 'algorithmicallyEnhanced';

export const IPTC_BASE = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

export interface KindInfo {
  kind: string;
  description: string;
  /** IPTC digital source type; undefined for text kinds that are not media. */
  iptc?: IptcSourceType;
}

export const KINDS: readonly KindInfo[] = [
  { kind: 'text.ideation', description: 'Brainstorms, outlines, loglines, research prompts' },
  { kind: 'text.draft', description: 'Generated script pages, scenes or dialogue', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'text.rewrite', description: 'AI polish or rewrite of human text', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'text.translation', description: 'Machine translation' },
  { kind: 'text.transcription', description: 'Transcripts and logging' },
  { kind: 'text.research', description: 'Summaries and research' },
  { kind: 'image.concept', description: 'Moodboards, concept art, storyboards', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'image.generated', description: 'A new image that appears in the picture', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'image.composite', description: 'Real image changed by generative fill or extend, face or background swap', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'image.enhanced', description: 'Upres, denoise, restoration, colorization', iptc: 'algorithmicallyEnhanced' },
  { kind: 'video.generated', description: 'New video footage that appears in the picture', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'video.composite', description: 'Real footage changed by generative fill or extend, face or background swap', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'video.enhanced', description: 'Upres, denoise, restoration, colorization of footage', iptc: 'algorithmicallyEnhanced' },
  { kind: 'audio.voice-clone', description: 'The voice of an identifiable real person', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'audio.voice-synthetic', description: 'A synthetic voice of nobody identifiable', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'audio.dub', description: 'AI dubbing or voice translation of a performance', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'audio.music', description: 'Generated score or songs', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'audio.sfx', description: 'Generated sound effects', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'audio.enhanced', description: 'Dialogue cleanup, denoise', iptc: 'algorithmicallyEnhanced' },
  { kind: 'likeness.replica', description: 'Digital replica of a performer or real person', iptc: 'trainedAlgorithmicMedia' },
  { kind: 'likeness.de-age', description: 'De-ageing or re-ageing', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'likeness.face-swap', description: 'Face replacement', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'likeness.lip-sync', description: 'Visual ADR: mouth or face changed to new dialogue', iptc: 'compositeWithTrainedAlgorithmicMedia' },
  { kind: 'performer.synthetic', description: 'A wholly synthetic performer nobody can recognise', iptc: 'trainedAlgorithmicMedia' },
];

const KIND_BY_NAME = new Map(KINDS.map((k) => [k.kind, k]));

export function kindInfo(kind: string | undefined): KindInfo | undefined {
  return kind === undefined ? undefined : KIND_BY_NAME.get(kind.toLowerCase());
}

export const KIND_PREFIXES: readonly string[] = [...new Set(KINDS.map((k) => k.kind.split('.')[0]))];

/** How a key's value is read and checked. */
export type KeyValueType =
  /** Free text. */
  | 'text'
  /** Free text, comma-separated list. */
  | 'text-list'
  /** One of `values`. */
  | 'enum'
  /** Comma-separated list of `values`. */
  | 'enum-list'
  /** A reference (document name, date...) or one of the `values` keywords (`pending`, `none`). */
  | 'reference'
  /** `HH:MM:SS:FF` or `HH:MM:SS`, or a range `A-B`. */
  | 'timecode'
  /** `<rule-id> -- <reason>`. */
  | 'waiver';

export interface KeyInfo {
  key: string;
  type: KeyValueType;
  description: string;
  values?: readonly { value: string; description: string }[];
}

const v = (value: string, description: string) => ({ value, description });

const RIGHTS = [
  v('owned', 'The production owns it'),
  v('licensed', 'Licensed for this use'),
  v('cleared', 'Cleared by legal'),
  v('public-domain', 'In the public domain'),
  v('unowned', 'Owned by someone else, not cleared'),
  v('unknown', 'Rights status not known'),
];

export const KEYS: readonly KeyInfo[] = [
  { key: 'kind', type: 'enum', description: 'What kind of generative-AI use this is (may be written without `kind:` as the first field)' },
  { key: 'tool', type: 'text', description: 'Tool and version, e.g. "Runway Gen-4"' },
  {
    key: 'stage', type: 'enum', description: 'Where the output ends up',
    values: [v('ideation', 'Ideas only'), v('development', 'Development material'), v('pitch', 'Pitch material'), v('temp', 'Temporary, replaced before delivery'), v('final', 'In the final deliverable')],
  },
  {
    key: 'depicts', type: 'enum-list', description: 'What it shows',
    values: [v('real-person', 'A real, identifiable person'), v('real-event', 'A real event'), v('real-place', 'A real place'), v('fictional', 'Nothing real')],
  },
  { key: 'subject', type: 'text-list', description: 'The real people or events depicted' },
  { key: 'performer', type: 'text', description: 'Identifiable performer whose voice or likeness is used' },
  { key: 'deceased', type: 'enum', description: 'The person depicted or replicated is deceased', values: [v('yes', 'Deceased'), v('no', 'Living')] },
  {
    key: 'consent', type: 'reference', description: 'Documented consent: a reference such as "signed rider 2025-03-02", or pending / none',
    values: [v('pending', 'Asked for, not yet documented'), v('none', 'No consent')],
  },
  {
    key: 'presented-as', type: 'enum', description: 'How the audience will read it',
    values: [v('archival', 'As archival material'), v('real', 'As real footage or photography'), v('re-creation', 'As a labelled re-creation'), v('illustration', 'As an illustration')],
  },
  { key: 'realism', type: 'enum', description: 'Could it pass for real footage', values: [v('photoreal', 'Could pass for real'), v('stylized', 'Clearly not real')] },
  {
    key: 'element', type: 'enum', description: 'What part of the production it is',
    values: [
      v('main-character', 'A main character'), v('key-visual', 'A key visual'), v('central-setting', 'A setting central to the story'),
      v('background', 'Background'), v('prop', 'A prop'), v('document', 'A document'), v('signage', 'Signage'), v('news-clipping', 'A news clipping'),
    ],
  },
  {
    key: 'prominence', type: 'enum', description: 'How much the story leans on it',
    values: [v('incidental', 'Seen briefly, never referenced'), v('story', 'The story refers to it'), v('key', 'The story depends on it')],
  },
  { key: 'references', type: 'text-list', description: 'Copyrighted works, named artists, public figures named in the prompt' },
  { key: 'rights', type: 'enum', description: 'Rights in what was referenced', values: RIGHTS },
  {
    key: 'inputs', type: 'enum-list', description: 'Production material fed to the tool',
    values: [v('script', 'Script pages'), v('footage', 'Production footage'), v('personal-data', 'Cast or crew personal data'), v('likeness', 'Talent likeness'), v('contracts', 'Contracts'), v('none', 'No production material')],
  },
  {
    key: 'data', type: 'enum', description: "The tool's data terms",
    values: [v('enterprise', 'Enterprise agreement: inputs not captured or trained on'), v('no-train', 'Verified not to train on inputs'), v('trains', 'Trains on inputs'), v('unknown', 'Terms not checked')],
  },
  {
    key: 'disclosure', type: 'enum-list', description: 'How the use is disclosed',
    values: [
      v('on-screen', 'On-screen label, lower third or watermark'), v('narration', 'Narration acknowledges it'), v('credits', 'End credits'),
      v('promo', 'Promotional material'), v('platform', 'Platform flag (e.g. YouTube altered content)'), v('cue-sheet', 'GenAI cue sheet'), v('none', 'Not disclosed'),
    ],
  },
  { key: 'approval', type: 'reference', description: 'Written approval from the distributor: a reference, or pending', values: [v('pending', 'Requested, not yet given')] },
  { key: 'notified', type: 'text', description: 'Distributor contact (or union) told: a reference or date' },
  { key: 'reviewed-by', type: 'text', description: 'Human who reviewed the output' },
  { key: 'timecode', type: 'timecode', description: 'Where in the cut: HH:MM:SS:FF or HH:MM:SS, or a range A-B' },
  { key: 'prompt', type: 'text', description: 'The prompt used' },
  { key: 'source', type: 'text', description: 'Underlying material (third-party images, footage, audio), or none' },
  { key: 'source-rights', type: 'enum', description: 'Copyright status of the source material', values: RIGHTS },
  {
    key: 'replaces', type: 'enum', description: 'Union-covered work it stands in for',
    values: [v('actor', "An actor's performance"), v('writer', "A writer's work"), v('crew', "Crew members' work"), v('none', 'Nobody')],
  },
  { key: 'id', type: 'text', description: 'Stable id, unique in the project' },
  { key: 'note', type: 'text', description: 'Free comment' },
  { key: 'waive', type: 'waiver', description: 'Suppress one rule on this tag: `<rule-id> -- <reason>`; a reason is required' },
];

const KEY_BY_NAME = new Map(KEYS.map((k) => [k.key, k]));

export function keyInfo(key: string): KeyInfo | undefined {
  return KEY_BY_NAME.get(key.toLowerCase());
}

/** Custom keys start with `x-` and are never reported as unknown. */
export function isCustomKey(key: string): boolean {
  return /^x-[a-z0-9]/i.test(key);
}

/** Keys that take a comma-separated list. */
export function isListKey(key: string): boolean {
  const info = keyInfo(key);
  return info !== undefined && (info.type === 'enum-list' || info.type === 'text-list');
}

// HH:MM:SS or HH:MM:SS:FF (`;` drop-frame, `.` also seen). Minutes and seconds are below 60;
// frames too (up to 59, for 50 and 60 fps); hours are any one or two digits.
const TIMECODE = /^\d{1,2}:[0-5]\d:[0-5]\d(?:[:;.][0-5]\d)?$/;

export function isValidTimecode(value: string): boolean {
  const parts = value.split(/\s*[-–]\s*/);
  return parts.length >= 1 && parts.length <= 2 && parts.every((p) => TIMECODE.test(p));
}

/**
 * GenAI tools whose names, written outside a tag, earn a `core/untagged-mention` hint. Matched as
 * whole words, case-sensitively unless `caseless`; names that are also ordinary words ("Runway",
 * "Claude", "Gemini") only with a product suffix.
 */
export const GENAI_TOOL_PATTERNS: readonly { name: string; pattern: string }[] = [
  { name: 'Midjourney', pattern: 'Midjourney' },
  { name: 'ChatGPT', pattern: 'ChatGPT' },
  { name: 'GPT-4', pattern: 'GPT-[45]o?' },
  { name: 'DALL-E', pattern: 'DALL[-·]?E' },
  { name: 'Stable Diffusion', pattern: 'Stable Diffusion' },
  { name: 'Sora', pattern: 'OpenAI Sora' },
  { name: 'Runway', pattern: 'Runway(?:ML| Gen-\\d)' },
  { name: 'ElevenLabs', pattern: 'ElevenLabs' },
  { name: 'Respeecher', pattern: 'Respeecher' },
  { name: 'Suno', pattern: 'Suno AI' },
  { name: 'Udio', pattern: 'Udio' },
  { name: 'Firefly', pattern: 'Adobe Firefly' },
  { name: 'Gemini', pattern: 'Google Gemini|Gemini \\d(?:\\.\\d)?(?: Pro| Flash)?' },
  { name: 'Claude', pattern: 'Claude (?:\\d|Opus|Sonnet|Haiku)' },
  { name: 'Veo', pattern: 'Veo \\d' },
  { name: 'Kling', pattern: 'Kling AI' },
  { name: 'HeyGen', pattern: 'HeyGen' },
  { name: 'Synthesia', pattern: 'Synthesia' },
  { name: 'Topaz', pattern: 'Topaz (?:Video|Photo) AI' },
  { name: 'Flux', pattern: 'FLUX\\.1' },
];

/** Phrases that say a thing was made with generative AI. Matched case-insensitively. */
export const GENAI_PHRASE_PATTERN = 'AI[- ]generated|generated (?:by|with) AI|generative AI|deep ?fake';

/**
 * Every phrase of GENAI_PHRASE_PATTERN holds one of these words, starting at most
 * GENAI_PHRASE_KEYWORD_OFFSET characters into the phrase (the `AI-` of `AI-generated`). The engine
 * looks for them first: over a whole screenplay that is several times faster than the phrase
 * pattern itself. Keep the three in step (test/core/mentions.test.ts checks them).
 */
export const GENAI_PHRASE_KEYWORDS = 'generat|deep';
export const GENAI_PHRASE_KEYWORD_OFFSET = 3;
