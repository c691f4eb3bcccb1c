// Tempo dashboard: draws what /api/events sends. The stream starts with a snapshot of everything, then sends
// "points" (rows a run gained), "run" (a run whose facts, columns or problem changed), "fleet" (each heartbeat) and
// "timing" (the fleet's timing row of that read).
// EventSource reconnects by itself; every connection starts with a fresh snapshot, so nothing is ever merged twice.
"use strict";

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
const state = { runs: new Map(), fleet: null, fleetTiming: null };
const charts = new Map();

// Each chart: a title, the x column, and the y series per run (column, label suffix, dash).
const chartSpecs = [
  { id: "chart-return-steps", title: "Episodic return (last 20) vs env steps", x: "global_step", ys: [["episodic_return_mean", ""]] },
  { id: "chart-return-time", title: "Episodic return (last 20) vs wall time (s)", x: "wall_time_s", ys: [["episodic_return_mean", ""]] },
  { id: "chart-sps", title: "Env steps per second", x: "wall_time_s", ys: [["sps", ""]] },
  { id: "chart-updates", title: "Learner updates per second", x: "wall_time_s", ys: [["learner_updates_per_s", ""]] },
  { id: "chart-losses", title: "Losses (value loss on the right axis)", x: "global_step", ys: [["policy_loss", " policy"], ["value_loss", " value", "right"], ["entropy", " entropy"]] },
  { id: "chart-gaps", title: "Action gap (ms) vs wall time: p50, p99, max", x: "wall_time_s", ys: [["action_gap_p50_ms", " p50"], ["action_gap_p99_ms", " p99"], ["action_gap_max_ms", " max"]], period: true, live: true },
  { id: "chart-late", title: "Late ticks (deadline overruns)", x: "wall_time_s", ys: [["deadline_overruns", ""]], live: true },
  { id: "chart-lag", title: "Policy lag (mean, max)", x: "wall_time_s", ys: [["policy_lag_mean", " mean"], ["policy_lag_max", " max"]], live: true },
  { id: "chart-drops", title: "Segments dropped", x: "wall_time_s", ys: [["segments_dropped_stale", " stale"], ["segments_dropped_queue_full", " queue full"]], live: true },
];
// The same live timing for a fleet, from its actors' heartbeats (the learner's metrics.csv has no gaps or late ticks:
// its envs are on other machines), against the clock, since the dashboard only knows when it read each heartbeat.
for (const spec of chartSpecs.filter(s => s.live)) {
  chartSpecs.push({ ...spec, id: spec.id.replace("chart-", "chart-fleet-"), x: "unix_time_s", fleet: true,
    title: spec.title.replace("vs wall time", "vs clock time").replace("Action gap", "Action gap of the worst actor") });
}

function column(run, name) {
  const index = run.columns.indexOf(name);
  return index < 0 ? null : run.rows.map(row => row[index]);
}

// What a chart draws: the runs' rows, or the fleet's timing rows (with the tick rate of the run of the same name, if
// the dashboard watches it, for the period).
function sources(spec) {
  if (!spec.fleet) return [...state.runs.values()];
  if (!state.fleet || !state.fleetTiming) return [];
  const run = state.runs.get(state.fleet.run);
  return [{ name: "fleet " + state.fleet.run, columns: state.fleetTiming.columns, rows: state.fleetTiming.rows, facts: run ? run.facts : null }];
}

// One table per (run, series) with its own x, joined on x so runs with different report times overlay.
function chartData(spec) {
  const tables = [], series = [{ label: spec.x }];
  let colour = 0;
  for (const run of sources(spec)) {
    const xs = column(run, spec.x);
    spec.ys.forEach(([name, suffix, scale], k) => {
      const ys = column(run, name);
      if (xs && ys && ys.some(v => v !== null)) {
        const points = xs.map((x, i) => [x, ys[i]]).filter(p => p[0] !== null).sort((a, b) => a[0] - b[0]);
        tables.push([points.map(p => p[0]), points.map(p => p[1])]);
        series.push({ label: run.name + suffix, scale: scale || "y", stroke: palette[(colour + k) % palette.length], width: 1.5, spanGaps: true, dash: k === 0 ? undefined : [6 - 2 * k, 3] });
      }
    });
    colour++;
  }
  if (spec.period) {
    for (const run of sources(spec)) {
      const rate = run.facts && run.facts.tickRateHz;
      const xs = column(run, spec.x);
      if (rate && xs && xs.length > 0) {
        const xsSorted = xs.filter(x => x !== null).sort((a, b) => a - b);
        tables.push([xsSorted, xsSorted.map(() => 1000 / rate)]);
        series.push({ label: run.name + " period", stroke: "#888", dash: [4, 4], width: 1 });
      }
    }
  }
  const points = tables.reduce((n, t) => n + t[0].length, 0);
  return { data: tables.length === 0 ? [[]] : uPlot.join(tables), series, points };
}

