// Entry point of the `ai-use` bin: real process I/O around run(). The same bundle is the worker
// thread that parses large Markdown files under a time budget (core/parse-budget.ts), and the one
// that renders half of a big HTML cue sheet (core/report/cue-sheet-worker.ts).
import { isParseWorker, runParseWorker } from '../core/parse-budget.js';
import { isCueSheetWorker, runCueSheetWorker } from '../core/report/cue-sheet-worker.js';
import { setFlagsFromString } from 'node:v8';
import { run } from './main.js';

// A project report keeps little live data but makes much short-lived garbage (remark's trees, the
// HTML rows). V8's default lets the old generation grow to several times the live set between full
// collections; growing by 20% at a time keeps the peak RSS of a 300-file report about 130 MB lower
// at no cost in time (docs/performance.md). Process-wide, so the parse workers follow it too.
setFlagsFromString('--heap-growing-percent=20');

if (isParseWorker()) {
  runParseWorker();
} else if (isCueSheetWorker()) {
  runCueSheetWorker();
} else {
  // A reader that stops early (`ai-use check | head -1`) closes the pipe: end quietly, as
  // ESLint and grep do, instead of an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw error;
    });
  }
  process.exitCode = run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  });
}
