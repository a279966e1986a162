// Draws the churn report from the JSON in #churn-data with Chart.js; marks progress on <body>:
// data-charts-expected, data-charts-rendered (charts drawn at least once), data-errors.
(function () {
  'use strict';
  var body = document.body;
  var data = JSON.parse(document.getElementById('churn-data').textContent);
  var rendered = new Set();
  body.setAttribute('data-charts-expected', String(data.expectedCharts));
  body.setAttribute('data-errors', String(window.churnErrors.length));

  Chart.register({
    id: 'churnRendered',
    afterRender: function (chart) {
      rendered.add(chart.id);
      body.setAttribute('data-charts-rendered', String(rendered.size));
      body.setAttribute('data-page-width', String(document.documentElement.scrollWidth));
      // The axes' tick labels as drawn (after Chart.js skipped those that would overlap), for tests: a canvas has no
      // text to read.
      Object.keys(chart.scales).forEach(function (id) {
        var scale = chart.scales[id], shown = [];
        scale.ticks.forEach(function (t, i) {
          var l = t.label == null ? '' : Array.isArray(t.label) ? t.label.join(' ') : String(t.label);
          if (l !== '') { shown.push({label: l, px: Math.round(scale.getPixelForTick(i))}); }
        });
        chart.canvas.setAttribute('data-ticks-' + id, shown.map(function (t) { return t.label; }).join('|'));
        chart.canvas.setAttribute('data-ticks-' + id + '-px', shown.map(function (t) { return t.px; }).join('|'));
      });
    }
  });
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 11;

  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
                '#bcbd22', '#17becf'];
  function color(i) { return COLORS[i % COLORS.length]; }

  function el(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function canvas(parent, cls) {
    var box = el('div', {'class': cls || 'chart'}, parent);
    return el('canvas', {}, box);
  }

  function fmt(v, digits) {
    // '-', as the terminal's tables and the docs have it (an en dash here read as another sign, QA 2026-12-06).
    if (v === null || v === undefined || isNaN(v)) { return '-'; }
    return Number(v).toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? 1 : digits});
  }

  // What a stopped run was asked for, as the run's table says it: "(STOPPED, of the 8s asked)". The page said STOPPED
  // alone (QA, 2026-12-06).
  function stoppedShort(s) {
    var sc = s.scenario || {};
    if (s.endReason !== 'STOPPED' || s.endedInWarmup || s.hosts) { return ''; }
    var n = sc.connections > 0 ? fmt(sc.connections, 0) : null;
    if (typeof sc.duration === 'string' && sc.duration) {
      return ', of the ' + sc.duration + (n ? ' or ' + n + ' connections' : '') + ' asked';
    }
    return n ? ', of ' + n + ' connections asked' : '';
  }

  // A figure with exactly this many decimals, as the terminal's %.1f prints it.
  function fixed(v, digits) {
    if (v === null || v === undefined || isNaN(v)) { return '-'; }
    return Number(v).toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }

  // An open loop's schedule in the words of the run's table (SummaryTable): how many starts were made of those due,
  // how late, and how many were missed. The page said none of it, though a run far behind its --rate is measuring its
  // own client (QA, 2026-12-06).
  function scheduleLines(s) {
    var sc = s.schedule;
    function lag(micros) { return micros < 1000 ? fixed(micros, 0) + ' µs' : fixed(micros / 1000, 1) + ' ms'; }
    var flight = 'at most ' + fmt(sc.peakInFlight, 0) + ' of ' + fmt(sc.maxInFlight, 0) + ' in flight';
    var started = 'started ' + fmt(sc.started, 0) + ' of ' + fmt(sc.intended, 0) + ' intended';
    var lines = [];
    if (sc.lagP50Micros != null) {
      var where = 'in each cycle\'s latency (which counts from the intended start)';
      var full = sc.maxInFlight > 0 && sc.peakInFlight >= sc.maxInFlight;
      var slotWait = typeof sc.slotWaitPercent === 'number' ? Math.round(sc.slotWaitPercent) : -1;
      var because = !full ? 'the client\'s own waking, ' + where + ', not the server\'s'
        : slotWait < 0 ? 'the client\'s waking, and perhaps waits for a free slot (all were busy at times); ' + where
        : (slotWait >= 100 ? 'all of it waiting for a free slot (a cycle to end)'
          : slotWait <= 0 ? 'none of it waiting for a free slot: all of it the client\'s own waking'
          : slotWait + '% of it waiting for a free slot (a cycle to end), the rest the client\'s own waking') +
          ' (every slot was busy at times); ' + where;
      lines.push(started + ' (' + flight + '), late by p50 ' + lag(sc.lagP50Micros) + ', p99 ' + lag(sc.lagP99Micros) +
                 ', at most ' + lag(sc.maxLagMicros) + ': ' + because);
    } else {
      lines.push(started + ', the latest ' + fixed(sc.maxLagMicros / 1000, 1) + ' ms late (' + flight + ')');
    }
    var missed = sc.missed != null ? sc.missed : sc.intended - sc.started;
    if (missed > 0) {
      lines.push(fmt(missed, 0) + ' missed: due, but still waiting when the run ended, so never started and in no ' +
                 'latency figure (' + (s.endReason === 'STOPPED' ? 'the run was stopped before they started'
                   : s.endReason === 'TOO_MANY_FAILURES' ? 'the run ended at --max-failures before they started'
                   : 'no cycle starts past the deadline: --duration holds') + ')');
    }
    return lines;
  }

  // The TLS version and resumption, and the HTTP path, as the run's table gives them ('tls' or 'http' line): the page
  // left them out, so two runs' pages told a resumed 1.3 handshake from a full 1.2 one only by their curves (QA,
  // 2026-12-06).
  function tlsHttpLine(s) {
    var sc = s.scenario || {};
    if (sc.tls && typeof sc.tls === 'object') {
      var h = s.tlsHandshakes || {};
      return {kind: 'tls', text: sc.tls.version + (sc.tls.resume ? ' with resumption' : '') + ', ' +
        fmt(h.handshakes || 0, 0) + ' handshakes timed' + (h.handshakes ? ', ' + fmt(h.resumed || 0, 0) + ' resumed (' +
        fixed(100 * (h.resumedShare || 0), 1) + '%)' : '') + (sc.http != null ? ', HTTP GET ' + sc.http : '') +
        // As the table words it: a run that ended in its warm-up timed no handshake; "none completed" only when none
        // did (review, 2026-12-06: it stood beside "2 completed").
        (!h.handshakes && s.endedInWarmup ? " (the warm-up's handshakes are not timed, and this run ended in it)"
          : !h.handshakes && (s.connections || {}).completed === 0 && (s.connections || {}).failed > 0
          ? ' (the handshakes of completed connections: none completed, whatever their handshakes did)' : '')};
    }
    return sc.http != null ? {kind: 'http', text: 'GET ' + sc.http + ' per connection'} : null;
  }

  // The TCP states table: peak and final on the run's ports, and how the samples were spaced.
  function statesTable(parent, st, host) {
    el('h3', {}, parent, 'TCP states on the run\'s ports' + (host ? ' (' + host + ')' : ''));
    table(parent, ['state', 'peak', 'final'], ['TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT2', 'ESTABLISHED'].map(function (k) {
      return [k, fmt((st.peak || {})[k], 0), fmt((st['final'] || {})[k], 0)];
    })).className = 'states';
    // The timeline is only as fine as the samples: say how they were spaced, and why when
    // that is coarser than --interval asked (the sampler's CPU budget or slow samples).
    var median = st.medianIntervalMicros, asked = st.stretched ? st.stretched.requestedMicros : null;
    if (median != null) {
      el('p', {'class': 'note'}, parent, fmt(st.samples, 0) + ' samples (' + st.source + '), every ' + fmt(median / 1000, 1) +
          ' ms (median)' + (asked != null && median > asked * 1.1 ? ', not every ' + fmt(asked / 1000, 3) +
          ' ms as --interval asked: ' + st.stretched.note : ''));
    }
  }

  // Figures with the decimals the terminal prints them with: the page dropped trailing zeros (834 beside the table's
  // 834.0, (17%) beside (17.0%), a resets/conn of 1 beside 1.00; QA, 2026-12-06).

  // The headline's rate as SummaryTable.headlineRate gives it: tenths, and under 1/s its first three figures.
  function headlineRate(v) {
    return v > 0 && v < 1 ? Number(v).toPrecision(3) : fixed(v, 1);
  }

  // A comparison's figure as CompareCommand.table prints it: a share of each connection (resets/conn) with two
  // decimals, latencies and CPU with tenths, a count or rate whole (a count's median between two runs with tenths).
  function metricCell(m, v) {
    if (v === null || v === undefined) { return '-'; }
    if (m.digits === 2) { return fixed(v, 2); }
    return fixed(v, m.tenths || (m.key !== 'rate' && v !== Math.round(v)) ? 1 : 0);
  }

  // The phase as the run's table names it: accept is the wait it is, not a cost of the connection.
  function phaseName(p) {
    return p === 'accept' ? 'accept wait' : p;
  }

  // 1/(1-p) as a percentile label: 2 -> 50%, 10 -> 90%, 1000 -> 99.9%.
  function percentileLabel(x) {
    var p = 100 - 100 / x;
    return (Math.round(p * 10000) / 10000) + '%';
  }

  function percentileAxis() {
    return {
      type: 'logarithmic', title: {display: true, text: 'percentile'},
      min: 1,
      afterBuildTicks: function (axis) {
        var ticks = [];
        // 50% only where it stands clear of 0%: in a narrow chart the two labels overlapped (QA, 2026-12-06).
        var roomFor50 = axis.width * Math.log(2) / Math.log(Math.max(axis.max, 10)) >= 30;
        for (var v = 1; v <= Math.max(axis.max, 10); v *= 10) {
          if (v >= axis.min && v <= axis.max * 1.0001) { ticks.push({value: v}); }
          if (v === 1 && 2 <= axis.max && roomFor50) { ticks.push({value: 2}); }
        }
        axis.ticks = ticks;
      },
      ticks: {callback: function (v) { return percentileLabel(v); }}
    };
  }

  function points(pairs) { return (pairs || []).map(function (p) { return {x: p[0], y: p[1]}; }); }

  // Latencies span from about a microsecond to seconds in one run (connect vs an accept or a
  // tail): a log axis keeps every phase readable. Zero cannot sit on it, so it is drawn at the floor, and the floor's
  // tick then says 0: it said 0.01 µs, a latency no phase had (QA, 2026-12-06). v keeps the value for the tooltip.
  var LATENCY_FLOOR = 0.01;
  function latencyPoints(pairs) {
    return points(pairs).map(function (p) { return {x: p.x, y: Math.max(p.y, LATENCY_FLOOR), v: p.y}; });
  }

  function hasFloored(series) {
    return series.some(function (s) { return (s.points || []).some(function (p) { return p[1] < LATENCY_FLOOR; }); });
  }

  function latencyAxis(floored) {
    return {
      type: 'logarithmic', title: {display: true, text: 'µs (log scale)'},
      min: floored ? LATENCY_FLOOR : undefined,
      ticks: {callback: function (v) {
        if (floored && Math.abs(v - LATENCY_FLOOR) < LATENCY_FLOOR * 1e-6) { return '0'; }
        var m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        return Math.abs(m - 1) < 1e-6 || Math.abs(m - 2) < 1e-6 || Math.abs(m - 5) < 1e-6 ? fmt(v, 2) : '';
      }}
    };
  }

  function percentileChart(parent, title, series) {
    var floored = hasFloored(series);
    new Chart(canvas(parent), {
      type: 'line',
      data: {datasets: series.map(function (s, i) {
        return {label: s.label, data: latencyPoints(s.points), borderColor: color(i), backgroundColor: color(i),
                pointRadius: 0, borderWidth: 1.5, tension: 0};
      })},
      options: {
        parsing: false,
        plugins: {title: {display: true, text: title},
                  tooltip: {callbacks: {label: function (c) {
                    return c.dataset.label + ': ' + fmt(c.raw.v) + ' µs at ' + percentileLabel(c.parsed.x); }}}},
        scales: {x: percentileAxis(), y: latencyAxis(floored)}
      }
    });
  }

  // Shades the timeline from 0 to opts.to and names it opts.label; the span drawn is on the canvas for tests.
  var unmeasured = {
    id: 'churnUnmeasured',
    beforeDatasetsDraw: function (chart, args, opts) {
      var x = chart.scales.x, area = chart.chartArea;
      var from = x.getPixelForValue(0), to = Math.min(x.getPixelForValue(opts.to), area.right);
      var ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(0, 0, 0, 0.07)';
      ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
      ctx.fillStyle = '#666';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(opts.label, (from + to) / 2, area.top + 4);
      ctx.restore();
      chart.canvas.setAttribute('data-shaded', '0-' + opts.to + ' ' + opts.label);
    }
  };

  function timelineChart(parent, run) {
    // One point per interval end (plus the first interval's start), drawn as steps: the rate held over
    // each interval, however short. Few intervals (a short run) also get dots, so one is never invisible.
    // 'after' in Chart.js rises at the previous point and holds the new value up to this one: each point's rate
    // over the interval that ends at it. 'before' held each rate over the next interval, one interval late
    // (QA, 2026-12-06: a dip in 1.2-2.4 s drawn over 2.4-3.4 s, beside the TIME_WAIT curve on the same axis).
    var rate = run.rate || [];
    var datasets = [{label: 'connections/s', data: points(rate), yAxisID: 'y', borderColor: color(0),
                     backgroundColor: color(0), pointRadius: rate.length <= 20 ? 3 : 0, borderWidth: 1.5,
                     stepped: 'after'}];
    var c = 1;
    (run.states || []).forEach(function (h) {
      var suffix = run.states.length > 1 ? ' (' + h.host + ')' : '';
      ['TIME_WAIT', 'CLOSE_WAIT'].forEach(function (state) {
        if (h[state]) {
          datasets.push({label: state + suffix, data: points(h[state]), yAxisID: 'y1', borderColor: color(c),
                         backgroundColor: color(c), pointRadius: 0, borderWidth: 1.5, borderDash: state === 'CLOSE_WAIT' ? [4, 3] : []});
          c++;
        }
      });
    });
    // What comes before the measured part (a warm-up, or the start of the client and sink) is shaded and named: the
    // axis said "seconds since start" and its idle first seconds read as a stalled run (QA, 2026-12-06).
    var sc = run.summary.scenario || {};
    var before = run.measuredPartFrom > 0 ? {to: run.measuredPartFrom,
      label: sc.warmup && sc.warmup !== '0s' ? 'warm-up' : 'starting'} : null;
    if (run.summary.endedInWarmup) {
      // Nothing was measured: the whole timeline is the warm-up, and was shaded nowhere (QA, 2026-12-06).
      var end = 0;
      datasets.forEach(function (d) { d.data.forEach(function (p) { end = Math.max(end, p.x); }); });
      before = end > 0 ? {to: end, label: 'warm-up'} : null;
    }
    new Chart(canvas(parent), {
      type: 'line',
      data: {datasets: datasets},
      plugins: before ? [unmeasured] : [],
      options: {
        parsing: false,
        plugins: {title: {display: true, text: 'connection rate and TCP states over time'},
                  churnUnmeasured: before},
        scales: {
          x: {type: 'linear', min: 0, title: {display: true, text: 'seconds since the run started' +
                (before ? ' (shaded: ' + before.label + ', not measured)' : '')}},
          y: {type: 'linear', beginAtZero: true, position: 'left', title: {display: true, text: 'connections/s'}},
          y1: {type: 'linear', beginAtZero: true, position: 'right', grid: {drawOnChartArea: false},
               title: {display: true, text: 'sockets'}}
        }
      }
    });
  }

  function table(parent, headings, rows, leftColumns) {
    var t = el('table', {}, el('div', {'class': 'scroll'}, parent));
    var tr = el('tr', {}, t);
    headings.forEach(function (h, i) { el('th', {'class': i < (leftColumns || 1) ? 'l' : ''}, tr, h); });
    rows.forEach(function (r) {
      var row = el('tr', {}, t);
      r.forEach(function (v, i) {
        var td = el('td', {'class': i < (leftColumns || 1) ? 'l' : ''}, row);
        if (v && typeof v === 'object') {
          td.textContent = v.text;
          if (v.mark) { td.className += ' mark'; }
          if (v.change) { td.className += ' ' + v.change; td.setAttribute('data-change', v.change); }
        }
        else { td.textContent = v; }
      });
    });
    return t;
  }

  function environmentRows(env) {
    var rows = [['kernel', env.kernelRelease], ['os', env.os], ['JDK', env.jdkVendor + ' ' + env.jdkVersion],
                ['CPUs', String(env.cpus)], ['host', env.hostname]];
    if (env.churn) {
      rows.unshift(['churn', env.churn.version + ', commit ' + env.churn.commit +
                    (env.churn.dirty ? ', with uncommitted changes' : '')]);
    }
    Object.keys(env.sysctls || {}).forEach(function (k) { rows.push([k, env.sysctls[k]]); });
    return rows;
  }

  // summary.json's kernel object mixes counter deltas with gauges and constants (CurrEstab, RtoMax ...)
  // that keep their value after the run; data.kernelGauges names the latter.
  function isGauge(name) { return (data.kernelGauges || []).indexOf(name) >= 0; }

  // The run table's counters first, in its order and +0 included (TWKilled only when it moved), then any other that
  // moved: every 0 was dropped, so a 0 could not be told from a counter not measured (QA, 2026-12-06).
  function kernelRows(kernel) {
    var k = kernel || {}, headline = data.kernelHeadline || [], whenMoved = data.kernelWhenMoved || [];
    var names = headline.filter(function (n) {
      return n in k && !isGauge(n) && (k[n] !== 0 || whenMoved.indexOf(n) < 0);
    }).concat(Object.keys(k).filter(function (n) {
      return headline.indexOf(n) < 0 && !isGauge(n) && k[n] !== 0;
    }));
    return names.map(function (n) { return [n, (k[n] >= 0 ? '+' : '') + fmt(k[n], 0)]; });
  }

  function gaugeRows(kernel) {
    return Object.keys(kernel || {}).filter(isGauge).map(function (k) { return [k, fmt(kernel[k], 0)]; });
  }

  function runSection(run, index) {
    var s = run.summary, sc = s.scenario || {}, load = sc.load || {};
    var sec = el('section', {id: 'run-' + index}, document.getElementById('content'));
    el('h2', {}, sec, run.label);
    el('p', {'class': 'note'}, sec, run.dir);
    (run.missing || []).forEach(function (m) { el('p', {'class': 'note missing'}, sec, m); });
    // A note the run's own table gave is listed with its findings below: said once, not twice (QA, 2026-12-06).
    var said = function (text) {
      return (run.findings || []).some(function (f) { return f.indexOf(text) >= 0; });
    };
    // The table's words for it, fixed or auto ("the warm-up (auto) ended after"; review, 2026-12-06).
    if (s.warmupEndedEarly && !said('all failed and none completed')) {
      el('p', {'class': 'note'}, sec, 'the warm-up ended after ' + fixed(s.warmupEndedEarly.afterSeconds, 1) + ' s, ' +
         (sc.warmup === 'auto' ? 'before the JIT went quiet' : 'not ' + sc.warmup) + ': its first ' + fmt(s.warmupEndedEarly.failed, 0) + ' cycles all failed and none completed');
    }
    if (s.endedInWarmup && !said('the run ended during its warm-up')) {
      el('p', {'class': 'note'}, sec, 'the run ended during its warm-up: these counts and failures are the warm-up\'s, ' +
         'and no latency was measured');
    }
    el('p', {}, sec, headlineRate(s.connections.perSecond) + ' connections/s; ' + fmt(s.connections.completed, 0) +
       ' completed, ' + fmt(s.connections.failed, 0) + ' failed in ' + fixed(s.durationSeconds, 3) + ' s (' + s.endReason +
       (s.endedInWarmup ? ' in the warm-up' : '') + stoppedShort(s) +
       '). transport ' + sc.transport + ', closer ' + sc.closer + ', linger ' + sc.linger + ', ' +
       // A merge across open and closed loops has neither a rate nor a concurrency: it read "concurrency undefined".
       (load.type === 'open' ? 'rate ' + load.rate + '/s' : load.type === 'mixed' ? 'open and closed loops mixed'
         + (load.clients ? ' (' + load.clients + ' clients combined)' : '') : 'concurrency ' + load.concurrency) +
       ', target ' + sc.target + (s.hosts ? '; merged from ' + s.hosts.length + ' hosts' : ''));
    if (s.cpu && s.cpu.perConnectionMicros != null) {
      // What the run's table says under its rate: churn's own CPU, and how much of it watched and compiled.
      var jit = s.jit && s.jit.measuredCompileSeconds != null ? s.jit.measuredCompileSeconds : null;
      // The sampler's share is the one summary.json keeps (samplerPercent, from unrounded seconds), as the table
      // prints it: worked out again from its rounded seconds it read 1.8% where the table said 2.0%. The JIT's
      // share is worked out as the table works it out.
      var share = function (sec, percent) {
        return fixed(sec, 2) + ' s' + (s.cpu.samplerPercent != null && s.cpu.measuredSeconds > 0
          ? ' (' + fixed(percent != null ? percent : sec / s.cpu.measuredSeconds * 100, 1) + '%)' : '');
      };
      // Under 1,000 connections the JVM's own work would be most of each one's share: the total alone, as the table.
      var completed = s.connections ? s.connections.completed : 0;
      var few = completed < 1000;
      el('p', {'class': 'cpu'}, sec, (few ? '' : fixed(s.cpu.perConnectionMicros, 1) + ' µs of CPU a connection: ') +
         fixed(s.cpu.measuredSeconds, few ? 3 : 2) + ' s' + (few ? ' of CPU' : '') + ' in the ' + fixed(s.cpu.windowSeconds, 2) +
         ' s of the measured part, all of churn\'s process (client, ' + (sc.builtInSink ? 'built-in sink, ' : '') + 'JVM)' +
         (few ? ', ' + fmt(completed, 0) + (completed === 1 ? ' connection is' : ' connections are') +
           ' too few for a cost each' : '') +
         (s.cpu.samplerSeconds != null ? '; of it the state sampler ' + share(s.cpu.samplerSeconds, s.cpu.samplerPercent) +
           (jit != null ? ', the JIT\'s compilers ' + share(jit, null) : '') : '') + '.');
    }
    if (s.schedule) {
      scheduleLines(s).forEach(function (line, i) {
        el('p', {'class': i === 0 ? 'schedule' : 'schedule missed'}, sec, (i === 0 ? 'schedule: ' : '') + line);
      });
    }
    var tls = tlsHttpLine(s);
    if (tls) {
      el('p', {'class': tls.kind}, sec, tls.kind + ': ' + tls.text);
    }
    // What the terminal said under the run's figures, which no chart shows: its warnings and notes, then its table.
    if (run.findings && run.findings.length) {
      var ul = el('ul', {'class': 'findings'}, sec);
      run.findings.forEach(function (f) {
        el('li', {'class': f.indexOf('warning:') === 0 ? 'warning' : 'note'}, ul, f);
      });
    }
    if (run.table) {
      var details = el('details', {'class': 'console'}, sec);
      el('summary', {}, details, 'the table churn printed for this run');
      el('pre', {}, details, run.table);
    }
    var charts = el('div', {'class': 'charts'}, sec);
    // A chart with nothing to draw is left out and said so, as HtmlReport counts them (an empty latency.hlog and no
    // states.csv drew two empty frames, and the command said "2 charts"; QA, 2026-12-06).
    if (Object.keys(run.percentiles).length) {
      percentileChart(charts, 'latency by percentile, per phase', Object.keys(run.percentiles).map(function (p) {
        return {label: phaseName(p), points: run.percentiles[p]};
      }));
    } else {
      // Why, as the phase table says it: a run in which nothing completed has a log with no latency in it, and the
      // page blamed a missing or empty log (QA, 2026-12-06).
      var done = (s.connections || {}).completed || 0;
      el('p', {'class': 'note no-chart'}, charts, 'no latency percentiles to draw (' + (s.endedInWarmup
        ? 'the run ended during its warm-up, before measuring' : done === 0 ? 'no connection completed'
        : 'no latency log, or an empty one') + ')');
    }
    if ((run.rate || []).length || (run.states || []).length) {
      timelineChart(charts, run);
    } else {
      el('p', {'class': 'note no-chart'}, charts, 'no connection rate or TCP states over time to draw');
    }
    var tables = el('div', {'class': 'tables'}, sec);
    var phases = Object.keys(s.phases || {}).map(function (p) {
      var v = s.phases[p];
      return [phaseName(p), fmt(v.count, 0), fixed(v.p50, 1), fixed(v.p90, 1), fixed(v.p99, 1), fixed(v.p999, 1),
              fixed(v.max, 1)];
    });
    var left = el('div', {}, tables);
    el('h3', {}, left, 'latency (µs)');
    if (phases.length) {
      table(left, ['phase', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], phases);
    } else {
      // Phases are recorded when a connection completes: say which reason it was (as the run's table does).
      var attempted = (s.connections || {}).attempted || 0;
      el('p', {'class': 'note no-phases'}, left, 'none timed: ' + (s.endedInWarmup
        ? 'the run ended during its warm-up, before measuring'
        : attempted === 0 ? 'no connection was attempted'
        : 'no connection completed (phases are recorded as connections complete)'));
    }
    // Failures are measurements: by class, with when and how the first of each came.
    var failed = Object.keys(s.failures || {}).filter(function (k) { return s.failures[k].count > 0; })
      .map(function (k) {
        var f = s.failures[k];
        return [k, f.firstMessage || '', fmt(f.count, 0), f.firstAtMs == null ? '' : fmt(f.firstAtMs, 0)];
      });
    if (s.sinkAcceptFailures && s.sinkAcceptFailures.count > 0) {
      failed.push(['sink accept', s.sinkAcceptFailures.first || '', fmt(s.sinkAcceptFailures.count, 0), '']);
    }
    el('h3', {}, left, 'failures');
    if (failed.length) {
      table(left, ['class', 'first', 'count', 'first at (ms)'], failed, 2).className = 'failures';
    } else {
      el('p', {'class': 'note'}, left, 'none');
    }
    if (s.states) {
      statesTable(left, s.states, null);
    }
    if (s.hosts) {
      // A merged run's (or a session's) hosts, as the merge's table lists them: their own rates, counts and TIME_WAIT,
      // then each one's TCP states, which a merged summary keeps per host only (the page showed neither; QA, 2026-12-06).
      el('h3', {}, left, 'hosts');
      table(left, ['host', 'connections/s', 'completed', 'TIME_WAIT peak'], s.hosts.map(function (h) {
        var c = h.connections || {};
        return [h.host, fixed(c.perSecond, 1), fmt(c.completed, 0), h.states ? fmt(h.states.peak.TIME_WAIT, 0) : '-'];
      })).className = 'hosts';
      var w = (s.merge || {}).rateWindow;
      if (w) {
        el('p', {'class': 'note rate-window'}, left, 'rate over the ' + w.kind + ' window, ' + w.from + ' to ' + w.to + ' (' +
           fixed(w.seconds, 3) + ' s): ' + fmt(w.completed, 0) + ' completions; the hosts\' own rates add to ' +
           fixed(s.merge.sumOfHostRates, 1) + '/s');
      }
      s.hosts.forEach(function (h) { if (h.states) { statesTable(left, h.states, h.host); } });
    }
    var right = el('div', {}, tables);
    var hosts = s.hosts || [{host: null, kernel: s.kernel, environment: s.environment}];
    hosts.forEach(function (h) {
      el('h3', {}, right, 'kernel counter deltas' + (h.host ? ' (' + h.host + ')' : '') +
         (s.endedInWarmup ? ' over the warm-up' : '') + ', whole namespace');
      if (Object.keys(h.kernel || {}).length) {
        table(right, ['counter', 'delta'], kernelRows(h.kernel)).className = 'kernel';
        el('p', {'class': 'note kernel-zeros'}, right, 'the run table\'s counters, +0 included; any other not listed ' +
           'was 0 (all are in summary.json)');
      } else if (h.kernel) {
        // As the run's table says it: an empty table read as counters that all stood still.
        el('p', {'class': 'note'}, right, 'none read: /proc/net/snmp and /proc/net/netstat were not there to read');
      }
      var gauges = gaugeRows(h.kernel);
      if (gauges.length) {
        el('h3', {}, right, 'kernel gauges and constants' + (h.host ? ' (' + h.host + ')' : '') + ', after the run');
        table(right, ['value', 'after'], gauges);
      }
      el('h3', {}, right, 'environment' + (h.host ? ' (' + h.host + ')' : ''));
      table(right, ['', ''], environmentRows(h.environment || {}));
    });
  }

  var BETTER = '#2ca02c', WORSE = '#d62728', PLAIN = '#1f77b4';

  // 'better', 'worse' or null: how a row's metric compares with the first row's beyond the noise.
  // comparison.json says so since it has "change"; older files only say beyondNoise.
  function change(c, r, m) {
    var v = r.metrics[m.key];
    if (!v) { return null; }
    if (v.change !== undefined) { return v.change; }
    if (!v.beyondNoise || !c.rows[0].metrics[m.key]) { return null; }
    var base = c.rows[0].metrics[m.key].median;
    return (m.better === 'higher' ? v.median > base : v.median < base) ? 'better' : 'worse';
  }

  // Draws each bar's min..max range as a full vertical line with caps, over the median bars.
  var whiskers = {
    id: 'churnWhiskers',
    afterDatasetsDraw: function (chart, args, opts) {
      var ranges = opts && opts.ranges;
      if (!ranges) { return; }
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = '#222';
      ctx.lineWidth = 1.5;
      ranges.forEach(function (r, i) {
        if (!r) { return; } // a row without this metric: no bar, no whisker
        var px = x.getPixelForValue(i), lo = y.getPixelForValue(r[0]), hi = y.getPixelForValue(r[1]);
        ctx.beginPath();
        ctx.moveTo(px, lo); ctx.lineTo(px, hi);
        ctx.moveTo(px - 6, lo); ctx.lineTo(px + 6, lo);
        ctx.moveTo(px - 6, hi); ctx.lineTo(px + 6, hi);
        ctx.stroke();
      });
      ctx.restore();
    }
  };

  function comparisonSection(c, index) {
    var sec = el('section', {id: 'comparison-' + index}, document.getElementById('content'));
    var separate = c.order === 'separate';
    el('h2', {}, sec, 'comparison: ' + c.rows.length + ' configurations × ' + c.repeat + ' repeats' +
       (separate ? ' (runs made separately)' : ''));
    el('p', {'class': 'note'}, sec, c.dir + (separate
         ? ' — runs made separately and compared afterwards, not interleaved: the machine\'s drift between them is in the difference'
         : ' — fixed: ' + (c.baseArgs.join(' ') || '(defaults)')) +
       '. Bars: median; whiskers: min to max of the repeats. ↑ higher is better, ↓ lower is better; ' +
       'green: better, red: worse than the first row beyond the noise (' +
       String(c.noiseRule).replace(/^beyondNoise: /, '') + ').');
    (c.missing || []).forEach(function (m) { el('p', {'class': 'note missing'}, sec, m); });
    if (c.stopped) {
      // A comparison cut short (Ctrl-C or a failed run): its medians are of fewer runs than planned.
      el('p', {'class': 'note'}, sec, 'Stopped ' + (c.stopped.reason === 'failed' ? 'by a failed run' : 'by Ctrl-C or SIGTERM') +
         ' after ' + c.stopped.runsDone + ' of ' + c.stopped.runsPlanned + ' runs: medians of the runs that finished.' +
         (c.stopped.notCounted.length ? ' Not in the medians: ' + c.stopped.notCounted.join(', ') + '.' : '') +
         (c.stopped.failure ? ' ' + c.stopped.failure : ''));
    }
    var names = c.rows.map(function (r) { return r.name; });
    function arrow(m) { return m.better === 'higher' ? ' ↑' : ' ↓'; }
    var t = table(sec, ['configuration'].concat(c.metrics.map(function (m) { return m.heading + (m.latency ? ' µs' : '') + arrow(m); })),
      c.rows.map(function (r) {
        return [r.name].concat(c.metrics.map(function (m) {
          var v = r.metrics[m.key];
          // A row without it (no TLS phase in a tls=off row, a run by an older churn): a dash, as the terminal's table.
          if (!v) { return {text: '-', change: null}; }
          return {text: metricCell(m, v.median) + (c.repeat > 1 ? ' [' + metricCell(m, v.min) + '–' +
                  metricCell(m, v.max) + ']' : ''),
                  change: change(c, r, m)};
        }));
      }));
    t.setAttribute('class', 'comparison');
    var bars = el('div', {'class': 'bars'}, sec);
    c.metrics.forEach(function (m) {
      function stat(r, k) { return r.metrics[m.key] ? r.metrics[m.key][k] : null; }
      var med = c.rows.map(function (r) { return stat(r, 'median'); });
      new Chart(canvas(bars), {
        type: 'bar',
        data: {labels: names, datasets: [
          {type: 'bar', label: 'median', data: med, backgroundColor: c.rows.map(function (r) {
             var ch = change(c, r, m);
             return ch === 'better' ? BETTER : ch === 'worse' ? WORSE : PLAIN; })}]},
        options: {
          plugins: {title: {display: true, text: m.heading + (m.latency ? ' (µs)' : '') + arrow(m) +
                              (m.better === 'higher' ? ' higher is better' : ' lower is better')},
                    legend: {display: false},
                    churnWhiskers: {ranges: c.rows.map(function (r) {
                      return r.metrics[m.key] ? [stat(r, 'min'), stat(r, 'max')] : null; })}},
          scales: {x: {ticks: {autoSkip: false, maxRotation: 60, minRotation: 30}},
                   y: {beginAtZero: true, suggestedMax: Math.max.apply(null, c.rows.map(function (r) { return stat(r, 'max') || 0; }))}}
        },
        plugins: [whiskers]
      });
    });
    var curves = el('div', {'class': 'charts'}, sec);
    percentileChart(curves, 'cycle latency by percentile, per configuration (repeat 1)',
      c.rows.filter(function (r) { return r.cycle; }).map(function (r) { return {label: r.name, points: r.cycle}; }));
  }

  document.getElementById('generated').textContent = 'generated ' + data.generatedAt + ' by churn report; ' +
    'latencies in microseconds on a log scale; percentile axis is 1/(1-p) on a log scale, as HdrHistogram plots it.';
  data.comparisons.forEach(comparisonSection);
  data.runs.forEach(runSection);
  body.setAttribute('data-errors', String(window.churnErrors.length));
  body.setAttribute('data-page-width', String(document.documentElement.scrollWidth));
})();
