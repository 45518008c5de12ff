// A custom rule whose source url and title try to break out of their Markdown link: shared by the
// report test (test/report/links.test.ts) and the hover test (test/lsp/hover-links.test.ts).

/** Valid https addresses that try to end their link and start an image and a command link. */
export const HOSTILE_URLS = [
  'https://studio.example/policy)![pixel](https://tracker.example/p.png)[run](command:workbench.action.terminal.new)',
  'https://studio.example/a%29)![x](https://tracker.example/q.gif)',
  'https://studio.example/p?q=1)<img/src=https://tracker.example/i>',
  "https://studio.example/p#x')*![y](https://tracker.example/y)\\",
];
/** A title written as Markdown: a link to a command, an image, raw HTML and an autolink. */
export const HOSTILE_TITLE = 'Policy](command:workbench.action.terminal.new) ![p](https://tracker.example/t.png) <img src=https://tracker.example/h> https://tracker.example/auto [x';

export function customRule(id: string, url: string, title = HOSTILE_TITLE): string {
  return `  - id: ${id}\n    title: A studio rule with a link\n    severity: error\n    message: "Generated images need the studio's sign-off."\n    source: { title: ${JSON.stringify(title)}, facts: "§1 Images", url: ${JSON.stringify(url)} }\n    when: { kind: image.generated }\n`;
}
