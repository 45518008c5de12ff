// Measures the HTML report's layout inside the page (test/report/html-layout.test.ts evaluates it
// there): which token pieces and headings span more than one line, and a few widths.
// Plain JavaScript on purpose: it runs in Chromium, untouched by tsc or tsx.

function probe(columns) {
  /** The rendered text of `cell`, a space between blocks, and where each character lives. */
  const textOf = (cell) => {
    const places = [];
    let text = '';
    let lastBlock = null;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let block = node.parentElement;
      while (block !== cell && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (lastBlock && block !== lastBlock) {
        text += ' ';
        places.push(null);
      }
      lastBlock = block;
      for (let i = 0; i < node.data.length; i++) places.push({ node, offset: i });
      text += node.data;
    }
    return { text, places };
  };
  /** Line boxes that characters [from, to) occupy. */
  const lines = (places, from, to) => {
    const start = places[from];
    const end = places[to - 1];
    const range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset + 1);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0.5).map((r) => Math.round(r.top))).size;
  };
  const broken = [];
  for (const table of document.querySelectorAll('table')) {
    const heads = [...table.querySelectorAll('thead tr:first-child th')];
    const headings = heads.map((th) => th.textContent ?? '');
    heads.forEach((th, i) => {
      const { text, places } = textOf(th);
      // No heading breaks inside a word ("Lin e"); short columns' headings stay whole.
      const whole = ['#', 'Line', 'Timecode', 'Stage', 'Uses', 'Findings', 'Severity'].includes(text);
      for (const m of text.matchAll(whole ? /.+/g : /\S+/g)) if (lines(places, m.index, m.index + m[0].length) > 1) broken.push(`heading: ${m[0]}`);
    });
    for (const row of table.querySelectorAll('tbody tr')) {
      const cells = [...row.children];
      if (cells.length !== headings.length) continue; // file headings and prompt rows span the table
      cells.forEach((cell, i) => {
        const rule = columns[headings[i]];
        if (!rule) return;
        const { text, places } = textOf(cell);
        const after = rule.after ?? '';
        const pattern = rule.camel ? /[A-Z]?[a-z]+|[^\sA-Za-z]+/g : after ? new RegExp(`[^\\s${after}]+[${after}]?`, 'g') : /\S+/g;
        for (const m of text.matchAll(pattern)) {
          if (lines(places, m.index, m.index + m[0].length) > 1) broken.push(`${headings[i]}: ${m[0]}`);
        }
      });
    }
  }
  const table = document.querySelector('#cue-sheet table').getBoundingClientRect();
  // The cell that holds the vfx notes' bell prompt (its row's cells contain it too: take the smallest).
  const prompt = [...document.querySelectorAll('#cue-sheet td')].filter((td) => td.textContent?.includes('single church bell strike'));
  const detail = Math.min(...prompt.map((td) => td.getBoundingClientRect().width));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    broken,
    tableWidth: table.width,
    detailWidth: detail,
  };
}
