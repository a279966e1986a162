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
    if (v === null || v === undefined || isNaN(v)) { return '–'; }
    return Number(v).toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? 1 : digits});
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
        for (var v = 1; v <= Math.max(axis.max, 10); v *= 10) {
          if (v >= axis.min && v <= axis.max * 1.0001) { ticks.push({value: v}); }
          if (v === 1 && 2 <= axis.max) { ticks.push({value: 2}); }
        }
        axis.ticks = ticks;
      },
      ticks: {callback: function (v) { return percentileLabel(v); }}
    };
  }

  function points(pairs) { return (pairs || []).map(function (p) { return {x: p[0], y: p[1]}; }); }

  function percentileChart(parent, title, series) {
    new Chart(canvas(parent), {
      type: 'line',
      data: {datasets: series.map(function (s, i) {
        return {label: s.label, data: points(s.points), borderColor: color(i), backgroundColor: color(i),
                pointRadius: 0, borderWidth: 1.5, tension: 0};
      })},
      options: {
        parsing: false,
        plugins: {title: {display: true, text: title},
                  tooltip: {callbacks: {label: function (c) {
                    return c.dataset.label + ': ' + fmt(c.parsed.y) + ' µs at ' + percentileLabel(c.parsed.x); }}}},
        scales: {x: percentileAxis(), y: {type: 'linear', beginAtZero: true, title: {display: true, text: 'µs'}}}
      }
    });
  }

  function timelineChart(parent, run) {
    var datasets = [{label: 'connections/s', data: points(run.rate), yAxisID: 'y', borderColor: color(0),
                     backgroundColor: color(0), pointRadius: 0, borderWidth: 1.5, stepped: 'before'}];
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
    new Chart(canvas(parent), {
      type: 'line',
      data: {datasets: datasets},
      options: {
        parsing: false,
        plugins: {title: {display: true, text: 'connection rate and TCP states over time'}},
        scales: {
          x: {type: 'linear', min: 0, title: {display: true, text: 'seconds since start'}},
          y: {type: 'linear', beginAtZero: true, position: 'left', title: {display: true, text: 'connections/s'}},
          y1: {type: 'linear', beginAtZero: true, position: 'right', grid: {drawOnChartArea: false},
               title: {display: true, text: 'sockets'}}
        }
      }
    });
  }

  function table(parent, headings, rows, leftColumns) {
    var t = el('table', {}, parent);
    var tr = el('tr', {}, t);
    headings.forEach(function (h, i) { el('th', {'class': i < (leftColumns || 1) ? 'l' : ''}, tr, h); });
    rows.forEach(function (r) {
      var row = el('tr', {}, t);
      r.forEach(function (v, i) {
        var td = el('td', {'class': i < (leftColumns || 1) ? 'l' : ''}, row);
        if (v && typeof v === 'object') { td.textContent = v.text; if (v.mark) { td.className += ' mark'; } }
        else { td.textContent = v; }
      });
    });
    return t;
  }

  function environmentRows(env) {
    var rows = [['kernel', env.kernelRelease], ['os', env.os], ['JDK', env.jdkVendor + ' ' + env.jdkVersion],
                ['CPUs', String(env.cpus)], ['host', env.hostname]];
    Object.keys(env.sysctls || {}).forEach(function (k) { rows.push([k, env.sysctls[k]]); });
    return rows;
  }

  function kernelRows(kernel) {
    return Object.keys(kernel || {}).filter(function (k) { return kernel[k] !== 0; })
      .map(function (k) { return [k, (kernel[k] > 0 ? '+' : '') + fmt(kernel[k], 0)]; });
  }

  function runSection(run, index) {
    var s = run.summary, sc = s.scenario || {}, load = sc.load || {};
    var sec = el('section', {id: 'run-' + index}, document.getElementById('content'));
    el('h2', {}, sec, run.label);
    el('p', {'class': 'note'}, sec, run.dir);
    el('p', {}, sec, fmt(s.connections.perSecond) + ' connections/s; ' + fmt(s.connections.completed, 0) +
       ' completed, ' + fmt(s.connections.failed, 0) + ' failed in ' + fmt(s.durationSeconds, 3) + ' s (' + s.endReason +
       '). transport ' + sc.transport + ', closer ' + sc.closer + ', linger ' + sc.linger + ', ' +
       (load.type === 'open' ? 'rate ' + load.rate + '/s' : 'concurrency ' + load.concurrency) +
       ', target ' + sc.target + (s.hosts ? '; merged from ' + s.hosts.length + ' hosts' : ''));
    var charts = el('div', {'class': 'charts'}, sec);
    percentileChart(charts, 'latency by percentile, per phase', Object.keys(run.percentiles).map(function (p) {
      return {label: p, points: run.percentiles[p]};
    }));
    timelineChart(charts, run);
    var tables = el('div', {'class': 'tables'}, sec);
    var phases = Object.keys(s.phases || {}).map(function (p) {
      var v = s.phases[p];
      return [p, fmt(v.count, 0), fmt(v.p50), fmt(v.p90), fmt(v.p99), fmt(v.p999), fmt(v.max)];
    });
    var left = el('div', {}, tables);
    el('h3', {}, left, 'latency (µs)');
    table(left, ['phase', 'count', 'p50', 'p90', 'p99', 'p99.9', 'max'], phases);
    if (s.states) {
      el('h3', {}, left, 'TCP states on the run\'s ports');
      table(left, ['state', 'peak', 'final'], ['TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT2', 'ESTABLISHED'].map(function (k) {
        return [k, fmt(s.states.peak[k], 0), fmt(s.states['final'][k], 0)];
      }));
    }
    var right = el('div', {}, tables);
    var hosts = s.hosts || [{host: null, kernel: s.kernel, environment: s.environment}];
    hosts.forEach(function (h) {
      el('h3', {}, right, 'kernel counter deltas' + (h.host ? ' (' + h.host + ')' : '') + ', whole namespace');
      table(right, ['counter', 'delta'], kernelRows(h.kernel));
      el('h3', {}, right, 'environment' + (h.host ? ' (' + h.host + ')' : ''));
      table(right, ['', ''], environmentRows(h.environment || {}));
    });
  }

  function comparisonSection(c, index) {
    var sec = el('section', {id: 'comparison-' + index}, document.getElementById('content'));
    el('h2', {}, sec, 'comparison: ' + c.rows.length + ' configurations × ' + c.repeat + ' repeats');
    el('p', {'class': 'note'}, sec, c.dir + ' — fixed: ' + (c.baseArgs.join(' ') || '(defaults)') +
       '. Bars: median; whiskers: min and max of the repeats. Red: ' + c.noiseRule + '.');
    var names = c.rows.map(function (r) { return r.name; });
    table(sec, ['configuration'].concat(c.metrics.map(function (m) { return m.heading + (m.latency ? ' µs' : ''); })),
      c.rows.map(function (r) {
        return [r.name].concat(c.metrics.map(function (m) {
          var v = r.metrics[m.key];
          return {text: fmt(v.median) + (c.repeat > 1 ? ' [' + fmt(v.min) + '–' + fmt(v.max) + ']' : ''), mark: v.beyondNoise};
        }));
      }));
    var bars = el('div', {'class': 'bars'}, sec);
    c.metrics.forEach(function (m) {
      var med = c.rows.map(function (r) { return r.metrics[m.key].median; });
      new Chart(canvas(bars), {
        type: 'bar',
        data: {labels: names, datasets: [
          {type: 'bar', label: 'median', data: med, backgroundColor: c.rows.map(function (r) {
             return r.metrics[m.key].beyondNoise ? '#d62728' : '#1f77b4'; })},
          {type: 'line', label: 'min', data: c.rows.map(function (r) { return r.metrics[m.key].min; }), showLine: false,
           pointStyle: 'line', pointRadius: 8, borderColor: '#333', borderWidth: 2},
          {type: 'line', label: 'max', data: c.rows.map(function (r) { return r.metrics[m.key].max; }), showLine: false,
           pointStyle: 'line', pointRadius: 8, borderColor: '#333', borderWidth: 2}]},
        options: {
          plugins: {title: {display: true, text: m.heading + (m.latency ? ' (µs)' : '')}, legend: {display: false}},
          scales: {x: {ticks: {autoSkip: false, maxRotation: 60, minRotation: 30}}, y: {beginAtZero: true}}
        }
      });
    });
    var curves = el('div', {'class': 'charts'}, sec);
    percentileChart(curves, 'cycle latency by percentile, per configuration (repeat 1)',
      c.rows.filter(function (r) { return r.cycle; }).map(function (r) { return {label: r.name, points: r.cycle}; }));
  }

  document.getElementById('generated').textContent = 'generated ' + data.generatedAt + ' by churn report; ' +
    'latencies in microseconds; percentile axis is 1/(1-p) on a log scale, as HdrHistogram plots it.';
  data.comparisons.forEach(comparisonSection);
  data.runs.forEach(runSection);
  body.setAttribute('data-errors', String(window.churnErrors.length));
})();
