// The timeline marker formats of SPEC §2.4: one parser per format, each producing the same
// ParsedDocument as the Fountain and Markdown parsers.

import type { ParsedDocument, TimelineMarkerFormat } from '../types.js';
import { parseEdl, type MarkerParseOptions } from './edl.js';
import { parseFcpxml } from './fcpxml.js';
import { parseAvidMarkers, parsePremiereMarkers, sniffAvidMarkers, sniffPremiereMarkers } from './tab-separated.js';

export { MARKER_FILE_RULE, parseEdl, type MarkerParseOptions } from './edl.js';
export { parseFcpxml } from './fcpxml.js';
export { AVID_COLOURS, parseAvidMarkers, parsePremiereMarkers, PREMIERE_HEADER, sniffAvidMarkers, sniffPremiereMarkers } from './tab-separated.js';

export const TIMELINE_MARKER_FORMATS: readonly TimelineMarkerFormat[] = ['edl', 'avid-markers', 'premiere-markers', 'fcpxml'];

export function isTimelineMarkerFormat(format: string): format is TimelineMarkerFormat {
  return (TIMELINE_MARKER_FORMATS as readonly string[]).includes(format);
}

export function parseTimelineMarkers(text: string, format: TimelineMarkerFormat, options: MarkerParseOptions = {}): ParsedDocument {
  switch (format) {
    case 'edl':
      return parseEdl(text, options);
    case 'avid-markers':
      return parseAvidMarkers(text, options);
    case 'premiere-markers':
      return parsePremiereMarkers(text, options);
    case 'fcpxml':
      return parseFcpxml(text);
  }
}

/**
 * Which marker list a `.txt` or `.csv` file is, by its first line, or undefined when it is neither
 * (a screenplay or a note saved as text is never read as markers).
 */
export function sniffMarkerList(text: string): 'avid-markers' | 'premiere-markers' | undefined {
  if (sniffPremiereMarkers(text)) return 'premiere-markers';
  if (sniffAvidMarkers(text)) return 'avid-markers';
  return undefined;
}
