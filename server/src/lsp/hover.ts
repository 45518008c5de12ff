// Hover on a tag: its kind and what it means, the IPTC digital source type, the field under the
// cursor, and every finding on the tag with its severity, source and docs page.

import type { Hover, HoverParams } from 'vscode-languageserver';
import { IPTC_BASE, keyInfo, kindInfo } from '../core/vocabulary.js';
import type { Finding } from '../core/types.js';
import { escapeMarkdown, mdLink } from '../core/report/markdown.js';
import type { ServerContext } from './context.js';
import { fieldAt, isPosition, tagIndexAt } from './tagAt.js';

const SEVERITY_LABEL: Record<Finding['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };

function findingLine(finding: Finding): string {
  const source = finding.source;
  const cite = source
    ? ` Source: ${mdLink(source.title, source.url)}${source.facts ? `, ${escapeMarkdown(source.facts)}` : ''}.`
    : '';
  // Addresses from a custom rule are workspace data: http(s) only, encoded for Markdown (core/links.ts).
  const docs = finding.docs ? ` ${mdLink('Docs', finding.docs)}` : '';
  return `- **${SEVERITY_LABEL[finding.severity]}** \`${finding.ruleId}\`: ${escapeMarkdown(finding.message)}${cite}${docs}`;
}

export class HoverFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onHover(async (params) => {
      try {
        return await this.provide(params);
      } catch (error) {
        this.ctx.connection.console.error(`ai-use: hover failed: ${error instanceof Error ? error.stack : String(error)}`);
        return null;
      }
    });
  }

  async provide(params: HoverParams): Promise<Hover | null> {
    if (!isPosition(params?.position)) return null;
    const analysis = await this.ctx.analysisOf(params.textDocument.uri, { wait: false });
    if (!analysis) return null;
    const tags = analysis.result.doc.tags;
    const tagIndex = tagIndexAt(tags, params.position);
    if (tagIndex < 0) return null;
    const tag = tags[tagIndex];
    const lines: string[] = [];
    const info = kindInfo(tag.kind);
    if (tag.kind) {
      lines.push(`**AI use: \`${escapeMarkdown(tag.kind)}\`**${info ? `: ${escapeMarkdown(info.description)}` : ' (unknown kind)'}`);
    } else {
      lines.push('**AI use** (no kind given)');
    }
    if (info) {
      lines.push(
        info.iptc
          ? `IPTC digital source type: [${info.iptc}](${IPTC_BASE}${info.iptc})`
          : 'IPTC digital source type: none (not media)',
      );
    }
    const field = fieldAt(tag, params.position);
    if (field && field.key !== 'kind') {
      const key = keyInfo(field.key);
      if (key) lines.push(`\`${key.key}\`: ${escapeMarkdown(key.description)}`);
    }
    const findings = analysis.findings.filter((f) => f.tagIndex === tagIndex);
    if (findings.length > 0) {
      lines.push(`---\n**${findings.length === 1 ? '1 finding' : `${findings.length} findings`}**\n\n${findings.map(findingLine).join('\n')}`);
    } else {
      lines.push('No findings for this use.');
    }
    return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: tag.range };
  }
}
