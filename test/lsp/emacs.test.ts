// Tier 2 of VSCODE-TESTS.md: Emacs 28 with eglot 1.9 as the LSP client. Batch Emacs loads the
// snippet of the README (docs/editors/ai-use-eglot.el), opens a Fountain file, starts eglot the way
// `M-x eglot' does (from eglot-server-programs; eglot-ensure never fires in batch mode) and must
// show our diagnostics through flymake, on the right line and column.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, SERVER } from './lsp-client.js';

const ELPA = '/usr/share/emacs/site-lisp/elpa';
const emacs = spawnSync('emacs', ['--version'], { encoding: 'utf8' });
const missing =
  emacs.error || emacs.status !== 0
    ? 'emacs is not installed (apt-get install -y --no-install-recommends emacs-nox elpa-eglot)'
    : !existsSync(ELPA) || !readdirSync(ELPA).some((d) => d.startsWith('eglot-'))
      ? 'eglot is not installed (apt-get install -y --no-install-recommends elpa-eglot)'
      : undefined;

const SNIPPET = fileURLToPath(new URL('../../docs/editors/ai-use-eglot.el', import.meta.url));

const SCRIPT = `Title: Emacs test
Genre: documentary

EXT. QUAY - NIGHT

A police launch idles.
[[ai: video.composite; tool: Runway Gen-4; presented-as: archival; stage: finale]]
`;

const elisp = (file: string) => `
(dolist (dir (file-expand-wildcards ${JSON.stringify(`${ELPA}/*`)})) (add-to-list 'load-path dir))
(setq ai-use-server-command '(${JSON.stringify(process.execPath)} ${JSON.stringify(SERVER)} "--stdio"))
(load ${JSON.stringify(SNIPPET)})
;; No fountain-mode package in a bare Emacs: a stand-in major mode of that name.
(unless (fboundp 'fountain-mode) (define-derived-mode fountain-mode text-mode "Fountain"))
(find-file ${JSON.stringify(file)})
(fountain-mode)
(condition-case err
    (progn
      (apply #'eglot (eglot--guess-contact))
      (with-timeout (20 (princ "TIMEOUT\\n") (kill-emacs 1))
        (while (null (flymake-diagnostics)) (accept-process-output nil 0.05)))
      (dolist (d (flymake-diagnostics))
        (let ((beg (flymake-diagnostic-beg d)))
          (princ (format "DIAG %d %d %s %s\\n" (line-number-at-pos beg)
                         (save-excursion (goto-char beg) (current-column))
                         (flymake-diagnostic-type d) (flymake-diagnostic-text d)))))
      (kill-emacs 0))
  (error (princ (format "ERROR %S\\n" err)) (kill-emacs 1)))
`;

describe('Emacs 28 + eglot 1.9 as the LSP client', { skip: missing }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-use-emacs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows our diagnostics through flymake, with rule ids and exact positions', () => {
    ensureBuilt();
    const file = path.join(dir, 'ep1.fountain');
    writeFileSync(file, SCRIPT);
    const script = path.join(dir, 'test.el');
    writeFileSync(script, elisp(file));
    const run = spawnSync('emacs', ['--batch', '-Q', '-l', script], { encoding: 'utf8', timeout: 60000, cwd: dir });
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, output);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('DIAG '));
    const col = SCRIPT.split('\n')[6].indexOf('finale');
    // Emacs lines are 1-based, columns 0-based.
    assert.ok(lines.some((l) => l.startsWith(`DIAG 7 ${col} eglot-warning `) && l.includes('[core/invalid-value]')), output);
    assert.ok(lines.some((l) => / eglot-error .*\[apa\/synthetic-archival\]/.test(l)), output);
  });
});
