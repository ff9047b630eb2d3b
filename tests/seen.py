"""What a person sees on a page, measured in the browser: the checks axe-core
cannot make. Shared by the browser tests and the navigation benchmark.

Each check runs in the page and returns a list of problems in words.
"""

from __future__ import annotations

from typing import Any

#: Inline references look like links, not cards: no border, no background, no shadow.
REFERENCES = """() => {
  const problems = [];
  for (const ref of document.querySelectorAll('.xref.cpd')) {
    for (const el of [ref, ref.closest('a')].filter(Boolean)) {
      const s = getComputedStyle(el);
      const borders = ['Top', 'Right', 'Bottom', 'Left']
        .filter(side => s['border' + side + 'Style'] !== 'none'
                     && parseFloat(s['border' + side + 'Width']) > 0);
      if (borders.length) problems.push(`"${ref.textContent.trim()}" has a border (${borders})`);
      if (s.backgroundColor !== 'rgba(0, 0, 0, 0)' || s.backgroundImage !== 'none')
        problems.push(`"${ref.textContent.trim()}" has a background`);
      if (s.boxShadow !== 'none') problems.push(`"${ref.textContent.trim()}" has a shadow`);
    }
  }
  return problems;
}"""

#: The page's main heading starts inside the first screen.
HEADING_IN_FIRST_SCREEN = """() => {
  const h1 = document.querySelector('main h1');
  if (!h1) return ['no main heading'];
  const top = h1.getBoundingClientRect().top + window.scrollY;
  return top + 24 <= window.innerHeight ? [] :
    [`the main heading starts ${Math.round(top)}px down a ${window.innerHeight}px screen`];
}"""

#: No two things that show text or pictures overlap (one line box of text
#: against another, or against an image or chart, not counting what holds it).
OVERLAPS = """() => {
  const hidden = el => {
    // Not rendered (display, a closed <details>' content, visibility, opacity).
    if (!el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true,
                             opacityProperty: true})) return true;
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clipPath !== 'none' || s.clip !== 'auto' || s.visibility === 'hidden'
          || s.opacity === '0') return true;
    }
    return false;
  };
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('svg title, svg desc, script, style, noscript') || hidden(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      const what = node.textContent.trim().slice(0, 30);
      if (r.width > 1 && r.height > 1) boxes.push({r, el, what});
    }
  }
  const pictures = 'img, svg.cpd-chart, input, button, select, textarea';
  for (const el of document.querySelectorAll(pictures)) {
    const r = el.getBoundingClientRect();
    const what = '<' + el.tagName.toLowerCase() + '>';
    if (r.width > 1 && r.height > 1 && !hidden(el)) boxes.push({r, el, what});
  }
  const problems = [];
  const slack = 2;
  boxes.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < boxes.length && problems.length < 5; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - slack; j++) {
      const b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (x > slack && y > slack) problems.push(`"${a.what}" overlaps "${b.what}"`);
    }
  }
  return problems;
}"""

#: A date in a table cell stays on one line.
DATES_ON_ONE_LINE = """() => {
  const problems = [];
  const date = /\\d{4}-\\d{2}-\\d{2}/g;
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(date)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) problems.push(`${m[0]} wraps in a table cell`);
      }
    }
  }
  return problems;
}"""

CHECKS = {
    "references": REFERENCES,
    "overlaps": OVERLAPS,
    "dates": DATES_ON_ONE_LINE,
}


def problems(page: Any, *, phone: bool) -> list[str]:
    """Every check on the page as it is loaded; the heading check on phones."""
    found: list[str] = []
    checks = dict(CHECKS)
    if phone:
        checks["heading"] = HEADING_IN_FIRST_SCREEN
    for name, script in checks.items():
        found += [f"{name}: {problem}" for problem in page.evaluate(script)]
    return found
