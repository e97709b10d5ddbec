// Trading fours from a MIDI keyboard (Web MIDI, where the browser offers it): Record, play a phrase of up to
// MOST_BARS bars at the form's tempo, Done (or it stops by itself after MOST_BARS bars); the notes go to the page as
// numbers, (pitch, start, end, velocity) in seconds from the first note, which is beat 1 of bar 1. A
// st.components.v2 component: the MIDI access and a recording live in this module across the page's runs.
// Device names are shown with textContent only, never as markup.
const MOST_BARS = 8;
const state = {access: null, recording: null, view: null, send: null, data: null, timer: null};

function say(text) { if (state.view) state.view.status.textContent = text; }

function barSeconds() { return state.data.quarters_per_bar * 60 / state.data.tempo; }

function inputs() { return state.access ? [...state.access.inputs.values()] : []; }

function listen() {
  for (const input of inputs()) input.onmidimessage = heard;
  const names = inputs().map(input => input.name || "a MIDI device");
  if (!state.recording)
    say(names.length ? `Ready: ${names.join(", ")}. Press Record, then play.` :
        "No MIDI keyboard is connected: plug one in (the page finds it), or upload a phrase.");
  if (state.view) state.view.record.hidden = !names.length || !!state.recording;
}

function heard(event) {
  const rec = state.recording;
  if (!rec) return;
  const [status, pitch, velocity] = event.data, command = status & 0xf0;
  const now = (event.timeStamp || performance.now()) / 1000;
  if (command === 0x90 && velocity > 0) {
    if (rec.first === null) { rec.first = now; rec.stopAt = setTimeout(finish, MOST_BARS * barSeconds() * 1000); }
    rec.open.set(pitch, {start: now - rec.first, velocity});
  } else if (command === 0x80 || command === 0x90) {
    const note = rec.open.get(pitch);
    if (note) { rec.notes.push([pitch, note.start, now - rec.first, note.velocity]); rec.open.delete(pitch); }
  }
}

function start() {
  state.recording = {first: null, notes: [], open: new Map(), stopAt: null};
  state.view.record.hidden = true; state.view.done.hidden = false;
  clearInterval(state.timer);
  state.timer = setInterval(() => {
    const rec = state.recording;
    if (!rec) return;
    if (rec.first === null) { say(`Recording: your first note is beat 1 of bar 1 (${state.data.tempo} bpm).`); return; }
    const bar = Math.floor((performance.now() / 1000 - rec.first) / barSeconds()) + 1;
    say(`Recording: bar ${Math.min(bar, MOST_BARS)} of at most ${MOST_BARS}. Done when your phrase ends.`);
  }, 100);
}

function finish() {
  const rec = state.recording;
  if (!rec) return;
  clearTimeout(rec.stopAt); clearInterval(state.timer);
  state.recording = null;
  const end = rec.first === null ? 0 : performance.now() / 1000 - rec.first;
  for (const [pitch, note] of rec.open) rec.notes.push([pitch, note.start, Math.max(end, note.start + 0.05), note.velocity]);
  state.view.done.hidden = true;
  listen();
  if (!rec.notes.length) { say("No notes were played: press Record and play your phrase."); return; }
  say(`${rec.notes.length} notes sent: the model answers below.`);
  state.send("phrase", {notes: rec.notes, tempo: state.data.tempo});
}

async function connect() {
  try {
    state.access = await navigator.requestMIDIAccess();
  } catch (error) {
    say("The browser did not allow MIDI here: allow it in the site's settings, or upload a phrase.");
    return;
  }
  state.access.onstatechange = listen;
  state.view.connect.hidden = true;
  listen();
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  const root = parentElement.querySelector(".keyboard");
  state.view = Object.fromEntries(["connect", "record", "done", "status"].map(n => [n, root.querySelector("." + n)]));
  state.data = data; state.send = setTriggerValue;
  if (!navigator.requestMIDIAccess) {
    state.view.connect.hidden = true;
    say("This browser offers no Web MIDI (Chrome and Edge do): upload a phrase instead.");
    return;
  }
  state.view.connect.onclick = connect;
  state.view.record.onclick = start;
  state.view.done.onclick = finish;
  state.view.connect.hidden = !!state.access;
  state.view.done.hidden = !state.recording;
  if (state.access) listen(); else say("Play the phrase on a MIDI keyboard instead of uploading it.");
}
