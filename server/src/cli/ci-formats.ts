// `ai-use check --format github` and `--format junit`: the findings as CI systems read them.
// github: workflow commands (`::error file=…,line=…::message`), which GitHub Actions turns into
// annotations on the pull request. junit: JUnit XML (one testsuite per file, one testcase per
// finding, as ESLint's junit formatter writes it), which GitLab, Jenkins and others show as tests.
// Tag text is untrusted: it is escaped for each format here.

import * as path from 'node:path';
import type { ProjectResult } from '../core/project.js';
import type { Finding, Severity } from '../core/types.js';

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** The escaping of a workflow command's message (GitHub's toolkit, escapeData). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The escaping of a workflow command's property value (escapeProperty): also `:` and `,`. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function shownPath(file: string, cwd: string): string {
  return (path.relative(cwd, file) || file).split(path.sep).join('/');
}

export function formatGithub(project: ProjectResult, cwd: string): string {
  const out: string[] = [];
  for (const file of project.files) {
    const name = shownPath(file.path, cwd);
    for (const f of file.findings) {
      const { start, end } = f.range;
      const props = [
        `file=${escapeGithubProperty(name)}`,
        `line=${start.line + 1}`,
        `endLine=${end.line + 1}`,
        `col=${start.character + 1}`,
        ...(end.line === start.line ? [`endColumn=${end.character + 1}`] : []),
        `title=${escapeGithubProperty(`${f.ruleId} (ai-use)`)}`,
      ];
      out.push(`::${GITHUB_LEVEL[f.severity]} ${props.join(',')}::${escapeGithubData(`${f.message} (${f.ruleId}: ${f.docs})`)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Text for XML content and attributes: markup escaped, characters XML 1.0 forbids replaced. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

function failureType(severity: Severity): string {
  return severity === 'error' ? 'error' : severity;
}

/**
 * JUnit XML: one testsuite per checked file, one failing testcase per finding (named after the
 * rule, its message and place in the failure), and one passing testcase for a file with none, so
 * the CI lists what was checked.
 */
export function formatJunit(project: ProjectResult, cwd: string): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>', '<testsuites name="ai-use">'];
  for (const file of project.files) {
    const name = escapeXml(shownPath(file.path, cwd));
    const errors = file.findings.filter((f) => f.severity === 'error').length;
    const failures = file.findings.length - errors;
    const cases = Math.max(file.findings.length, 1);
    out.push(`  <testsuite package="ai-use" time="0" tests="${cases}" errors="${errors}" failures="${failures}" name="${name}">`);
    if (file.findings.length === 0) out.push(`    <testcase time="0" name="ai-use" classname="${name}"/>`);
    for (const f of file.findings) out.push(testcase(f, name));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function testcase(f: Finding, file: string): string {
  const where = `line ${f.range.start.line + 1}, col ${f.range.start.character + 1}`;
  const tag = f.severity === 'error' ? 'error' : 'failure';
  const detail = escapeXml(`${where}, ${f.severity[0]!.toUpperCase()}${f.severity.slice(1)} - ${f.message} (${f.ruleId}) ${f.docs}`);
  return [
    `    <testcase time="0" name="ai-use.${escapeXml(f.ruleId)}" classname="${file}">`,
    `      <${tag} type="${failureType(f.severity)}" message="${escapeXml(f.message)}">${detail}</${tag}>`,
    '    </testcase>',
  ].join('\n');
}
