// Addresses that come from a workspace (a custom rule's source.url) written into Markdown (the
// report, the hover). A valid https address may hold `)`, `!`, `[`, `]`: written as is, it closes
// the link and opens an image (a tracking pixel) or a `command:` link. So an address is parsed as a
// URL, kept only if it is http or https, and every character Markdown link syntax gives a meaning is
// percent-encoded in the destination (encodeURIComponent leaves `(`, `)`, `!`, `*` and `'` alone).

/** The address as the WHATWG URL parser normalises it, when it is http or https; null otherwise. */
export function httpUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Characters kept as they are in a Markdown link destination: none of them ends or escapes it. */
const DESTINATION_SAFE = /[A-Za-z0-9\-._~:/?#@$&+,;=%]/;

/** An http(s) address ready to write between `](` and `)`, or null when it is not one. */
export function markdownDestination(url: unknown): string | null {
  const href = httpUrl(url);
  if (href === null) return null;
  let out = '';
  for (const c of href) {
    out += DESTINATION_SAFE.test(c) ? c : [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}
