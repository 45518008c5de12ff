// Commands the server runs for clients that do not run them themselves. The VS Code client
// opens rule documentation on its own (it lists the command in initializationOptions); for
// Neovim, Helix or Emacs the server asks the client to open the page with window/showDocument.

import type { ServerContext } from './context.js';
import { SHOW_DOCUMENTATION_COMMAND } from './protocol.js';

export function serverCommands(ctx: ServerContext): string[] {
  return [SHOW_DOCUMENTATION_COMMAND].filter((c) => !ctx.features.clientCommands.includes(c));
}

export class CommandsFeature {
  constructor(private readonly ctx: ServerContext) {}

  register(): void {
    this.ctx.connection.onExecuteCommand(async (params) => {
      try {
        if (params.command !== SHOW_DOCUMENTATION_COMMAND) return null;
        const [ruleId, url] = (params.arguments ?? []) as unknown[];
        if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return null;
        if (this.ctx.features.showDocument) {
          await this.ctx.connection.window.showDocument({ uri: url, external: true });
        } else {
          this.ctx.connection.window.showInformationMessage(`Documentation for ${String(ruleId)}: ${url}`);
        }
        return null;
      } catch {
        return null;
      }
    });
  }
}
