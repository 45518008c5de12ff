// The version printed by `ai-use --version` and written into reports; the build checks it
// against package.json.
export const VERSION = '0.1.0';
