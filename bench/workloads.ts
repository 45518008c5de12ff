// Inputs for `npm run bench` (SPEC §8). Everything is generated from files that are on every
// machine of this kind: the screenplay corpus beside the clone (../shared/corpus) and Node's own
// API docs (/usr/share/doc/nodejs/api/*.md). Deterministic: the same bytes on every run.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The corpus sits beside the clone (CI) or beside the working tree: ../shared/corpus. */
export function corpusDir(): string {
  const candidates = [path.resolve(ROOT, '../shared/corpus')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`screenplay corpus not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const NODE_API_DOCS = '/usr/share/doc/nodejs/api';

/** A small deterministic PRNG (mulberry32), so that every run inserts the same tags. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Tag bodies of the kind writers and post supervisors write: a few fields, some findings, some
 * clean. `{n}` becomes a running number (ids stay unique within one document).
 */
const TAG_BODIES = [
  'image.generated; tool: Midjourney 6.1; depicts: real-person; subject: Edward Bloom; presented-as: archival; stage: final; disclosure: none',
  'image.concept; tool: Adobe Firefly Image 4; stage: development; note: moodboard for the circus',
  'video.generated; tool: Runway Gen-4; stage: temp; prompt: "catfish in a muddy river, dusk"; timecode: 00:01:12:00',
  'audio.voice-clone; tool: ElevenLabs; performer: Albert Finney; consent: signed rider 2003-03-02; disclosure: credits',
  'likeness.de-age; tool: in-house; performer: Ewan McGregor; consent: pending; stage: final; element: main-character',
  'text.rewrite; tool: ChatGPT; reviewed-by: J. August; disclosure: none',
  'image.composite; tool: Photoshop generative fill; source: unit stills; source-rights: owned; element: background; prominence: incidental',
  'audio.music; tool: Suno AI v4; stage: temp; rights: unknown; id: cue-{n}',
  'video.enhanced; tool: Topaz Video AI; stage: final; timecode: 01:02:03:04-01:02:09:00',
  'image.generated; tool: Stable Diffusion XL; element: signage; prominence: story; references: Norman Rockwell; rights: unowned; id: sign-{n}',
  'text.ideation; tool: Claude 3.5 Sonnet; stage: ideation',
  'image.generated; tool: DALL-E 3; element: prop; prominence: key; approval: pending; inputs: script; data: unknown; disclosure: on-screen, credits',
];

export function tagBody(i: number): string {
  return TAG_BODIES[i % TAG_BODIES.length].replace('{n}', String(i));
}

/**
 * Inserts `count` Fountain notes at realistic places: at the end of an action line, on its own line
 * after a scene heading, or after a line of dialogue. Spread evenly through the script.
 */
export function insertFountainTags(script: string, count: number, seed = 1): string {
  const lines = script.split('\n');
  const random = rng(seed);
  // Candidate lines: non-blank lines after the title page that are not character cues.
  const firstBlank = lines.findIndex((l) => l.trim() === '');
  const candidates: number[] = [];
  for (let i = firstBlank + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('[[') || t.startsWith('/*') || t.startsWith('#') || t.startsWith('=')) continue;
    const isCue = t === t.toUpperCase() && /[A-Z]/.test(t) && i + 1 < lines.length && lines[i + 1].trim() !== '';
    if (isCue) continue;
    candidates.push(i);
  }
  const chosen = new Set<number>();
  const step = candidates.length / count;
  for (let k = 0; k < count && chosen.size < candidates.length; k++) {
    let c = Math.min(candidates.length - 1, Math.floor(k * step + random() * step * 0.5));
    // Never the same line twice: exactly `count` tags whatever the script.
    while (chosen.has(candidates[c])) c = (c + 1) % candidates.length;
    chosen.add(candidates[c]);
  }
  const out: string[] = [];
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!chosen.has(i)) {
      out.push(lines[i]);
      continue;
    }
    const body = tagBody(n++);
    const t = lines[i].trim();
    const heading = /^(INT|EXT|EST|I\/E)[. ]/i.test(t);
    if (heading) {
      // A standalone note after the heading, annotating the scene's first element.
      out.push(lines[i], '', `[[ai: ${body}]]`);
    } else if (n % 3 === 0) {
      // A note that spans two lines.
      const split = body.indexOf('; ', body.length >> 1);
      out.push(`${lines[i]} [[ai: ${body.slice(0, split)};`, `  ${body.slice(split + 2)}]]`);
    } else {
      out.push(`${lines[i]} [[ai: ${body}]]`);
    }
  }
  return out.join('\n');
}

export const FEATURE_FILE = 'fountain/screenplain__Big-Fish.fountain';

let bigFish: string | undefined;
function rawFeature(): string {
  bigFish ??= readFileSync(path.join(corpusDir(), FEATURE_FILE), 'utf8');
  return bigFish;
}

/** Big Fish (screenplain's copy) with `tags` AI-use tags: the feature-length workload (~170 KB). */
export function featureScript(tags = 200): string {
  return insertFountainTags(rawFeature(), tags);
}

/** One episode of the report project: Big Fish with 200 tags at other places, ids unique to it. */
export function episode(e: number): string {
  return insertFountainTags(rawFeature(), 200, 100 + e).replace(/\bid: ([a-z]+)-(\d+)/g, `id: ep${e}-$1-$2`);
}

/** `k` copies of a script in one document; ids are renumbered so copies do not collide. */
export function copies(script: string, k: number): string {
  const parts: string[] = [];
  for (let i = 0; i < k; i++) parts.push(i === 0 ? script : script.replace(/\bid: ([a-z]+)-(\d+)/g, `id: $1-$2-c${i}`));
  return parts.join('\n\n');
}

/** Node's API docs: [name, text], sorted by name. Empty when the docs are not installed. */
export function nodeApiDocs(): [string, string][] {
  if (!existsSync(NODE_API_DOCS)) return [];
  return readdirSync(NODE_API_DOCS)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => [f, readFileSync(path.join(NODE_API_DOCS, f), 'utf8')]);
}

/**
 * Edit notes: a Markdown file with AI-use tags, as post supervisors write them: a comment tag after
 * some headings (annotating the next block) and an inline `[[ai: ...]]` at the end of some
 * paragraphs. About one tag per `every` lines.
 */
export function insertMarkdownTags(markdown: string, every = 40, seed = 7): string {
  const lines = markdown.split('\n');
  const random = rng(seed);
  const out: string[] = [];
  let inFence = false;
  let inComment = false;
  let sinceTag = 0;
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out.push(line);
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && line.lastIndexOf('<!--') > line.lastIndexOf('-->')) inComment = true;
    sinceTag++;
    if (inFence || inComment || sinceTag < every) continue;
    const next = lines[i + 1] ?? '';
    if (/^#{1,6} /.test(line)) {
      out.push('', `<!-- ai: ${tagBody(n++)}; timecode: 00:${String(10 + (n % 50)).padStart(2, '0')}:00:00 -->`);
      sinceTag = 0;
    } else if (/^[A-Za-z]/.test(line) && next.trim() === '' && random() < 0.5) {
      out[out.length - 1] = `${line} [[ai: ${tagBody(n++)}]]`;
      sinceTag = 0;
    }
  }
  return out.join('\n');
}

/** The Node API docs with tags inserted: the Markdown notes workload. */
export function markdownNotes(): [string, string][] {
  return nodeApiDocs().map(([name, text]) => [name, insertMarkdownTags(text)]);
}

/** Offsets of the `##`-`####` headings of a Markdown text that are outside code fences. */
function headingStarts(text: string): number[] {
  const starts: number[] = [];
  let inFence = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence && /^#{2,4} /.test(line)) starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}

/** `size` characters of `text` from `start`, ending at a line end and never inside a code fence. */
function cutAt(text: string, start: number, size: number): string {
  let body = text.slice(start, start + size);
  body = body.slice(0, body.lastIndexOf('\n') + 1 || body.length);
  // Do not end inside a code fence: drop an unbalanced last fence.
  const fences = [...body.matchAll(/^[ \t]*(```|~~~)/gm)];
  if (fences.length % 2 === 1) body = body.slice(0, fences[fences.length - 1].index);
  return body;
}

/** A 5-8 KB note cut from the API docs at a heading (never inside a code block), with tags. */
export function shortNote(docs: readonly [string, string][], i: number): string {
  const random = rng(1000 + i);
  const long = docs.filter(([, text]) => text.length >= 16_000);
  const [, text] = (long.length ? long : docs)[i % (long.length || docs.length)];
  const size = 4600 + Math.floor(random() * 2400);
  const starts = headingStarts(text).filter((s) => s + size <= text.length);
  // From a heading picked at random; the next ones if a long code block leaves too little.
  const first = Math.floor(random() * starts.length);
  let body = '';
  for (let k = 0; k < starts.length && body.length < size * 0.75; k++) body = cutAt(text, starts[(first + k) % starts.length], size);
  if (body.length < size * 0.75) body = cutAt(text, 0, size);
  const header = `---\ntitle: Edit notes ${i}\n---\n\n# Reel ${1 + (i % 6)} notes\n\n<!-- ai: ${tagBody(i)}; timecode: 00:0${i % 10}:00:00 -->\n\n`;
  return header + insertMarkdownTags(body, 25, i);
}

/** Pathological inputs (SPEC §8): each about `bytes` long. */
export function pathological(bytes: number): { name: string; format: 'fountain' | 'markdown'; text: string }[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(bytes / unit.length));
  return [
    { name: 'unclosed [[', format: 'fountain', text: fill('[[') },
    { name: 'unclosed /*', format: 'fountain', text: fill('/*') },
    { name: ';;; in one tag', format: 'fountain', text: `[[ai: ${fill(';')}]]` },
  ];
}

/**
 * 1 MB of `[[` in Markdown (SPEC §8: remark is super-linear on it), after one real tag so that the
 * document cannot be waved through as having nothing to check: it needs the full parse.
 */
export function pathologicalMarkdown(bytes: number): string {
  return `<!-- ai: image.generated; tool: Midjourney 6.1; stage: final -->\n\n${'[['.repeat(Math.ceil(bytes / 2))}\n`;
}

/**
 * The report workload (SPEC §8): `episodes` screenplays of about 170 KB and `notes` edit notes of
 * 5-8 KB under one project config. Returns the number of files and bytes written.
 */
export function writeProject(dir: string, episodes: number, notes: number): { files: number; bytes: number } {
  let bytes = 0;
  let files = 0;
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.ai-use.yaml'), 'genre: docudrama\nuntagged-mentions: true\n');
  for (let e = 1; e <= episodes; e++) write(`episodes/ep${String(e).padStart(2, '0')}.fountain`, episode(e));
  const docs = nodeApiDocs();
  if (notes > 0 && docs.length === 0) throw new Error(`the notes are cut from Node's API docs, which are not in ${NODE_API_DOCS}`);
  for (let i = 0; i < notes; i++) write(`notes/reel-${1 + (i % 6)}/note-${String(i).padStart(3, '0')}.md`, shortNote(docs, i).replace(/\bid: ([a-z]+)-(\d+)/g, `id: n${i}-$1-$2`));
  return { files, bytes };
}

/**
 * About `bytes` of markers in each timeline marker format (SPEC §8: 10 MB in under 1 s, linear):
 * an assistant editor's list, where most markers are plain notes and one in a few hundred is an
 * AI tag.
 */
export function markerFiles(bytes: number): { name: string; format: 'edl' | 'avid-markers' | 'premiere-markers' | 'fcpxml'; text: string }[] {
  const tc = (i: number) => {
    const f = i % 24;
    const s = Math.floor(i / 24);
    return `${String(1 + Math.floor(s / 3600) % 23).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}:${String(f).padStart(2, '0')}`;
  };
  const note = (i: number) => (i % 300 === 7 ? `ai: video.generated; tool: Runway Gen-4; prompt: "harbour at dawn"; source: none; x-shot: ${i}` : `VFX - paint out boom mic, shot ${i}; check with grade`);
  const build = (line: (i: number) => string, head = '', tail = '') => {
    const parts = [head];
    let size = head.length + tail.length;
    for (let i = 0; size < bytes; i++) {
      const l = line(i);
      parts.push(l);
      size += l.length;
    }
    parts.push(tail);
    return parts.join('');
  };
  return [
    { name: 'CMX3600 EDL', format: 'edl', text: build((i) => `${String(i % 1000).padStart(3, '0')}  AX_${i}  V     C        00:00:00:00 00:00:01:00 ${tc(i * 24)} ${tc(i * 24 + 24)}\n* FROM CLIP NAME:  AX_${i}\n* ${note(i)}\n* LOC: ${tc(i * 24 + 3)} RED     ${note(i + 1)}\n`, 'TITLE: BENCH\nFCM: NON-DROP FRAME\n') },
    { name: 'Resolve marker EDL', format: 'edl', text: build((i) => `${String(i % 1000).padStart(3, '0')}  001      V     C        ${tc(i * 24)} ${tc(i * 24 + 1)} ${tc(i * 24)} ${tc(i * 24 + 1)}  \n${note(i)} |C:ResolveColorBlue |M:Marker ${i} |D:1\n\n`, 'TITLE: BENCH\nFCM: NON-DROP FRAME\n\n') },
    { name: 'Avid marker list', format: 'avid-markers', text: build((i) => `Mara Okafor\t${tc(i * 24)}\tV1\tred\t${note(i)}\t1\n`) },
    { name: 'Premiere marker export', format: 'premiere-markers', text: build((i) => `Marker ${i}\t${note(i)}\t${tc(i * 24)}\t${tc(i * 24)}\t00:00:00:00\tComment\n`, 'Marker Name\tDescription\tIn\tOut\tDuration\tMarker Type\n') },
    {
      name: 'FCPXML',
      format: 'fcpxml',
      text: build(
        (i) => `<asset-clip ref="r2" offset="${3600 + i * 2}s" name="AX_${i}" start="0s" duration="2s"><marker start="1s" duration="100/2400s" value="Marker ${i}" note="${note(i).replace(/"/g, '&quot;')}"/></asset-clip>\n`,
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n<fcpxml version="1.11"><resources><format id="r1" frameDuration="100/2400s"/></resources><library><event name="E"><project name="P"><sequence format="r1" tcStart="3600s" tcFormat="NDF"><spine>\n',
        '</spine></sequence></project></event></library></fcpxml>\n',
      ),
    },
  ];
}
