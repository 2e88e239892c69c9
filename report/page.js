/*
 * report/page.js — the glue between shodo's reports and the libraries that
 * draw them (DataTables for tables, Chart.js for charts; the lateral
 * movement graph is laid out by Graphviz when the report is written and
 * arrives as SVG).  Inlined into every report page at build time, with the
 * libraries from Debian's libjs-* packages; the page loads nothing.
 *
 * The data is one JSON block (#shodo-data) written by report/page.c:
 *   tables: {name: {cols: [...], spec: "stn...", rows: [[...]...], order}}
 *     spec letters: s text, n number, t time ("UTC\nlocal"), c code,
 *     m measured count (null = not measured), j JSON list of times,
 *     a link [text, href], L links [[text, href]...], h hidden text
 *   charts: spread, failed_hours, top_accounts, top_sources, timeline
 *   i18n: the words this script shows, already translated
 * Every value from evidence is written into the page as text (esc()),
 * never as markup.
 */
(function () {
	'use strict';
	var el = document.getElementById('shodo-data');
	if (!el) return;
	var D = JSON.parse(el.textContent);
	var T = D.i18n || {};
	function tr(k, d) { return T[k] || d; }
	function esc(s) {
		return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
			return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
		});
	}
	/* hrefs are built by report/page.c: relative, percent-encoded paths */
	function link(v) {
		if (!v || v.length < 2 || !v[1]) return esc(v && v[0]);
		return '<a href="' + esc(v[1]) + '">' + esc(v[0]) + '</a>';
	}
	function timeCell(v) {
		if (v == null || v === '') return '';
		var p = String(v).split('\n');
		return esc(p[0]) + (p[1] ? '<small>' + esc(p[1]) + '</small>' : '');
	}
	function renderer(k) {
		return function (v, type) {
			if (type === 'sort' || type === 'type') {
				if (k === 'm') return v == null ? -1 : v;
				if (k === 'a') return v ? v[0] : '';
				if (k === 'L') return v ? v.map(function (x) { return x[0]; }).join(' ') : '';
				return v == null ? '' : v;
			}
			if (type === 'filter') {
				if (k === 'a') return v ? v[0] : '';
				if (k === 'L') return v ? v.map(function (x) { return x[0]; }).join(' ') : '';
				if (k === 'm') return v == null ? tr('not_measured', 'not measured') : String(v);
				return v == null ? '' : String(v);
			}
			switch (k) {
			case 't': return timeCell(v);
			case 'm':
				if (v == null) return '<span class="nm">' + esc(tr('not_measured', 'not measured')) + '</span>';
				return v === 0 ? '<span class="none">' + esc(tr('none_found', 'none found')) + '</span>' : esc(v);
			case 'j':
				try {
					var a = typeof v === 'string' && v.charAt(0) === '[' ? JSON.parse(v) : v;
					if (Array.isArray(a)) return a.map(function (x) { return esc(String(x).replace('T', ' ')); }).join('<br>');
				} catch (e) { /* shown as it is */ }
				return esc(v);
			case 'a': return link(v);
			case 'L':
				if (!v) return '';
				var out = v.slice(0, 20).map(link).join(', ');
				return v.length > 20 ? out + ', … (+' + (v.length - 20) + ')' : out;
			default: return esc(v);
			}
		};
	}
	var dtLang = {
		search: tr('search', 'Search:'),
		lengthMenu: tr('length_menu', 'Show _MENU_ rows'),
		info: tr('info', 'Rows _START_ to _END_ of _TOTAL_'),
		infoEmpty: tr('info_empty', 'No rows'),
		infoFiltered: tr('info_filtered', '(filtered from _MAX_)'),
		zeroRecords: tr('zero_records', 'No matching rows'),
		emptyTable: tr('empty_table', 'none'),
		paginate: {first: '«', last: '»', next: '›', previous: '‹'}
	};
	var tables = {};
	Object.keys(D.tables || {}).forEach(function (name) {
		var t = D.tables[name], node = document.getElementById('t-' + name);
		if (!node) return;
		var cols = t.cols.map(function (c, i) {
			var k = t.spec.charAt(i);
			return {
				title: esc(c), render: renderer(k), visible: k !== 'h',
				className: k === 'n' || k === 'm' ? 'dt-right' : k === 'c' ? 'mono' : k === 't' ? 't' : '',
				type: k === 'n' || k === 'm' ? 'num' : 'string'
			};
		});
		tables[name] = jQuery(node).DataTable({
			data: t.rows, columns: cols, deferRender: true, autoWidth: false,
			pageLength: t.page || 25, lengthMenu: [10, 25, 100, 500], order: t.order || [],
			language: dtLang
		});
		/* a filter per column, in a row under the headers */
		var tr_ = document.createElement('tr');
		tr_.className = 'colfilter';
		cols.forEach(function (c, i) {
			if (!c.visible) return;
			var th = document.createElement('th'), inp = document.createElement('input');
			inp.type = 'search';
			inp.placeholder = tr('filter', 'filter');
			inp.setAttribute('data-col', i);
			inp.addEventListener('input', function () { tables[name].column(i).search(this.value).draw(); });
			inp.addEventListener('click', function (e) { e.stopPropagation(); });
			th.appendChild(inp);
			tr_.appendChild(th);
		});
		node.tHead.appendChild(tr_);
	});
	window.shodoTables = tables;

	/* ---- charts ---- */
	if (typeof Chart !== 'undefined') {
		Chart.defaults.animation = false;
		Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
	}
	function iso(ms) { return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z'; }
	function chart(id, cfg) {
		var c = document.getElementById(id);
		if (!c || typeof Chart === 'undefined') return null;
		var ch = new Chart(c, cfg);
		c.setAttribute('data-drawn', String((cfg.data.datasets[0] || {data: []}).data.length));
		return ch;
	}
	var C = D.charts || {};
	if (C.spread && C.spread.length) {
		var box = document.getElementById('spread-box');
		var t0 = Math.min.apply(null, C.spread.map(function (r) { return Date.parse(r[1]); }));
		var t1 = Math.max.apply(null, C.spread.map(function (r) { return Date.parse(r[2]); }));
		var pad = Math.max(60000, (t1 - t0) * 0.02);
		if (box) box.style.height = Math.max(160, 40 + C.spread.length * 9) + 'px';
		chart('c-spread', {
			type: 'bar',
			data: {
				labels: C.spread.map(function (r) { return r[0]; }),
				datasets: [{
					label: tr('enc_window', 'encryption window (first to last encrypted file, notes)'),
					data: C.spread.map(function (r) { return [Date.parse(r[1]), Math.max(Date.parse(r[2]), Date.parse(r[1]) + 30000)]; }),
					backgroundColor: C.spread.map(function (r, i) { return i === 0 ? '#8e1b10' : '#d9534f'; }),
					borderSkipped: false, barPercentage: 1.0, categoryPercentage: 0.9
				}]
			},
			options: {
				indexAxis: 'y', maintainAspectRatio: false,
				scales: {
					x: {type: 'linear', position: 'top', beginAtZero: false, min: t0 - pad, max: t1 + pad, ticks: {callback: function (v) { return iso(v).slice(5, 16); }, maxRotation: 0}},
					y: {ticks: {autoSkip: C.spread.length > 60, font: {size: 10}}}
				},
				plugins: {
					legend: {display: false},
					tooltip: {callbacks: {label: function (c) {
						var r = C.spread[c.dataIndex];
						return r[0] + ': ' + r[1].replace('T', ' ') + ' .. ' + r[2].replace('T', ' ');
					}}}
				},
				onClick: function (e, els) {
					if (els.length && tables.hosts) {
						tables.hosts.search(C.spread[els[0].index][0]).draw();
						location.hash = '#hosts';
					}
				}
			}
		});
	}
	if (C.failed_hours && C.failed_hours.length) {
		chart('c-failed', {
			type: 'bar',
			data: {
				labels: C.failed_hours.map(function (r) { return r[0].replace('T', ' ') + ':00Z'; }),
				datasets: [{label: tr('failed_per_hour', 'failed logons per hour (UTC)'), data: C.failed_hours.map(function (r) { return r[1]; }), backgroundColor: '#c0392b'}]
			},
			options: {maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {x: {ticks: {maxRotation: 60, autoSkip: true}}}}
		});
	}
	function topChart(id, rows, color) {
		if (!rows || !rows.length) return;
		chart(id, {
			type: 'bar',
			data: {labels: rows.map(function (r) { return r[0]; }), datasets: [{data: rows.map(function (r) { return r[1]; }), backgroundColor: color}]},
			options: {indexAxis: 'y', maintainAspectRatio: false, plugins: {legend: {display: false}}}
		});
	}
	topChart('c-top-accounts', C.top_accounts, '#7b4fa0');
	topChart('c-top-sources', C.top_sources, '#2c6fa8');
	if (C.timeline && C.timeline.length) {
		chart('c-timeline', {
			type: 'bar',
			data: {
				labels: C.timeline.map(function (r) { return r[0].replace('T', ' ') + ':00Z'; }),
				datasets: [{label: tr('events_per_hour', 'timeline entries per hour (UTC)'), data: C.timeline.map(function (r) { return r[1]; }), backgroundColor: '#2c6fa8'}]
			},
			options: {maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {x: {ticks: {maxRotation: 60, autoSkip: true}}}}
		});
	}

	/* ---- the graph's links and the timeline's window ---- */
	function fromHash() {
		var m = /^#(src|grp)=(\d+)$/.exec(location.hash);
		if (!m || !tables.hosts) return;
		var col = D.tables.hosts.cols.length - (m[1] === 'src' ? 2 : 1);
		var v = m[1] === 'src' ? (D.sources || [])[+m[2]] : 'g' + m[2];
		if (v == null) return;
		var re = m[1] === 'src' ? '(^| )' + v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '( |$)' : '^' + v + '$';
		tables.hosts.search('').column(col).search(re, true, false).draw();
		var h = document.getElementById('hosts');
		if (h) h.scrollIntoView();
	}
	window.addEventListener('hashchange', fromHash);
	fromHash();
	/* the timeline zoomed to a window: the incident window by default */
	var win = document.getElementById('tl-window');
	var from = document.getElementById('tl-from'), to = document.getElementById('tl-to');
	if (win && from && to && tables.timeline && D.window) {
		from.value = D.window[0].slice(0, 19).replace('T', ' ');
		to.value = D.window[1].slice(0, 19).replace('T', ' ');
		jQuery.fn.dataTable.ext.search.push(function (s, data, idx, raw) {
			if (s.nTable.id !== 't-timeline' || !win.checked) return true;
			var t = String(raw[0] || '').slice(0, 19).replace('T', ' ');
			return t >= from.value && t <= to.value;
		});
		[win, from, to].forEach(function (x) {
			x.addEventListener('change', function () { tables.timeline.draw(); });
			x.addEventListener('input', function () { tables.timeline.draw(); });
		});
		tables.timeline.draw();
	}
	window.shodoReadyMs = performance.now();   /* from navigation start: what bench/fleet.sh reports */
	document.body.setAttribute('data-ready', '1');
})();
