// The server's open documents (kept as lines) against vscode-languageserver-textdocument, the
// library every LSP server uses: after any sequence of edits, the same text as its update, and the
// lines, positions and offsets of that text, including ranges past the end, reversed ranges and
// every kind of line break. (Positions are compared with the library's document created from the
// text: after a change past the end, its updated document has lines that do not exist.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lineDocuments } from '../../server/src/lsp/lineDocuments.js';

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', '\r\n', '狼', '😀', '\t'), maxLength: 30 });
const position = fc.record({ line: fc.integer({ min: -1, max: 8 }), character: fc.integer({ min: -1, max: 12 }) });
const change: fc.Arbitrary<TextDocumentContentChangeEvent> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ range: fc.record({ start: position, end: position }), text }) },
  { weight: 1, arbitrary: fc.record({ text }) },
);

test('any edits give what the library gives: text, lines, positions and offsets', () => {
  fc.assert(
    fc.property(text, fc.array(change, { maxLength: 12 }), fc.boolean(), (initial, changes, batched) => {
      const ours = lineDocuments.create('file:///a.fountain', 'fountain', 1, initial);
      let expected = initial;
      changes.forEach((one, i) => {
        // The library's document made from the text so far: its own update, once a change went past
        // the end, keeps line offsets for lines that do not exist and misplaces the next change.
        const theirs = TextDocument.create('file:///a.fountain', 'fountain', i + 1, expected);
        TextDocument.update(theirs, [one], i + 2);
        expected = theirs.getText();
        if (!batched) lineDocuments.update(ours, [one], i + 2);
      });
      if (batched) lineDocuments.update(ours, changes, changes.length + 1);
      assert.equal(ours.getText(), expected);
      assert.equal(ours.version, changes.length + 1);
      const fresh = TextDocument.create('file:///a.fountain', 'fountain', 1, expected);
      assert.equal(ours.lineCount, fresh.lineCount);
      for (let offset = -1; offset <= expected.length + 1; offset++) assert.deepEqual(ours.positionAt(offset), fresh.positionAt(offset));
      for (let line = -1; line <= fresh.lineCount; line++) {
        for (let character = -1; character <= 6; character++) assert.equal(ours.offsetAt({ line, character }), fresh.offsetAt({ line, character }));
      }
    }),
    { numRuns: 3000 },
  );
});

test('typing into a long screenplay keeps its text exact', () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `Line ${i} of the script.\r\n`).join('');
  const doc = lineDocuments.create('file:///big.fountain', 'fountain', 1, lines);
  for (let i = 0; i < 500; i++) lineDocuments.update(doc, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }], i + 2);
  assert.equal(doc.getText(), lines.replace('Line 5 of', `${'x'.repeat(500)}Line 5 of`));
  assert.equal(doc.version, 501);
});
