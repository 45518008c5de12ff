// The language server end to end over stdio, driven by a real JSON-RPC client
// (vscode-languageserver-protocol) against the built bundle, as Neovim, Helix or VS Code would.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CompletionList,
  Diagnostic,
  DocumentDiagnosticReport,
  DocumentSymbol,
  Hover,
  InitializeResult,
  MarkupContent,
  Range,
  SymbolInformation,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/core/line-index.js';
import { applyEdits } from '../../server/src/lsp/fixEdits.js';
import { codes, editsBackToFront, ensureBuilt, TestClient } from './lsp-client.js';

const SCREENPLAY = `Title: The Lantern Road
Genre: True Crime

INT. INTERVIEW ROOM - DAY

The 1997 yearbook portrait.
[[ai: image.genrated; tool: Topaz Photo AI 3.1; stage: final; approval: NFX-1]]

EXT. QUAY - NIGHT

A police launch idles.
[[ai: video.composite; tool: Runway Gen-4 Aleph; depicts: real-event; realism: photoreal; presented-as: archival; source: KPEL reel; timecode: 00:08:12:04; prompt: "add fog"; stage: final; disclosure: none; id: LR-3]]
`;

/** Where `needle` is in `text`, as an LSP range. */
function rangeOf(text: string, needle: string, from = 0): Range {
  const index = new LineIndex(text);
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, `${needle} not in text`);
  return index.range(start, start + needle.length);
}

function positionIn(text: string, needle: string, delta = 0) {
  const index = new LineIndex(text);
  return index.positionAt(text.indexOf(needle) + delta);
}

function editsOf(action: CodeAction, uri: string): (TextEdit & { snippet?: { value: string } })[] {
  const edit = action.edit;
  assert.ok(edit, `${action.title} has no edit`);
  if (edit.documentChanges) {
    const change = edit.documentChanges.find((c) => 'textDocument' in c && c.textDocument.uri === uri) as TextDocumentEdit;
    return change.edits as (TextEdit & { snippet?: { value: string } })[];
  }
  return edit.changes![uri];
}

function plainEdits(action: CodeAction, uri: string): TextEdit[] {
  return editsOf(action, uri).map((e) => ({ range: e.range, newText: e.newText ?? e.snippet!.value }));
}

let counter = 0;
function freshUri(ext: string, dir = tmpdir()): string {
  return pathToFileURL(path.join(dir, `doc-${process.pid}-${++counter}.${ext}`)).href;
}

