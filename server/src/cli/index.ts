// Entry point of the `ai-use` bin: real process I/O around run(). The same bundle is the worker
// thread that parses large Markdown files under a time budget (core/parse-budget.ts).
import { isParseWorker, runParseWorker } from '../core/parse-budget.js';
import { run } from './main.js';

if (isParseWorker()) {
  runParseWorker();
} else {
  process.exitCode = run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  });
}
