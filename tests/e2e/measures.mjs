// Measures of a page a person would notice, run in the page itself (WebKitWebDriver for the
// window, ChromeDriver for the participants' page): each is a script for executeScript.

// Every shown text's contrast with what lies under it, measured in the page: the text's
// colour composited over the layers below its centre (backgrounds, and the grid's SVG
// tints, each with its opacity), as WCAG 2 computes it. Cards are measured on their own
// background first, then hidden so the region names under them can be measured too.
// Disabled controls are exempt (WCAG 1.4.3).
export const CONTRAST = `
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
  };
  const luminance = ({ r, g, b }) => {
    const lin = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon']);
  const layerColour = (el) => {
    const style = getComputedStyle(el);
    let c;
    if (el instanceof SVGElement) {
      if (!SHAPES.has(el.tagName)) return null;
      c = parse(style.fill);
      if (c) c.a *= Number(style.fillOpacity);
    } else c = parse(style.backgroundColor);
    if (!c || c.a === 0) return null;
    c.a *= opacity(el);
    return c;
  };
  const page = parse(getComputedStyle(document.documentElement).backgroundColor) ?? { r: 255, g: 255, b: 255, a: 1 };
  const behind = (el, x, y) => {
    const stack = document.elementsFromPoint(x, y);
    const at = stack.indexOf(el);
    // The element's own background, then what lies under it.
    const layers = (at >= 0 ? stack.slice(at) : stack.filter((e) => !el.contains(e) || e === el)).map(layerColour).filter(Boolean);
    let colour = { ...page, a: 1 };
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || el.closest('.visually-hidden, [aria-hidden="true"] .visually-hidden')) return false;
    if (el.closest('[disabled], [aria-disabled="true"], dialog:not([open])')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 2 && r.height > 2 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  };
  const texts = (root, only) => [...root.querySelectorAll('*')].filter((el) =>
    only(el) && ((['SELECT', 'INPUT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'checkbox' && el.type !== 'radio' && el.type !== 'color')
      || [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) && shown(el));
  const measure = (el) => {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const x = Math.min(innerWidth - 1, Math.max(0, r.left + Math.min(r.width / 2, 12)));
    const y = Math.min(innerHeight - 1, Math.max(0, r.top + r.height / 2));
    const bg = behind(el, x, y);
    const ink = parse(style.color);
    ink.a *= opacity(el);
    const fg = over(ink, bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const text = (el.value || el.textContent || '').trim().slice(0, 40);
    return ratio + 0.005 < needed ? { text, ratio: Math.round(ratio * 100) / 100, needed, size, fg, bg } : null;
  };
  const inCard = (el) => !!el.closest('[data-card]');
  const failures = texts(document.body, inCard).map(measure).filter(Boolean);
  // The cards hidden, and every element hit-testable, through each element's own style (a
  // page whose Content-Security-Policy refuses style elements, as the room's, allows it).
  const touched = [...document.querySelectorAll('*')].map((el) => [el, el.getAttribute('style')]);
  for (const [el] of touched) {
    if (el.matches('[data-card]')) el.style.setProperty('visibility', 'hidden', 'important');
    el.style.setProperty('pointer-events', 'auto', 'important');
  }
  try {
    failures.push(...texts(document.body, (el) => !inCard(el)).map(measure).filter(Boolean));
  } finally {
    for (const [el, style] of touched) {
      if (style === null) el.removeAttribute('style');
      else el.style.cssText = style;
    }
  }
  return failures;
`;

// Every control a finger can reach, with its size on screen: buttons, fields, cards, and a
// checkbox's label (which toggles it).
export const TARGETS = `
  const selector = 'button, select, textarea, a[href], [role="button"], input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), label:has(input[type="checkbox"], input[type="radio"])';
  return [...document.querySelectorAll(selector)]
    .filter((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 2 && r.height > 2 && style.visibility === 'visible' && !el.closest('.visually-hidden, dialog:not([open])')
        && !(el.matches('input[type="checkbox"], input[type="radio"]') );
    })
    .map((el) => {
      const r = el.getBoundingClientRect();
      return { what: (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim().slice(0, 40), tag: el.tagName, card: el.hasAttribute('data-card'), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
    })
    .filter((t) => t.width < 44 || t.height < 44);
`;

// Every shown select whose chosen option's words are cut: the words' width (in the select's
// own face) against the room inside it — its width less its padding and what WebKit's
// Adwaita theme keeps inside a drop-down (5 px each side and a 16 px arrow). Up to 2 px
// over is not seen: the last letter's advance ends in blank space.
export const CUT_SELECTS = `
  const THEME = 5 + 5 + 16;
  const context = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('select')]
    .filter((select) => select.offsetParent !== null && !select.closest('dialog:not([open])'))
    .map((select) => {
      const style = getComputedStyle(select);
      context.font = style.font;
      const words = select.selectedOptions[0]?.textContent.trim() ?? '';
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - THEME;
      return { select: select.name, words, needs: Math.ceil(context.measureText(words).width), room: Math.floor(room) };
    })
    .filter((s) => s.needs > s.room + 2);
`;