describe('language server over stdio (push diagnostics)', () => {
  let client: TestClient;
  let init: InitializeResult;
  before(async () => {
    ensureBuilt();
    client = new TestClient();
    init = await client.initialize();
  });
  after(async () => client.shutdown());

  it('initializes with incremental sync, quick-fixes, fix-all, hover, completion, symbols and no pull diagnostics', () => {
    const caps = init.capabilities;
    assert.deepEqual(caps.textDocumentSync && typeof caps.textDocumentSync === 'object' ? caps.textDocumentSync.change : undefined, 2);
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', 'source.fixAll.ai-use']);
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.completionProvider?.triggerCharacters?.slice(0, 3), [':', ';', ' ']);
    assert.equal(caps.documentSymbolProvider, true);
    assert.equal(caps.diagnosticProvider, undefined);
    // No VS Code client: the server opens docs itself through window/showDocument.
    assert.deepEqual(caps.executeCommandProvider?.commands, ['aiUse.showDocumentation']);
    assert.equal(init.serverInfo?.name, 'ai-use-language-server');
  });

  it('registers a watcher for .ai-use.* files', async () => {
    for (let i = 0; i < 50 && client.registrations.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const watcher = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watcher, 'no watcher registered');
    assert.match(JSON.stringify(watcher.registerOptions), /\.ai-use\.\{yaml,yml,json\}/);
  });

  it('publishes diagnostics on open with exact ranges, rule codes, docs links, source and citation', async () => {
    const uri = freshUri('fountain');
    const waiting = client.diagnostics(uri, 1);
    await client.open(uri, 'fountain', SCREENPLAY);
    const { diagnostics, version } = await waiting;
    assert.equal(version, 1);
    const unknownKind = diagnostics.find((d) => d.code === 'core/unknown-kind');
    assert.ok(unknownKind, codes(diagnostics).join(', '));
    assert.deepEqual(unknownKind.range, rangeOf(SCREENPLAY, 'image.genrated'));
    assert.equal(unknownKind.severity, 2);
    assert.equal(unknownKind.source, 'ai-use');
    assert.equal(unknownKind.codeDescription?.href, 'https://github.com/ai-use-lint/ai-use-lint/blob/main/docs/rules/core/unknown-kind.md');
    const archival = diagnostics.find((d) => d.code === 'apa/synthetic-archival');
    assert.ok(archival, codes(diagnostics).join(', '));
    assert.deepEqual(archival.range, rangeOf(SCREENPLAY, 'archival', SCREENPLAY.indexOf('presented-as: archival')));
    assert.equal(archival.severity, 1);
    assert.match(archival.message as string, /\(Source: Archival Producers Alliance[^)]*§3/);
    assert.deepEqual(Object.keys(archival.data as object).sort(), ['finding', 'ruleId', 'tagIndex', 'version']);
  });

  it('publishes new diagnostics for the new version after an incremental change', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    await client.diagnostics(uri, 1);
    const version = await client.change(uri, [{ range: rangeOf(SCREENPLAY, 'image.genrated'), text: 'image.enhanced' }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.ok(!codes(diagnostics).includes('core/unknown-kind'), codes(diagnostics).join(', '));
    assert.ok(codes(diagnostics).includes('apa/synthetic-archival'));
  });

  it('drops stale work: a burst of edits ends with diagnostics for the last version', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    await client.diagnostics(uri, 1);
    let text = SCREENPLAY;
    let version = 1;
    for (let i = 0; i < 20; i++) {
      const at = new LineIndex(text).positionAt(text.indexOf('A police launch'));
      version = await client.change(uri, [{ range: { start: at, end: at }, text: 'x' }]);
      text = text.replace('A police launch', 'xA police launch');
    }
    const last = await client.diagnostics(uri, version);
    assert.equal(last.version, 20 + 1);
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
    assert.ok(versions.length < 21, `every intermediate version was validated: ${versions.join(',')}`);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions, 'versions published out of order');
  });

  it('clears diagnostics when a document is closed', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    await client.diagnostics(uri, 1);
    const cleared = client.diagnosticsWhere(uri, (p) => p.diagnostics.length === 0);
    await client.close(uri);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  it('checks Markdown notes with comment tags', async () => {
    const uri = freshUri('md');
    const text = '---\ngenre: documentary\n---\n\n# Notes\n\nReel.\n\n<!-- ai: video.enhanced; tool: Topaz Video AI 5; stage: finale -->\n';
    await client.open(uri, 'markdown', text);
    const { diagnostics } = await client.diagnostics(uri, 1);
    const invalid = diagnostics.find((d) => d.code === 'core/invalid-value');
    assert.ok(invalid, codes(diagnostics).join(', '));
    assert.deepEqual(invalid.range, rangeOf(text, 'finale'));
  });

  describe('code actions', () => {
    async function actionsFor(uri: string, text: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
      return client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      });
    }

    /** Applies `action` as a client does (incremental didChange) and returns the new diagnostics. */
    async function applyAction(uri: string, text: string, action: CodeAction): Promise<{ text: string; diagnostics: Diagnostic[] }> {
      const edits = plainEdits(action, uri);
      const version = await client.change(uri, editsBackToFront(edits).map((e) => ({ range: e.range, text: e.newText })));
      const { diagnostics } = await client.diagnostics(uri, version);
      return { text: applyEdits(text, new LineIndex(text), edits), diagnostics };
    }

    async function openWith(text: string, ext = 'fountain'): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
      const uri = freshUri(ext);
      await client.open(uri, ext === 'md' ? 'markdown' : 'fountain', text);
      return { uri, diagnostics: (await client.diagnostics(uri, 1)).diagnostics };
    }

    // `remainsAs`: the rule keeps an informational finding by design (EU AI Act: credits suffice
    // for evidently fictional works, and the finding drops to info).
    const cases: { name: string; text: string; rule: string; title: RegExp; expect: RegExp; ext?: string; remainsAs?: number }[] = [
      { name: 'replace (did-you-mean)', text: SCREENPLAY, rule: 'core/unknown-kind', title: /image\.generated/, expect: /\[\[ai: image\.generated; tool: Topaz/ },
      { name: 'set-value', text: SCREENPLAY, rule: 'apa/synthetic-archival', title: /re-creation/, expect: /presented-as: re-creation/ },
      { name: 'add-field', text: 'Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nA voice.\n[[ai: audio.voice-clone; subject: Walter B; deceased: yes; stage: temp; disclosure: narration; presented-as: re-creation; timecode: 00:01:00:00; tool: X; prompt: y; source: none]]\n', rule: 'apa/human-simulation', title: /estate's consent/i, expect: /; consent: estate letter reference\]\]/ },
      { name: 'add-field (living subject)', text: 'Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nA voice.\n[[ai: audio.voice-clone; subject: Nadia Roy; stage: temp; disclosure: narration; presented-as: re-creation; timecode: 00:01:00:00; tool: X; prompt: y; source: none]]\n', rule: 'apa/human-simulation', title: /^Add the consent reference$/, expect: /; consent: reference\]\]/ },
      { name: 'add-list-item (drops none)', text: SCREENPLAY, rule: 'apa/on-screen-disclosure', title: /^Disclose it on screen$/, expect: /disclosure: on-screen; id: LR-3/ },
      { name: 'remove-field', text: 'INT. ROOM - DAY\n\nA poster.\n[[ai: image.concept; references: Afghan Girl (McCurry); stage: ideation]]\n', rule: 'netflix/unowned-reference', title: /^Remove references$|remove/i, expect: /\[\[ai: image\.concept; stage: ideation\]\]/ },
      { name: 'insert-disclosure (Fountain SUPER line)', text: SCREENPLAY, rule: 'apa/on-screen-disclosure', title: /on-screen label/, expect: /A police launch idles\.\n\[\[ai/ },
      { name: 'cue-sheet-row', text: 'Title: X\nGenre: documentary\n\nINT. ROOM - DAY\n\nReel.\n[[ai: video.enhanced; tool: Topaz Video AI 5; timecode: 00:07:40:00]]\n', rule: 'apa/enhancement', title: /a row/i, expect: /# GenAI cue sheet\n\n\/\*\n\| Timecode \|[^\n]*\n\|---[^\n]*\n\| 00:07:40:00 \|[^\n]*\n\*\/\n$/ },
      { name: 'credits-line', text: 'Title: X\nGenre: drama\nAI-Guidelines: netflix, eu-ai-act\n\nINT. ROOM - DAY\n\nA face.\n[[ai: likeness.face-swap; tool: DeepFaceLab; depicts: real-person; realism: photoreal; consent: rider 12; approval: NFX-2; stage: final]]\n', rule: 'eu-ai-act/deep-fake', title: /credits line/i, expect: /# Credits\n\nImages created with DeepFaceLab \(generative AI\)\n$/, remainsAs: 3 },
      { name: 'tag-mention', text: 'INT. ROOM - DAY\n\nThe storyboards came out of Midjourney overnight.\n', rule: 'core/untagged-mention', title: /Tag this as AI use/, expect: /Midjourney \[\[ai: image\.generated; tool: Midjourney\]\] overnight/ },
      { name: 'waive', text: SCREENPLAY, rule: 'apa/synthetic-archival', title: /^Waive apa\/synthetic-archival on this tag$/, expect: /id: LR-3; waive: apa\/synthetic-archival -- reason\]\]/ },
      { name: 'disable for the file', text: SCREENPLAY, rule: 'apa/synthetic-archival', title: /^Disable apa\/synthetic-archival for this file$/, expect: /^Title: The Lantern Road\nGenre: True Crime\n\n\[\[ai-lint: disable-file apa\/synthetic-archival -- reason\]\]\n\nINT\. INTERVIEW/ },
      { name: 'Markdown label line in a list keeps the list whole', ext: 'md', text: '---\ngenre: documentary\n---\n\n# Shots\n\n- Shot 1.\n- Shot 2, fog <!-- ai: video.generated; tool: Veo 3; disclosure: credits -->\n- Shot 3.\n', rule: 'apa/on-screen-disclosure', title: /on-screen label/, expect: /- Shot 1\.\n- Shot 2, fog <!-- ai: video\.generated; tool: Veo 3; disclosure: credits, on-screen -->\n {2}- \*\*On screen:\*\* AI-GENERATED RE-CREATION\n- Shot 3\.\n$/ },
      { name: 'Markdown label line', ext: 'md', text: '---\ngenre: documentary\n---\n\n# Notes\n\n<!-- ai: video.generated; tool: Veo 3; disclosure: credits -->\nFerry in fog.\n', rule: 'apa/on-screen-disclosure', title: /on-screen label/, expect: /<!-- ai: video\.generated; tool: Veo 3; disclosure: credits, on-screen -->\n\n\*\*On screen:\*\* AI-GENERATED RE-CREATION\n\nFerry in fog\./ },
    ];

    for (const c of cases) {
      it(`${c.name}: applied, its diagnostic goes`, async () => {
        const { uri, diagnostics } = await openWith(c.text, c.ext);
        const target = diagnostics.find((d) => d.code === c.rule);
        assert.ok(target, `${c.rule} not reported: ${codes(diagnostics).join(', ')}`);
        const actions = await actionsFor(uri, c.text, target);
        const action = actions.find((a) => c.title.test(a.title));
        assert.ok(action, `no action like ${c.title} in: ${actions.map((a) => a.title).join(' | ')}`);
        assert.equal(action.kind, 'quickfix');
        const result = await applyAction(uri, c.text, action);
        assert.match(result.text, c.expect);
        const sameTag = (d: Diagnostic) => d.code === c.rule && (d.data as { tagIndex?: number }).tagIndex === (target.data as { tagIndex?: number }).tagIndex;
        const remaining = result.diagnostics.filter((d) => sameTag(d) && d.severity !== c.remainsAs);
        assert.deepEqual(remaining.map((d) => d.message), [], `still reported in:\n${result.text}`);
      });
    }

    it('offers show-documentation as a command, and the server opens the page for clients without it', async () => {
      const { uri, diagnostics } = await openWith(SCREENPLAY);
      const actions = await actionsFor(uri, SCREENPLAY, diagnostics.find((d) => d.code === 'core/unknown-kind')!);
      const docs = actions.find((a) => a.title === 'Show documentation for core/unknown-kind');
      assert.ok(docs?.command);
      assert.equal(docs.command.command, 'aiUse.showDocumentation');
      assert.deepEqual(docs.command.arguments, ['core/unknown-kind', 'https://github.com/ai-use-lint/ai-use-lint/blob/main/docs/rules/core/unknown-kind.md']);
      const shown: unknown[] = [];
      client.connection.onRequest('window/showDocument', (params: unknown) => {
        shown.push(params);
        return { success: true };
      });
      await client.request('workspace/executeCommand', docs.command);
      assert.deepEqual(shown, [{ uri: docs.command.arguments![1], external: true }]);
    });

    it('marks a single did-you-mean as preferred', async () => {
      const text = 'INT. ROOM - DAY\n\nA.\n[[ai: text.ideation; stage: ideaton]]\n';
      const { uri, diagnostics } = await openWith(text);
      const actions = await actionsFor(uri, text, diagnostics.find((d) => d.code === 'core/invalid-value')!);
      assert.equal(actions[0].title.includes('ideation'), true, actions.map((a) => a.title).join(' | '));
      assert.equal(actions[0].isPreferred, true);
    });

    it('source.fixAll.ai-use applies every safe fix', async () => {
      const text = 'INT. ROOM - DAY\n\nA.\n[[ai: text.ideation; stage: ideaton]]\n\nB.\n[[ai: text.ideation; stge: ideation]]\n';
      const { uri } = await openWith(text);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.ai-use']);
      const result = await applyAction(uri, text, actions[0]);
      assert.equal(result.text, text.replace('ideaton', 'ideation').replace('stge', 'stage'));
      assert.deepEqual(codes(result.diagnostics), []);
    });

    it('a waiver after a quote that never closes closes it first; every fix offered removes its finding', async () => {
      const text = 'INT. A - DAY\n\nA shot.\n[[ai: image.generated; stage: temp; depicts: "real-person]]\n';
      const { uri, diagnostics } = await openWith(text);
      const syntax = diagnostics.find((d) => d.code === 'core/tag-syntax');
      assert.ok(syntax, codes(diagnostics).join());
      const actions = await actionsFor(uri, text, syntax);
      const titles = actions.map((a) => a.title);
      // Added after the open quote, the waive field used to be read as more of the quoted value.
      const waive = actions.find((a) => a.title.startsWith('Waive'));
      assert.ok(waive, titles.join(' | '));
      const waived = await applyAction(uri, text, waive);
      assert.match(waived.text, /depicts: "real-person"; waive: core\/tag-syntax -- reason\]\]/);
      // Every fix still offered does remove the finding (each tried on a fresh copy).
      for (const title of titles) {
        const fresh = await openWith(text);
        const action = (await actionsFor(fresh.uri, text, fresh.diagnostics.find((d) => d.code === 'core/tag-syntax')!)).find((a) => a.title === title)!;
        if (!action.edit) continue;
        const result = await applyAction(fresh.uri, text, action);
        assert.ok(!codes(result.diagnostics).includes('core/tag-syntax'), `${title} left core/tag-syntax in place`);
      }
    });

    it('answers an empty list for unknown documents and out-of-range positions', async () => {
      const none = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: 'file:///nowhere/x.fountain' },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      });
      assert.deepEqual(none, []);
      const { uri } = await openWith(SCREENPLAY);
      const far = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 9999, character: 5 }, end: { line: 10000, character: 0 } },
        context: { diagnostics: [] },
      });
      assert.ok(far.every((a) => a.kind === 'source.fixAll.ai-use'), far.map((a) => a.title).join(' | '));
    });
  });

  it('hover on a tag shows the kind, its IPTC source type and every finding with source and docs', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    await client.diagnostics(uri, 1);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionIn(SCREENPLAY, 'video.composite', 3) });
    assert.ok(hover);
    const value = (hover.contents as MarkupContent).value;
    assert.equal((hover.contents as MarkupContent).kind, 'markdown');
    assert.match(value, /video\.composite`\*\*: Real footage changed by generative fill/);
    assert.match(value, /\[compositeWithTrainedAlgorithmicMedia\]\(http:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\/compositeWithTrainedAlgorithmicMedia\)/);
    assert.match(value, /\*\*Error\*\* `apa\/synthetic-archival`: .*Source: \[Archival Producers Alliance[^\]]*\]\(https:[^)]+\), §3 Premise\. \[Docs\]\(https:\/\/github\.com\/ai-use-lint\/ai-use-lint\/blob\/main\/docs\/rules\/apa\/synthetic-archival\.md\)/);
    assert.deepEqual(hover.range, rangeOf(SCREENPLAY, SCREENPLAY.slice(SCREENPLAY.indexOf('[[ai: video'), SCREENPLAY.indexOf('LR-3]]') + 6)));
    const outside = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionIn(SCREENPLAY, 'A police launch') });
    assert.equal(outside, null);
    const far = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 5000, character: 3 } });
    assert.equal(far, null);
    const unknown = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: 'file:///nowhere.fountain' }, position: { line: 0, character: 0 } });
    assert.equal(unknown, null);
  });

  describe('completion', () => {
    async function complete(text: string, marker = '|', ext = 'fountain'): Promise<CompletionList | null> {
      const uri = freshUri(ext);
      const offset = text.indexOf(marker);
      const clean = text.slice(0, offset) + text.slice(offset + 1);
      await client.open(uri, ext === 'md' ? 'markdown' : 'fountain', clean);
      return client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: new LineIndex(clean).positionAt(offset) });
    }

    it('offers kinds after `ai:`, with descriptions and IPTC types', async () => {
      const list = await complete('INT. ROOM - DAY\n\nA.\n[[ai: im|]]\n');
      const item = list?.items.find((i) => i.label === 'image.generated');
      assert.ok(item, JSON.stringify(list?.items.map((i) => i.label)));
      assert.equal(item.detail, 'IPTC: trainedAlgorithmicMedia');
      assert.match((item.documentation as MarkupContent).value, /A new image that appears in the picture/);
      assert.deepEqual((item.textEdit as TextEdit).range, { start: { line: 3, character: 6 }, end: { line: 3, character: 8 } });
    });

    it('offers keys not already present after `;`, on a tag still being typed', async () => {
      const list = await complete('INT. ROOM - DAY\n\nA.\n[[ai: image.generated; tool: X; |\n');
      const labels = list!.items.map((i) => i.label);
      assert.ok(labels.includes('stage') && labels.includes('approval'), labels.join(','));
      assert.ok(!labels.includes('tool') && !labels.includes('kind'), labels.join(','));
      const stage = list!.items.find((i) => i.label === 'stage')!;
      assert.equal((stage.textEdit as TextEdit).newText, 'stage: ');
      assert.match((stage.documentation as MarkupContent).value, /`final`: In the final deliverable/);
    });

    it('offers enum values after `key:`, and list values not yet chosen after a comma', async () => {
      const stage = await complete('INT. ROOM - DAY\n\nA.\n[[ai: image.generated; stage:|]]\n');
      assert.deepEqual(stage!.items.map((i) => i.label), ['ideation', 'development', 'pitch', 'temp', 'final']);
      assert.equal((stage!.items[4].textEdit as TextEdit).newText, ' final');
      const disclosure = await complete('INT. ROOM - DAY\n\nA.\n[[ai: image.generated; disclosure: credits, on|]]\n');
      const labels = disclosure!.items.map((i) => i.label);
      assert.ok(labels.includes('on-screen') && !labels.includes('credits'), labels.join(','));
    });

    it('offers nothing outside tags or inside a quoted value', async () => {
      assert.equal(await complete('INT. ROOM - DAY\n\nA stage: |\n'), null);
      assert.equal(await complete('INT. ROOM - DAY\n\n[[ai: image.generated; prompt: "a; b|"]]\n'), null);
    });

    it('offers nothing for tag-like text in a boneyard, a code span or a code block (they are not tags)', async () => {
      assert.equal(await complete('INT. ROOM - DAY\n\n/* cut: [[ai: image.generated; | */\n'), null);
      assert.equal(await complete('# Notes\n\nType `[[ai: image.generated; |` under the shot.\n', '|', 'md'), null);
      assert.equal(await complete('# Notes\n\n```\n[[ai: image.generated; |\n```\n', '|', 'md'), null);
      // The same text being typed in prose does complete.
      const prose = await complete('# Notes\n\nThe fog [[ai: video.composite; |\n', '|', 'md');
      assert.ok(prose?.items.some((i) => i.label === 'tool'));
    });

    it('inserts a space after `ai:` when the kind is picked right after the colon', async () => {
      const list = await complete('INT. ROOM - DAY\n\nA.\n[[ai:|\n');
      const item = list!.items.find((i) => i.label === 'image.generated')!;
      assert.equal((item.textEdit as TextEdit).newText, ' image.generated');
    });
  });

  it('document symbols nest tags under their scene headings', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const shape = (s: DocumentSymbol): unknown => ({ name: s.name, children: (s.children ?? []).map(shape) });
    assert.deepEqual(symbols.map(shape), [
      { name: 'INT. INTERVIEW ROOM - DAY', children: [{ name: 'image.genrated (Topaz Photo AI 3.1)', children: [] }] },
      { name: 'EXT. QUAY - NIGHT', children: [{ name: 'video.composite (LR-3)', children: [] }] },
    ]);
    for (const scene of symbols) {
      for (const child of scene.children ?? []) {
        assert.ok(child.range.start.line >= scene.range.start.line && child.range.end.line <= scene.range.end.line, 'child outside its parent');
      }
    }
  });

  it('answers the status bar counts for a document', async () => {
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    const { diagnostics } = await client.diagnostics(uri, 1);
    const stats = await client.request<{ uses: number; errors: number; warnings: number }>('aiUse/documentStats', { uri });
    assert.equal(stats.uses, 2);
    assert.equal(stats.errors, diagnostics.filter((d) => d.severity === 1).length);
    assert.equal(stats.warnings, diagnostics.filter((d) => d.severity === 2).length);
    assert.equal(await client.request('aiUse/documentStats', { uri: 'file:///nowhere.fountain' }), null);
  });
});

describe('project config and settings', () => {
  let client: TestClient;
  let workspace: string;
  before(async () => {
    ensureBuilt();
    workspace = mkdtempSync(path.join(tmpdir(), 'ai-use-ws-'));
    mkdirSync(path.join(workspace, 'scripts'));
    client = new TestClient();
    await client.initialize(pathToFileURL(workspace).href);
  });
  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  const DOC = 'INT. ROOM - DAY\n\nA face in the crowd, replaced.\n[[ai: video.composite; tool: Runway; presented-as: archival; stage: temp]]\n';

  it('revalidates open documents when .ai-use.yaml is created, changed or deleted', async () => {
    const uri = pathToFileURL(path.join(workspace, 'scripts', 'ep1.fountain')).href;
    await client.open(uri, 'fountain', DOC);
    const scripted = await client.diagnostics(uri, 1);
    assert.ok(!codes(scripted.diagnostics).includes('apa/synthetic-archival'), 'scripted by default: no APA rules');

    const configFile = path.join(workspace, '.ai-use.yaml');
    writeFileSync(configFile, 'genre: documentary\n');
    let next = client.diagnosticsWhere(uri, (p) => codes(p.diagnostics).includes('apa/synthetic-archival'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).href, type: 1 }] });
    const documentary = await next;
    assert.equal(documentary.version, 1, 'same document version, new config');

    writeFileSync(configFile, 'genre: documentary\nrules:\n  apa/synthetic-archival: off\n');
    next = client.diagnosticsWhere(uri, (p) => !codes(p.diagnostics).includes('apa/synthetic-archival'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).href, type: 2 }] });
    assert.ok(codes((await next).diagnostics).some((c) => c.startsWith('apa/')), 'the other APA rules still apply');

    rmSync(configFile);
    next = client.diagnosticsWhere(uri, (p) => !codes(p.diagnostics).some((c) => c.startsWith('apa/')));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).href, type: 3 }] });
    await next;
  });

  it('gives an open config file its own diagnostics, at the exact place', async () => {
    const configFile = path.join(workspace, 'sub', '.ai-use.yaml');
    mkdirSync(path.dirname(configFile), { recursive: true });
    const text = 'genre: documentry\nrules:\n  apa/cue-sheet-fields: loud\n';
    writeFileSync(configFile, text);
    const uri = pathToFileURL(configFile).href;
    await client.open(uri, 'yaml', text);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.ok(diagnostics.length >= 2, JSON.stringify(diagnostics));
    assert.ok(diagnostics.some((d) => d.range.start.line === 0 && d.range.start.character === 7), JSON.stringify(diagnostics.map((d) => d.range)));
    assert.ok(diagnostics.some((d) => d.range.start.line === 2), JSON.stringify(diagnostics.map((d) => d.range)));
    assert.ok(diagnostics.every((d) => d.source === 'ai-use' && typeof d.code === 'string'));
  });

  it('follows aiUse.enable and aiUse.configPath from the settings', async () => {
    const uri = pathToFileURL(path.join(workspace, 'scripts', 'ep2.fountain')).href;
    await client.open(uri, 'fountain', DOC);
    await client.diagnostics(uri, 1);
    writeFileSync(path.join(workspace, 'strict.yaml'), 'genre: news\n');
    client.settings = { ...client.settings, configPath: 'strict.yaml' };
    let next = client.diagnosticsWhere(uri, (p) => codes(p.diagnostics).includes('bbc/factual-genai') || codes(p.diagnostics).includes('apa/synthetic-archival'));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await next;
    client.settings = { ...client.settings, enable: false };
    next = client.diagnosticsWhere(uri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await next;
    client.settings = { ...client.settings, enable: true, configPath: '' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  it('watches the aiUse.configPath file and revalidates when it changes on disk', async () => {
    const uri = pathToFileURL(path.join(workspace, 'scripts', 'ep3.fountain')).href;
    const configFile = path.join(workspace, 'policy', 'network-policy.yml');
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, 'genre: documentary\n');
    client.settings = { ...client.settings, configPath: 'policy/network-policy.yml' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.open(uri, 'fountain', DOC);
    await client.diagnosticsWhere(uri, (p) => codes(p.diagnostics).includes('apa/synthetic-archival'));
    const watcher = client.registrations.find(
      (r) => r.method === 'workspace/didChangeWatchedFiles' && JSON.stringify(r.registerOptions).includes('network-policy.yml'),
    );
    assert.ok(watcher, `no watcher for the configPath file: ${JSON.stringify(client.registrations)}`);
    writeFileSync(configFile, 'genre: drama\n');
    const next = client.diagnosticsWhere(uri, (p) => !codes(p.diagnostics).some((c) => c.startsWith('apa/')));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).href, type: 2 }] });
    await next;
    client.settings = { ...client.settings, configPath: '' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });

  it('tells the status bar to hide when aiUse.enable is turned off', async () => {
    const statsClient = new TestClient({ initializationOptions: { statsNotifications: true } });
    try {
      await statsClient.initialize(null);
      const uri = freshUri('fountain');
      await statsClient.open(uri, 'fountain', SCREENPLAY);
      await statsClient.diagnostics(uri, 1);
      const statsFor = () => statsClient.notifications.filter((n) => (n.params as { uri: string }).uri === uri).map((n) => n.params as { uses: number; disabled?: boolean });
      assert.ok(statsFor().some((s) => s.uses > 0 && !s.disabled));
      statsClient.settings = { ...statsClient.settings, enable: false };
      const cleared = statsClient.diagnosticsWhere(uri, (p) => p.diagnostics.length === 0);
      await statsClient.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await cleared;
      assert.deepEqual(statsFor().at(-1), { uri, version: 1, uses: 0, errors: 0, warnings: 0, infos: 0, hints: 0, disabled: true });
    } finally {
      await statsClient.shutdown();
    }
  });

  it('takes settings pushed in didChangeConfiguration from clients without workspace/configuration', async () => {
    const pushClient = new TestClient({ configurationPull: false });
    try {
      await pushClient.initialize(null);
      const uri = freshUri('fountain');
      await pushClient.open(uri, 'fountain', SCREENPLAY);
      assert.ok((await pushClient.diagnostics(uri, 1)).diagnostics.length > 0);
      const cleared = pushClient.diagnosticsWhere(uri, (p) => p.diagnostics.length === 0);
      await pushClient.connection.sendNotification('workspace/didChangeConfiguration', { settings: { aiUse: { enable: false } } });
      await cleared;
    } finally {
      await pushClient.shutdown();
    }
  });
});

describe('the editor resolves configs as the CLI does', () => {
  let client: TestClient;
  let outer: string;
  let workspace: string;
  before(async () => {
    ensureBuilt();
    // The config sits above the opened folder: the CLI finds it, so the editor must too.
    outer = mkdtempSync(path.join(tmpdir(), 'ai-use-outer-'));
    workspace = path.join(outer, 'workspace');
    mkdirSync(path.join(workspace, 'drafts'), { recursive: true });
    writeFileSync(path.join(outer, '.ai-use.yaml'), 'genre: documentary\nexclude: ["**/drafts/**"]\n');
    client = new TestClient();
    await client.initialize(pathToFileURL(workspace).href);
  });
  after(async () => {
    await client.shutdown();
    rmSync(outer, { recursive: true, force: true });
  });

  // key-visual: netflix/key-creative fires in every genre, so an empty list means "not checked".
  const DOC = 'INT. ROOM - DAY\n\nA face in the crowd, replaced.\n[[ai: video.composite; tool: Runway; presented-as: archival; stage: temp; element: key-visual]]\n';

  it('a config above the workspace folder governs its documents', async () => {
    const uri = pathToFileURL(path.join(workspace, 'ep1.fountain')).href;
    await client.open(uri, 'fountain', DOC);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.ok(codes(diagnostics).includes('apa/synthetic-archival'), codes(diagnostics).join(', '));
  });

  it('a document the config excludes shows no diagnostics (the CLI skips it too)', async () => {
    const uri = pathToFileURL(path.join(workspace, 'drafts', 'old.fountain')).href;
    await client.open(uri, 'fountain', DOC);
    const { diagnostics } = await client.diagnostics(uri, 1);
    assert.deepEqual(diagnostics, []);
  });
});

describe('pull diagnostics (client advertises textDocument.diagnostic)', () => {
  let client: TestClient;
  let init: InitializeResult;
  before(async () => {
    ensureBuilt();
    client = new TestClient({ pull: true, snippets: true, initializationOptions: { clientCommands: ['aiUse.showDocumentation'] } });
    init = await client.initialize();
  });
  after(async () => client.shutdown());

  it('serves textDocument/diagnostic instead of pushing', async () => {
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'ai-use', interFileDependencies: false, workspaceDiagnostics: false });
    assert.equal(init.capabilities.executeCommandProvider, undefined, 'the client runs the docs command itself');
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', SCREENPLAY);
    const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    const items = (report as { items: Diagnostic[] }).items;
    assert.ok(items.some((d) => d.code === 'core/unknown-kind' && d.codeDescription?.href));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(client.published.filter((p) => p.uri === uri), [], 'pushed diagnostics to a pull client');
  });

  it('asks the client to pull again after a settings change', async () => {
    const before = client.refreshes;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    for (let i = 0; i < 50 && client.refreshes === before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(client.refreshes > before, 'no workspace/diagnostic/refresh');
  });

  it('sends snippet edits with tab stops to a client that supports them', async () => {
    const text = 'INT. ROOM - DAY\n\nA poster.\n[[ai: image.generated; element: key-visual; stage: final]]\n';
    const uri = freshUri('fountain');
    await client.open(uri, 'fountain', text);
    const report = await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    const target = report.items.find((d) => d.code === 'netflix/key-creative')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: target.range, context: { diagnostics: [target] } });
    const approval = actions.find((a) => /approval/i.test(a.title))!;
    const [edit] = editsOf(approval, uri);
    assert.deepEqual(edit.snippet, { kind: 'snippet', value: '; approval: ${1:reference}' });
    const change = approval.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 1, 'edits carry the document version');
  });

  it('answers an empty report for an unknown document', async () => {
    const report = await client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: 'file:///nowhere/x.fountain' } });
    assert.deepEqual(report, { kind: 'full', items: [] });
  });
});

describe('flat symbols for clients without hierarchical support', () => {
  it('lists tags with their scene as container', async () => {
    ensureBuilt();
    const client = new TestClient({ hierarchicalSymbols: false });
    try {
      await client.initialize();
      const uri = freshUri('fountain');
      await client.open(uri, 'fountain', SCREENPLAY);
      const symbols = await client.request<SymbolInformation[]>('textDocument/documentSymbol', { textDocument: { uri } });
      assert.deepEqual(
        symbols.map((s) => [s.name, s.containerName ?? null]),
        [
          ['INT. INTERVIEW ROOM - DAY', null],
          ['image.genrated (Topaz Photo AI 3.1)', 'INT. INTERVIEW ROOM - DAY'],
          ['EXT. QUAY - NIGHT', null],
          ['video.composite (LR-3)', 'EXT. QUAY - NIGHT'],
        ],
      );
    } finally {
      await client.shutdown();
    }
  });
});
