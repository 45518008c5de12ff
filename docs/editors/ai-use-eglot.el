;;; ai-use-eglot.el --- AI-Use Lint in Emacs through eglot  -*- lexical-binding: t -*-
;;
;; Add this to your init file (or `load' it). Diagnostics show through flymake, quick-fixes with
;; M-x eglot-code-actions. test/lsp/emacs.test.ts loads this very file in Emacs 28 + eglot 1.9.
;;
;; The server: `npm install -g ./ai-use-lint-0.1.0.tgz' (README, Install) puts `ai-use-language-server' on your PATH; from a
;; built checkout, set `ai-use-server-command' to ("node" "/path/to/ai-use-lint/dist/server.cjs" "--stdio")
;; before loading this file. `M-x eglot' in a Fountain or Markdown buffer starts it (or add
;; `eglot-ensure' to `fountain-mode-hook' and `markdown-mode-hook').

(require 'eglot)

(defvar ai-use-server-command '("ai-use-language-server" "--stdio")
  "How to start the AI-Use Lint language server.")

(add-to-list 'eglot-server-programs
             `((fountain-mode markdown-mode) . ,ai-use-server-command))

(provide 'ai-use-eglot)
;;; ai-use-eglot.el ends here
