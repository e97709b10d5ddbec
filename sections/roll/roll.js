// The piano roll of one take, drawn as SVG from ROLL (jazz_core.roll: times in quarters), following the
// take's player: the last <audio> before this frame in the page. A playhead at the audio's currentTime,
// the view scrolled to keep it in sight while playing, a click to play from there, a loop over chosen bars.
// The wheel is left to the page (it scrolls it); Ctrl/Cmd + wheel or the buttons zoom.
"use strict";
const SVG_NS = "http://www.w3.org/2000/svg";
const SEMITONE = 6, LABEL_ROW = 16, LABEL_ROWS = 2, LABEL_GAP = 6, BOTTOM = 16;  // pixels
const READABLE = 8, MOST = 90;  // pixels a quarter: fitted only when at least this wide; the closest zoom
const total = ROLL.bars.at(-1).start + ROLL.bars.at(-1).length;  // quarters
const scroller = document.getElementById("scroller"), svg = document.getElementById("roll");
const loop = document.getElementById("loop"), from = document.getElementById("loop-from"),
  to = document.getElementById("loop-to"), where = document.getElementById("where");
const upper = LABEL_ROWS * LABEL_ROW + 4, height = upper + (ROLL.highest - ROLL.lowest + 3) * SEMITONE + BOTTOM;
let perQuarter = 0, playhead = null, loopMark = null, touched = -Infinity, audio = null;

function y(pitch) { return upper + (ROLL.highest + 1.5 - pitch) * SEMITONE; }

function element(name, attributes, parent, text) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;  // text, never markup
  parent.appendChild(node);
  return node;
}

function titled(node, text) { element("title", {}, node, text); return node; }

function fitted() { return Math.max(scroller.clientWidth - 2, 50) / total; }

function legend() {
  const box = document.getElementById("legend");
  const entries = ROLL.kinds.map(k => [k.name, `background:${k.colour}`, ""]);
  if (ROLL.notes.some(n => n.copied)) entries.push(["copied from the music it learnt", "", "copied"]);
  entries.push(["chord tones the band plays", "background:#7d8799;opacity:.5", ""]);
  for (const [name, style, kind] of entries) {
    const item = document.createElement("span"), swatch = document.createElement("i");
    swatch.className = "swatch " + kind; swatch.style.cssText = style;
    item.append(swatch, name); box.append(item);
  }
}

function axis() {
  const side = document.getElementById("axis");
  side.setAttribute("height", height);
  for (let pitch = ROLL.lowest - 1; pitch <= ROLL.highest + 1; pitch++)
    if (pitch % 12 === 0) element("text", {x: 30, y: y(pitch) + 4, "text-anchor": "end", class: "octave"}, side,
                                  "C" + (pitch / 12 - 1));
}

function drawBars(x) {
  let lastNumber = -Infinity;
  for (const bar of ROLL.bars) {
    element("line", {x1: x(bar.start), x2: x(bar.start), y1: upper - 2, y2: height - BOTTOM, stroke: "#d5d8de"}, svg);
    if (x(bar.start) - lastNumber >= 22) {
      element("text", {x: x(bar.start) + 2, y: height - 4, class: "bar-number"}, svg, String(bar.number));
      lastNumber = x(bar.start);
    }
  }
  for (let pitch = ROLL.lowest - 1; pitch <= ROLL.highest + 1; pitch++)
    if (pitch % 12 === 0) element("line", {x1: 0, x2: x(total), y1: y(pitch), y2: y(pitch), stroke: "#eef0f3"}, svg);
}

function drawChords(x) {
  for (const chord of ROLL.chords) {
    const tones = chord.tones.length ? chord.tones : [60];
    titled(element("rect", {x: x(chord.start), width: Math.max(x(chord.end) - x(chord.start) - 1, 1),
      y: y(Math.max(...tones)) - SEMITONE, height: (Math.max(...tones) - Math.min(...tones) + 1) * SEMITONE,
      fill: "#5b6b8c", "fill-opacity": 0.10, class: "chord-span"}, svg), chord.chord);
    for (const pitch of chord.tones)
      titled(element("rect", {x: x(chord.start), width: Math.max(x(chord.end) - x(chord.start) - 1, 1),
        y: y(pitch) - SEMITONE * 0.4, height: SEMITONE * 0.8, fill: "#7d8799", "fill-opacity": 0.35}, svg),
        `${chord.chord}: plays ${pitch}`);
  }
}

