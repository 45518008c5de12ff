// The report's own writer of cue-sheet and findings rows must write exactly what hast-util-to-html
// writes for the same tree: same escaping of hostile text, same attributes, same void elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toHtml } from 'hast-util-to-html';
import type { Element, ElementContent } from 'hast';
import { rowHtml } from '../../server/src/core/report/html.js';

/** Text as tags carry it: markup, entities, quotes, backticks, non-Latin scripts, lone surrogates. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", '`', '=', '/', ' ', '\t', '\n', 'a', '狼', 'é', '😀', '\ud800', '\0', '&amp;', '<!--'), maxLength: 12 }),
);

const properties = fc.record(
  {
    className: fc.array(fc.constantFrom('num', 'sub', 'tok', 'nw', 'muted', 'sev-error', ''), { maxLength: 3 }),
    id: hostileText,
    href: fc.oneof(hostileText, fc.constant('https://example.com/?a=1&b="2"')),
    colSpan: fc.integer({ min: 1, max: 12 }),
    scope: fc.constantFrom('col', 'rowgroup', 'colgroup'),
  },
  { requiredKeys: [] },
);

const { row } = fc.letrec<{ row: Element; content: ElementContent }>((tie) => ({
  row: fc.record({
    type: fc.constant('element' as const),
    tagName: fc.constantFrom('tbody', 'tr', 'td', 'th', 'span', 'a', 'code', 'strong', 'wbr'),
    properties,
    children: fc.array(tie('content'), { maxLength: 4 }),
  }) as fc.Arbitrary<Element>,
  content: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('text' as const), value: hostileText }),
    tie('row'),
  ) as fc.Arbitrary<ElementContent>,
}));

test('rowHtml writes what hast-util-to-html writes, for any row with any text', () => {
  fc.assert(
    fc.property(row, (tree) => {
      assert.equal(rowHtml(tree), toHtml(tree));
    }),
    { numRuns: 3000 },
  );
});

test('rowHtml escapes a tag value that tries to close the cell and open a script', () => {
  const cell: Element = { type: 'element', tagName: 'td', properties: { id: 'x" onmouseover="alert(1)' }, children: [{ type: 'text', value: '</td><script>alert(1)</script>' }] };
  const html = rowHtml(cell);
  assert.equal(html, '<td id="x&#x22; onmouseover=&#x22;alert(1)">&#x3C;/td>&#x3C;script>alert(1)&#x3C;/script></td>');
  assert.doesNotMatch(html, /<script/);
});

test('rowHtml hands anything outside its subset to hast-util-to-html', () => {
  const odd: Element = { type: 'element', tagName: 'td', properties: { dataRow: '1', hidden: true }, children: [{ type: 'element', tagName: 'style', properties: {}, children: [{ type: 'text', value: 'a<b' }] }] };
  assert.equal(rowHtml(odd), toHtml(odd));
  const wbrWithText: Element = { type: 'element', tagName: 'wbr', properties: {}, children: [{ type: 'text', value: 'x' }] };
  assert.equal(rowHtml(wbrWithText), toHtml(wbrWithText));
});

test('a big cue sheet rendered half on a helper is the same page, and a small one never asks it', async () => {
  const { reportOf, HOSTILE_FOUNTAIN } = await import('./helpers.js');
  const { renderHtml, renderHtmlChunks, cueSheetGroupsHtml } = await import('../../server/src/core/report/html.js');
  const episode = (n: number) => `Title: Ep ${n}\n\nINT. A - DAY\n\n` + Array.from({ length: 700 }, (_, i) => `Shot ${i}. [[ai: image.generated; tool: Midjourney 6.1; stage: temp; prompt: "<b>${n}-${i}</b> & more"]]\n\n`).join('');
  const big = reportOf({ 'ep1.fountain': episode(1), 'ep2.fountain': episode(2), 'ep3.fountain': episode(3), 'hostile.fountain': HOSTILE_FOUNTAIN });
  assert.ok(big.cueSheet.length >= 2000);
  const asked: string[][] = [];
  const helper = (groups: [string, unknown[]][]) => {
    asked.push(groups.map(([file]) => file));
    const pieces = cueSheetGroupsHtml(groups as Parameters<typeof cueSheetGroupsHtml>[0]);
    return () => pieces;
  };
  assert.equal(renderHtmlChunks(big, helper).join(''), renderHtml(big));
  // The later files, about half of the uses.
  assert.deepEqual(asked, [['ep3.fountain', 'hostile.fountain']]);

  const small = reportOf({ 'hostile.fountain': HOSTILE_FOUNTAIN });
  asked.length = 0;
  assert.equal(renderHtmlChunks(small, helper).join(''), renderHtml(small));
  assert.deepEqual(asked, []);
});