function drawChart(spec) {
  const element = document.getElementById(spec.id);
  const { data, series, points } = chartData(spec);
  element.dataset.points = String(points);
  element.dataset.series = series.slice(1).map(s => s.label).join("|");
  if (series.length === 1) {
    // Nothing to draw yet: a learning chart says so; a timing chart is hidden, since a run without live envs (or a fleet
    // run, whose actors' timing is under Fleet) never has these columns.
    const existing = charts.get(spec.id);
    if (existing) { existing.plot.destroy(); charts.delete(spec.id); }
    element.hidden = Boolean(spec.live);
    element.replaceChildren(Object.assign(document.createElement("div"), { className: "empty", textContent: spec.title + ": no data yet" }));
    return points;
  }
  element.hidden = false;
  const key = series.map(s => s.label).join("|");
  const existing = charts.get(spec.id);
  if (existing && existing.key === key) {
    existing.plot.setData(data);
    return points;
  }
  if (existing) existing.plot.destroy();
  element.replaceChildren();
  // Hidden sections have no width yet; every chart shares the grid column of the first one.
  const width = Math.max(320, document.getElementById("chart-return-steps").clientWidth - 8);
  const axes = [{ label: { global_step: "env steps", wall_time_s: "wall time (s)", unix_time_s: "clock time" }[spec.x] }, {}];
  if (series.some(s => s.scale === "right")) axes.push({ scale: "right", side: 1, grid: { show: false } });
  // The period line is drawn only when the run's config names a tick rate; the title mentions it only then.
  const title = series.some(s => s.label.endsWith(" period")) ? spec.title + "; dashed: the period" : spec.title;
  const plot = new uPlot({
    title, width, height: 260, series,
    scales: { x: { time: spec.x === "unix_time_s" } },
    axes,
    legend: { live: false },
  }, data, element);
  charts.set(spec.id, { plot, key });
  return points;
}

function drawCharts() {
  let live = false, fleetLive = false;
  for (const spec of chartSpecs) {
    const points = drawChart(spec);
    if (spec.live && !spec.fleet && points > 0) live = true;
    if (spec.fleet && points > 0) fleetLive = true;
  }
  document.getElementById("live-section").hidden = !live;
  document.getElementById("fleet-timing").hidden = !fleetLive;
}

const fmt = (v, digits = 0) => v === null || v === undefined || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const when = iso => iso ? new Date(iso).toLocaleString() : "–";
function cell(text, numeric) { const td = document.createElement("td"); td.textContent = text; if (numeric) td.className = "num"; return td; }

function lastValue(run, name) {
  const index = run.columns.indexOf(name);
  for (let i = run.rows.length - 1; index >= 0 && i >= 0; i--) if (run.rows[i][index] !== null) return run.rows[i][index];
  return null;
}

function drawFacts() {
  const body = document.querySelector("#facts tbody");
  body.replaceChildren();
  for (const run of state.runs.values()) {
    const tr = document.createElement("tr");
    tr.dataset.run = run.name;
    tr.dataset.rows = String(run.rows.length);
    const f = run.facts;
    const checkpoint = f && f.checkpoint ? `v${f.checkpoint.policyVersion} at ${fmt(f.checkpoint.globalStep)} steps, ${when(f.checkpoint.writtenUtc)}` : "–";
    tr.append(cell(run.name), cell(f ? f.env || "–" : "–"), cell(f ? f.algorithm || "–" : "–"), cell(f ? when(f.startedUtc) : "–"),
      cell(fmt(run.rows.length), true), cell(fmt(lastValue(run, "global_step")), true), cell(fmt(lastValue(run, "episodic_return_mean"), 1), true), cell(checkpoint));
    const config = document.createElement("td");
    if (f) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "config.json";
      const pre = document.createElement("pre");
      pre.textContent = JSON.stringify(f.config, null, 2);
      details.append(summary, pre);
      config.append(details);
    }
    tr.append(config);
    body.append(tr);
  }
}