function drawNotes(x) {
  const names = Object.fromEntries(ROLL.kinds.map(k => [k.kind, k]));
  for (const note of ROLL.notes) {
    const attributes = {x: x(note.start), y: y(note.pitch) - SEMITONE * 0.5, rx: 1.5,
      width: Math.max(x(note.end) - x(note.start) - 0.6, 1.5), height: SEMITONE,
      fill: names[note.kind].colour, class: "note" + (note.copied ? " copied" : "")};
    if (note.copied) Object.assign(attributes, {stroke: "#111", "stroke-width": 1.4, "stroke-dasharray": "3 2"});
    titled(element("rect", attributes, svg), `${note.note} · ${names[note.kind].name} · bar ${note.bar}, ` +
           `beat ${note.beat}` + (note.copied ? " · copied from the music it learnt" : ""));
  }
}

// Chord names where the chord changes, on one of two rows, never over each other: a name that fits on
// neither row is shortened to the room left in its span, or left out (its span's tooltip still names it).
function drawLabels(x) {
  const ends = new Array(LABEL_ROWS).fill(-Infinity);
  for (const chord of ROLL.chords) {
    if (!chord.label) continue;
    const left = x(chord.start) + 2, right = x(chord.end) - 2;
    const text = element("text", {class: "chord", x: left, y: LABEL_ROW - 3}, svg, chord.label);
    const row = ends.findIndex(end => left >= end + LABEL_GAP);
    if (row >= 0) {
      text.setAttribute("y", (row + 1) * LABEL_ROW - 3);
      ends[row] = left + text.getComputedTextLength();
      continue;
    }
    const free = ends.indexOf(Math.min(...ends)), start = ends[free] + LABEL_GAP;
    let shown = chord.label;
    text.setAttribute("x", start); text.setAttribute("y", (free + 1) * LABEL_ROW - 3);
    while (shown.length > 1 && start + text.getComputedTextLength() > right) {
      shown = shown.slice(0, -1); text.textContent = shown + "…";
    }
    if (start + text.getComputedTextLength() > right) { text.remove(); continue; }
    titled(text, chord.label);
    ends[free] = start + text.getComputedTextLength();
  }
}

function draw() {
  svg.replaceChildren();
  const x = quarters => quarters * perQuarter;
  svg.setAttribute("width", Math.ceil(x(total)) + 2); svg.setAttribute("height", height);
  loopMark = element("rect", {y: upper - 2, height: height - BOTTOM - upper + 2, fill: "#ffd54f", "fill-opacity": 0.3,
                              class: "loop-region", display: "none"}, svg);
  drawBars(x); drawChords(x); drawNotes(x); drawLabels(x);
  playhead = element("line", {y1: upper - 4, y2: height - BOTTOM, stroke: "#ff4b4b", "stroke-width": 2,
                              class: "playhead", display: "none"}, svg);
  showLoop();
}

function zoom(factor, anchor = scroller.clientWidth / 2) {
  const quarters = (scroller.scrollLeft + anchor) / perQuarter;
  perQuarter = Math.min(Math.max(perQuarter * factor, Math.min(fitted(), READABLE)), MOST);
  draw();
  scroller.scrollLeft = quarters * perQuarter - anchor;
}

// --- the loop -------------------------------------------------------------------------------------------

function loopBars() {  // [first, last] bar numbers, in range and in order
  const last = ROLL.bars.length, clamp = v => Math.min(Math.max(Math.round(v) || 1, 1), last);
  const a = clamp(from.valueAsNumber), b = clamp(to.valueAsNumber || last);
  return [Math.min(a, b), Math.max(a, b)];
}

function loopSeconds() {  // where the loop starts and ends in the audio
  const [a, b] = loopBars(), first = ROLL.bars[a - 1], last = ROLL.bars[b - 1];
  return [first.start * ROLL.seconds_per_quarter, (last.start + last.length) * ROLL.seconds_per_quarter];
}

function showLoop() {
  if (!loopMark) return;
  const [a, b] = loopBars(), first = ROLL.bars[a - 1], last = ROLL.bars[b - 1];
  loopMark.setAttribute("x", first.start * perQuarter);
  loopMark.setAttribute("width", (last.start + last.length - first.start) * perQuarter);
  loopMark.setAttribute("display", loop.checked ? "inline" : "none");
}

