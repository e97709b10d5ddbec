// Practice mode's player: chorus after chorus from Web Audio, each started exactly where the one before ends
// (its start plus the form's length: bars x beats x 60 / tempo; its reverb tail may ring into the next).
// A st.components.v2 component: this module is loaded once and its default function is called again with new
// `data` on every run of the page, so the AudioContext and the decoded choruses live here, by run number, and
// survive re-renders and remounts. The page sends each chorus's audio until the player says it holds it.
// Text of the take is never markup here: the player only writes numbers with textContent.
const players = new Map();  // run number -> Player
const LEAD_IN = 0.15;  // seconds from the first chorus's arrival to its start
const GRACE = 2000;  // ms a player outlives its component (a remount mounts it again in between)

function bytesOf(text) {  // base64 -> ArrayBuffer
  const binary = atob(text), bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

class Player {
  constructor(run, bars) {
    this.run = run; this.bars = bars;  // bar starts in seconds within a chorus
    this.context = new AudioContext();
    this.out = this.context.createGain(); this.out.connect(this.context.destination);
    this.buffers = new Map(); this.pending = new Set(); this.received = new Set();
    this.starts = new Map(); this.sources = new Map(); this.log = [];
    this.next = 1; this.reported = ""; this.calls = 0; this.timer = setInterval(() => this.tick(), 100);
  }

  receive(choruses) {  // decode the choruses not held yet, then schedule what can be
    for (const chorus of choruses) {
      if (!chorus.audio || this.received.has(chorus.number) || this.pending.has(chorus.number)) continue;
      this.pending.add(chorus.number);
      this.context.decodeAudioData(bytesOf(chorus.audio)).then(buffer => {
        this.pending.delete(chorus.number); this.received.add(chorus.number);
        this.buffers.set(chorus.number, {buffer, seconds: chorus.seconds, seed: chorus.seed,
                                         pitches: chorus.pitches, decodedAt: this.context.currentTime});
        this.schedule(); this.tick();
      }, () => { this.pending.delete(chorus.number); });  // sent again by the page, decoded next time
    }
  }

  schedule() {  // chorus k+1 at chorus k's start plus its length; late only if it came after that moment
    while (this.buffers.has(this.next) && !this.stopped) {
      const number = this.next, chorus = this.buffers.get(number), before = this.log.at(-1);
      const now = this.context.currentTime, due = before ? before.start + before.seconds : now + LEAD_IN;
      const start = Math.max(due, now + 0.02);
      const source = this.context.createBufferSource();
      source.buffer = chorus.buffer; source.connect(this.out); source.start(start);
      source.onended = () => { this.sources.delete(number); this.buffers.delete(number); };
      this.sources.set(number, source);
      this.log.push({chorus: number, start, seconds: chorus.seconds, scheduledAt: now, lead: start - now,
                     late: start > due + 1e-6, seed: chorus.seed, pitches: chorus.pitches});
      chorus.buffer = null;  // the source holds it now
      this.next += 1;
    }
  }

  playing() {  // the log entry of the chorus playing now, if any
    const now = this.context.currentTime;
    return this.log.findLast(entry => entry.start <= now && now < entry.start + entry.seconds) || null;
  }

  tick() {  // the words on the page, and the news for the page's server when it changed
    if (!this.view || this.stopped) return;
    const entry = this.playing(), now = this.context.currentTime;
    const suspended = this.context.state === "suspended";
    this.view.resume.hidden = !suspended;
    if (entry) {
      const into = now - entry.start, bar = this.bars.filter(start => start <= into + 1e-6).length;
      const ahead = this.log.filter(e => e.chorus > entry.chorus).length;
      this.view.now.textContent = `Chorus ${entry.chorus} playing · bar ${bar} of ${this.bars.length}`;
      this.view.ahead.textContent = ahead ? `next ${ahead === 1 ? "chorus" : ahead + " choruses"} ready` :
        "the next chorus is on its way";
    } else {
      this.view.now.textContent = suspended ? "The browser holds the sound back until you click:" :
        this.log.length ? "Starting…" : "Improvising the first chorus…";
      this.view.ahead.textContent = "";
    }
    const news = {run: this.run, playing: entry ? entry.chorus : 0, received: [...this.received].slice(-8)};
    const text = JSON.stringify(news);
    if (text !== this.reported) { this.reported = text; this.report("heard", news); }
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true; clearInterval(this.timer);
    const now = this.context.currentTime;
    this.out.gain.setTargetAtTime(0, now, 0.03);
    for (const source of this.sources.values()) source.stop(now + 0.2);
    setTimeout(() => this.context.close(), 400);
    players.delete(this.run);
  }
}

export default function (component) {
  const {data, parentElement, setStateValue} = component;
  for (const [run, other] of players) if (!data || !data.on || run !== data.run) other.stop();
  if (!data || !data.on) return;
  let player = players.get(data.run);
  if (!player) { player = new Player(data.run, data.bars); players.set(data.run, player); }
  player.calls += 1;
  const root = parentElement.querySelector(".practice");
  player.view = {now: root.querySelector(".now"), ahead: root.querySelector(".ahead"),
                 resume: root.querySelector(".resume")};
  player.view.resume.onclick = () => player.context.resume();
  player.report = setStateValue;
  window.jazzPractice = player;  // the player playing, for the page's tests and the curious
  player.receive(data.choruses);
  player.tick();
  const call = player.calls;
  return () => setTimeout(() => { if (player.calls === call) player.stop(); }, GRACE);
}
