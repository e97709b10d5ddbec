// Trading fours from a MIDI keyboard (Web MIDI, where the browser offers it): Record counts one bar in with a
// click (Web Audio: short synthesized clicks scheduled on the AudioContext clock, beat 1 accented), then records
// from the downbeat of bar 1 for the bars chosen (2, 4 or 8) at the form's tempo, the click going on unless
// unticked, and stops by itself after them (or on Done). The notes go to the page as numbers, (pitch, start, end,
// velocity) in seconds from that downbeat: a pickup, played in the count-in, comes negative (jazz_core.keyboard
// moves it onto beat 1). A st.components.v2 component: the MIDI access, the AudioContext and a recording live in
// this module across the page's runs. Device names are shown with textContent only, never as markup.
const LEAD = 0.1;  // seconds from Record to the count-in's first click
const CLICK = 0.04;  // seconds a click rings
const state = {access: null, recording: null, view: null, send: null, data: null, timer: null, audio: null,
               bars: "4", click: true};

function say(text) { if (state.view) state.view.status.textContent = text; }

function inputs() { return state.access ? [...state.access.inputs.values()] : []; }

function listen() {
  for (const input of inputs()) input.onmidimessage = heard;
  const names = inputs().map(input => input.name || "a MIDI device");
  if (!state.recording)
    say(names.length ? `Ready: ${names.join(", ")}. Press Record: one bar is counted in, then play.` :
        "No MIDI keyboard is connected: plug one in (the page finds it), or upload a phrase.");
  if (!state.view) return;
  state.view.record.hidden = !names.length || !!state.recording;
  for (const part of [...state.view.choices, state.view.note]) part.hidden = !names.length;
}

function heard(event) {
  const rec = state.recording;
  if (!rec) return;
  const [status, pitch, velocity] = event.data, command = status & 0xf0;
  const now = Math.min((event.timeStamp || performance.now()) / 1000, rec.end);
  if (command === 0x90 && velocity > 0) {
    if (now < rec.end) rec.open.set(pitch, {start: now - rec.downbeat, velocity});
  } else if (command === 0x80 || command === 0x90) {
    const note = rec.open.get(pitch);
    if (note) { close(rec, pitch, note, now - rec.downbeat); rec.open.delete(pitch); }
  }
}

function close(rec, pitch, note, end) {  // a note that ends after it starts, never after the last bar
  end = Math.min(end, rec.end - rec.downbeat);
  if (end > note.start) rec.notes.push([pitch, note.start, end, note.velocity]);
}

function heardNow(context) {  // [AudioContext time at the speaker, performance.now() / 1000 then]
  const stamp = context.getOutputTimestamp ? context.getOutputTimestamp() : {};
  if (stamp.performanceTime) return [stamp.contextTime, stamp.performanceTime / 1000];
  return [context.currentTime, performance.now() / 1000];
}

function clock(context) {  // seconds to add to an AudioContext time for performance.now() / 1000 at the speaker
  const [audio, now] = heardNow(context);
  return now - audio;
}

function clicks(context, rec, beats, bus) {  // the count-in bar's clicks, then the phrase's, one a quarter
  const made = [];
  for (let n = 0; n <= rec.bars; n++) {  // bar 0 is the count-in
    for (let i = 0; i < beats; i++) {  // a bar of 2.5 quarters (5/8) clicks on 1, 2 and 3, bar lines kept
      const time = rec.first + n * rec.bar + i * rec.beat, accent = i === 0;
      const tone = context.createOscillator(), envelope = context.createGain();
      tone.frequency.value = accent ? 1760 : 1320;
      envelope.gain.setValueAtTime(accent ? 0.5 : 0.3, time);
      envelope.gain.exponentialRampToValueAtTime(0.001, time + CLICK);
      tone.connect(envelope).connect(n === 0 ? bus.countIn : bus.phrase);
      tone.start(time); tone.stop(time + CLICK);
      made.push({time, accent, countIn: n === 0});
    }
  }
  return made;
}

function audio() {  // one AudioContext, made on a click (browsers start one only then) and kept running
  const context = state.audio || (state.audio = new AudioContext());
  if (context.state !== "running") context.resume();
  return context;
}