function drawFleet() {
  const fleet = state.fleet;
  document.getElementById("fleet-section").hidden = !fleet;
  if (!fleet) return;
  const actors = fleet.members.filter(m => m.status.role === "actor");
  const learner = fleet.members.find(m => m.status.role === "learner");
  document.getElementById("fleet-summary").textContent =
    `run ${fleet.run} on ${fleet.redis}: ${actors.filter(m => m.state !== "gone").length} of ${actors.length} actors alive, learner ${learner ? learner.state : "not seen"}`;
  const body = document.querySelector("#fleet tbody");
  body.replaceChildren();
  const now = Date.now();
  for (const { state: memberState, status: s } of fleet.members) {
    const tr = document.createElement("tr");
    tr.dataset.member = s.member;
    tr.dataset.state = memberState;
    const sent = s.role === "learner" ? s.segmentsReceived : s.segmentsSent;
    tr.append(cell(s.member), cell(memberState), cell(s.host), cell(`${fmt((now - s.lastSeenUnixMs) / 1000, 1)} s ago`, true),
      cell(fmt(s.stepsPerSecond), true), cell(fmt(s.policyVersion), true), cell(fmt(s.policyLag), true), cell(fmt(s.gapP99Ms, 1), true),
      cell(fmt(sent), true), cell(fmt(s.segmentsDropped), true), cell(fmt(s.reconnects), true));
    body.append(tr);
  }
}

function drawProblems() {
  const box = document.getElementById("problems");
  box.replaceChildren();
  // Each line says whose problem it is (a run's name, or "fleet"), for people and for the browser test alike.
  const problems = [...state.runs.values()].filter(r => r.error).map(r => [r.name, `${r.name}: ${r.error}`]);
  if (state.fleet && state.fleet.error) problems.push(["fleet", state.fleet.error]);
  for (const [source, text] of problems) {
    const div = document.createElement("div");
    div.className = "problem";
    div.dataset.source = source;
    div.textContent = text;
    box.append(div);
  }
}

function drawAll() { drawProblems(); drawFacts(); drawFleet(); drawCharts(); }

function connect() {
  const connection = document.getElementById("connection");
  const events = new EventSource("api/events");
  events.addEventListener("open", () => { connection.dataset.state = "live"; connection.textContent = "live"; });
  events.addEventListener("error", () => {
    connection.dataset.state = "lost";
    connection.textContent = "reconnecting…";
    // EventSource reconnects by itself after a stream drops, but gives up for good when a reconnection is refused (the
    // server still down): then start over after the same second the server's "retry:" asks for.
    if (events.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  });
  events.addEventListener("snapshot", e => {
    const snapshot = JSON.parse(e.data);
    state.runs = new Map(snapshot.runs.map(r => [r.name, r]));
    state.fleet = snapshot.fleet;
    state.fleetTiming = snapshot.fleetTiming;
    drawAll();
  });
  events.addEventListener("run", e => { const run = JSON.parse(e.data); state.runs.set(run.name, run); drawAll(); });
  events.addEventListener("points", e => {
    const points = JSON.parse(e.data);
    const run = state.runs.get(points.run);
    if (!run) return;
    run.rows.splice(points.firstRow, run.rows.length - points.firstRow, ...points.rows);
    drawFacts();
    drawCharts();
  });
  events.addEventListener("fleet", e => { state.fleet = JSON.parse(e.data); drawProblems(); drawFleet(); });
  events.addEventListener("timing", e => {
    const timing = JSON.parse(e.data);
    if (!state.fleetTiming) state.fleetTiming = { columns: timing.columns, rows: [] };
    state.fleetTiming.rows.push(...timing.rows);
    drawCharts();
  });
}

connect();