function player() {  // the last <audio> before this frame in the page: the take's own player
  const me = window.frameElement;
  let found = null;
  if (!me) return null;
  for (const candidate of parent.document.querySelectorAll("audio"))
    if (candidate.compareDocumentPosition(me) & Node.DOCUMENT_POSITION_FOLLOWING) found = candidate;
  return found;
}

function attach(found) {
  audio = found;
  reveal();
  audio.addEventListener("ended", () => {
    if (loop.checked) { audio.currentTime = loopSeconds()[0]; audio.play(); }
  });
}

// After Generate (clicked above the takes) the newest take's player may be below the window, on a phone
// always: bring it into view, once per take (the page's session storage remembers which were shown).
function reveal() {
  const me = window.frameElement;
  if (!me || parent.document.querySelector("iframe") !== me) return;  // the newest take's roll comes first
  let hash = 0;
  for (const c of JSON.stringify(ROLL)) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  const seen = `jazz-roll-shown-${ROLL_TAKE}-${hash}`;
  if (parent.sessionStorage.getItem(seen)) return;
  parent.sessionStorage.setItem(seen, "1");
  if (audio.getBoundingClientRect().top > parent.innerHeight - 60) audio.scrollIntoView({block: "center"});
}

function follow(position) {  // keep the playhead in view while playing, unless the user just scrolled
  if (performance.now() - touched < 2500) return;
  const left = scroller.scrollLeft, width = scroller.clientWidth;
  if (position < left || position > left + width * 0.85) scroller.scrollLeft = position - width * 0.15;
}

function tick() {
  const found = player();
  if (found && found !== audio) attach(found);
  if (audio && playhead) {
    let time = audio.currentTime;
    if (loop.checked && !audio.paused) {
      const [start, end] = loopSeconds();
      if (time >= end - 0.02 || time < start - 0.25) { audio.currentTime = start; time = start; }
    }
    const position = time / ROLL.seconds_per_quarter * perQuarter;
    playhead.setAttribute("x1", position); playhead.setAttribute("x2", position);
    playhead.setAttribute("display", time > 0 || !audio.paused ? "inline" : "none");
    if (!audio.paused) follow(position);
    const bar = ROLL.bars.findLast(b => b.start <= time / ROLL.seconds_per_quarter + 1e-6);
    where.textContent = time > 0 && bar ? `bar ${bar.number} of ${ROLL.bars.length}` : "";
  }
  requestAnimationFrame(tick);
}

// --- wiring -------------------------------------------------------------------------------------------

scroller.addEventListener("wheel", event => {  // plain wheel: the page scrolls (not handled here)
  if (!(event.ctrlKey || event.metaKey)) { if (event.deltaX) touched = performance.now(); return; }
  event.preventDefault();
  zoom(event.deltaY < 0 ? 1.25 : 0.8, event.clientX - scroller.getBoundingClientRect().left);
}, {passive: false});
scroller.addEventListener("pointerdown", () => { touched = performance.now(); });
scroller.addEventListener("scroll", () => { if (audio && audio.paused) touched = performance.now(); });
svg.addEventListener("click", event => {  // play from where the roll was clicked
  if (!audio) return;
  const quarters = (event.clientX - svg.getBoundingClientRect().left) / perQuarter;
  audio.currentTime = Math.max(0, Math.min(quarters, total)) * ROLL.seconds_per_quarter;
  touched = -Infinity;
  if (audio.paused) audio.play();
});
document.getElementById("zoom-in").onclick = () => zoom(1.5);
document.getElementById("zoom-out").onclick = () => zoom(1 / 1.5);
document.getElementById("fit").onclick = () => { perQuarter = fitted(); draw(); scroller.scrollLeft = 0; };
from.max = to.max = ROLL.bars.length; from.value = 1; to.value = ROLL.bars.length;
for (const input of [loop, from, to]) input.addEventListener("input", () => {
  showLoop();
  if (loop.checked && audio) {
    const [start, end] = loopSeconds();
    if (audio.currentTime < start || audio.currentTime >= end) audio.currentTime = start;
  }
});

legend(); axis();
perQuarter = Math.max(fitted(), READABLE);
draw();
let width = scroller.clientWidth;
new ResizeObserver(() => {  // a phone turned, a column resized: fit again if the take was fitted
  if (scroller.clientWidth === width) return;
  const wasFitted = perQuarter <= width / total + 1e-6;
  width = scroller.clientWidth;
  if (wasFitted || perQuarter < fitted()) { perQuarter = Math.max(fitted(), READABLE); draw(); }
}).observe(scroller);
requestAnimationFrame(tick);
