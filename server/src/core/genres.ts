// Genres and guideline packs of SPEC §4.

export const GENRES = ['documentary', 'true-crime', 'news', 'reality', 'docudrama', 'scripted', 'animation', 'kids'] as const;
export type Genre = (typeof GENRES)[number];

export const DEFAULT_GENRE: Genre = 'scripted';

export const PACKS = ['netflix', 'apa', 'sag-aftra', 'wga', 'eu-ai-act', 'youtube', 'bbc'] as const;
export type Pack = (typeof PACKS)[number];

const ALIASES: Record<string, Genre> = {
  nonfiction: 'documentary',
  'non-fiction': 'documentary',
  docuseries: 'documentary',
  doc: 'documentary',
  'current-affairs': 'news',
  unscripted: 'reality',
  biopic: 'docudrama',
  'based-on-real-events': 'docudrama',
  drama: 'scripted',
  comedy: 'scripted',
  thriller: 'scripted',
  feature: 'scripted',
  fiction: 'scripted',
  animated: 'animation',
  children: 'kids',
};

/** `True Crime`, `true_crime` and `TRUE-CRIME` all read as `true-crime`. */
export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/-+/g, '-');
}

/** The canonical genre for a name or alias, or undefined when unknown. */
export function resolveGenre(name: string): Genre | undefined {
  const n = normaliseName(name);
  if ((GENRES as readonly string[]).includes(n)) return n as Genre;
  return ALIASES[n];
}

export function resolvePack(name: string): Pack | undefined {
  const n = normaliseName(name);
  if ((PACKS as readonly string[]).includes(n)) return n as Pack;
  if (n === 'eu' || n === 'eu-ai' || n === 'ai-act') return 'eu-ai-act';
  if (n === 'sag' || n === 'sagaftra') return 'sag-aftra';
  return undefined;
}

const NONFICTION: readonly Genre[] = ['documentary', 'true-crime', 'news'];
const FICTION: readonly Genre[] = ['scripted', 'animation', 'kids'];

/** Documentary, true crime and news: held to the strictest rules; "↑" rules raise severity. */
export function isNonfiction(genre: string): boolean {
  return (NONFICTION as readonly string[]).includes(genre);
}

/** Evidently fictional works (EU AI Act Art. 50(4) limits the deep-fake duty for them). */
export function isFiction(genre: string): boolean {
  return (FICTION as readonly string[]).includes(genre);
}

export function defaultPacks(genre: Genre): Pack[] {
  if (isNonfiction(genre)) return ['netflix', 'apa', 'eu-ai-act'];
  if (genre === 'docudrama' || genre === 'reality') return ['netflix', 'sag-aftra', 'eu-ai-act'];
  return ['netflix', 'sag-aftra', 'wga'];
}
