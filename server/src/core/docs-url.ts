// Where a rule's documentation lives. One place, so the CLI, the report and the server agree.

/** The project's home; docs pages are under docs/rules/<pack>/<name>.md in it. */
export const PROJECT_URL = 'https://github.com/ai-use-lint/ai-use-lint';

export function ruleDocsUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/docs/rules/${ruleId}.md`;
}

/** The docs page of a rule, relative to the repository root. */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
