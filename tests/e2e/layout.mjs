// What a phone shows, measured: how many lines a piece of text takes.

/** How many lines the visible text of `locator` takes on screen (text for screen readers only is left out). */
export async function lines(locator) {
  return locator.evaluate((e) => {
    const tops = new Set();
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement.closest('.visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  });
}