function start() {
  const context = audio();
  const beat = 60 / state.data.tempo, bar = state.data.quarters_per_bar * beat, bars = Number(state.bars);
  const beats = Math.max(1, Math.ceil(state.data.quarters_per_bar - 1e-6));
  const bus = {countIn: context.createGain(), phrase: context.createGain()};
  for (const gain of Object.values(bus)) gain.connect(context.destination);
  bus.phrase.gain.value = state.click ? 1 : 0;
  const first = context.currentTime + LEAD;
  const rec = {first, beat, bars, bar, notes: [], open: new Map(), bus, stopAt: null};
  state.recording = rec;
  window.jazzKeyboard = {tempo: state.data.tempo, bars, beat, first, clicks: clicks(context, rec, beats, bus),
                         stopped: null, sent: null, clickGain: bus.phrase.gain,
                         said: [], context};  // for the page's tests and the curious
  state.view.record.hidden = true; state.view.done.hidden = false;
  clearInterval(state.timer);
  settle(rec);
  state.timer = setInterval(() => progress(rec, beats), 50);
}

function settle(rec) {  // the downbeat on the performance clock, read again until it comes (a new context settles)
  rec.downbeat = clock(state.audio) + rec.first + rec.bar; rec.end = rec.downbeat + rec.bars * rec.bar;
  Object.assign(window.jazzKeyboard, {downbeat: rec.downbeat, end: rec.end});
}

function progress(rec, beats) {  // "Count-in: 1 2 3" as the count-in goes, then the bar being recorded
  if (state.recording !== rec) return;
  if (!rec.stopAt) settle(rec);
  const from = performance.now() / 1000 - rec.downbeat;
  if (from >= 0 && !rec.stopAt)  // timers round down to the millisecond: one more, so it ends after the last bar
    rec.stopAt = setTimeout(finish, Math.ceil((rec.end - performance.now() / 1000) * 1000) + 1);
  const counted = Math.min(beats, Math.max(0, Math.floor((from + rec.bar) / rec.beat) + 1));
  const text = from < 0 ? `Count-in: ${Array.from({length: counted}, (_, i) => i + 1).join(" ")}` :
    `Recording: bar ${Math.min(rec.bars, Math.floor(from / rec.bar) + 1)} of ${rec.bars}. ` +
    `It stops by itself after bar ${rec.bars}, or press Done.`;
  const said = window.jazzKeyboard.said;
  if (!said.length || said[said.length - 1].text !== text)  // when each line came, on both clocks
    said.push({text, at: performance.now() / 1000, audio: state.audio.currentTime, heard: heardNow(state.audio)});
  say(text);
}

function finish() {
  const rec = state.recording;
  if (!rec) return;
  clearTimeout(rec.stopAt); clearInterval(state.timer);
  state.recording = null;
  for (const gain of Object.values(rec.bus)) gain.disconnect();  // clicks still to come stay silent
  const now = Math.min(performance.now() / 1000, rec.end);
  for (const [pitch, note] of rec.open) close(rec, pitch, note, now - rec.downbeat);
  Object.assign(window.jazzKeyboard, {stopped: performance.now() / 1000, sent: rec.notes});
  state.view.done.hidden = true;
  listen();
  if (!rec.notes.length) { say("No notes were played: press Record and play your phrase after the count-in."); return; }
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
  audio();
  listen();
}

function choices(view) {  // the bars and the click, kept across the page's runs
  view.bars.value = state.bars; view.click.checked = state.click;
  view.bars.onchange = () => { state.bars = view.bars.value; };
  view.click.onchange = () => {
    state.click = view.click.checked;
    if (state.recording) state.recording.bus.phrase.gain.value = state.click ? 1 : 0;
  };
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  const root = parentElement.querySelector(".keyboard");
  const view = Object.fromEntries(["connect", "record", "done", "status", "bars", "click", "note"].map(
    n => [n, root.querySelector("." + n)]));
  view.choices = [...root.querySelectorAll(".choice")];
  state.view = view; state.data = data; state.send = setTriggerValue;
  if (!navigator.requestMIDIAccess) {
    view.connect.hidden = true;
    say("This browser offers no Web MIDI (Chrome and Edge do): upload a phrase instead.");
    return;
  }
  choices(view);
  view.connect.onclick = connect;
  view.record.onclick = start;
  view.done.onclick = finish;
  view.connect.hidden = !!state.access;
  view.done.hidden = !state.recording;
  if (state.access) listen(); else say("Play the phrase on a MIDI keyboard instead of uploading it.");
}
