// `aiUse/documentStats`: uses (tags) and open findings of one document, for the status bar.

import type { ServerContext } from './context.js';
import { statsOf } from './diagnostics.js';
import { DOCUMENT_STATS_REQUEST, type DocumentStats } from './protocol.js';

export class StatsFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onRequest(DOCUMENT_STATS_REQUEST, async (params: { uri?: unknown } | undefined): Promise<DocumentStats | null> => {
      try {
        if (typeof params?.uri !== 'string') return null;
        const analysis = await this.ctx.analysisOf(params.uri);
        return analysis ? statsOf(analysis) : null;
      } catch {
        return null;
      }
    });
  }
}
