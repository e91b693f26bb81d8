// The workflow designer: a graph editor on an SVG canvas. Activities are placed by dragging,
// connected by clicking an outcome and then the activity it leads to, and edited in the side
// panel (title and properties as JSON). The graph lives in the form's #wf-json textarea, which
// the server validates and saves; nothing here is trusted by the server.
(function () {
    'use strict';
    var svgNs = 'http://www.w3.org/2000/svg';
    var canvas = document.getElementById('wf-canvas');
    var jsonBox = document.getElementById('wf-json');
    var panel = document.getElementById('wf-panel');
    var paletteBox = document.getElementById('wf-palette');
    var palette = JSON.parse(document.getElementById('wf-palette-data').textContent);
    var byType = {};
    palette.forEach(function (p) { byType[p.type] = p; });
    var graph = read();
    var selected = null; // { kind: 'node', id } or { kind: 'edge', index }
    var pending = null; // { from, outcome } while connecting
    var W = 190;

    function read() {
        try {
            var g = JSON.parse(jsonBox.value);
            g.activities = g.activities || [];
            g.transitions = g.transitions || [];
            return g;
        } catch (e) {
            return { activities: [], transitions: [] };
        }
    }

    function write() { jsonBox.value = JSON.stringify(graph, null, 2); }

    function find(id) { return graph.activities.filter(function (a) { return a.id === id; })[0]; }

    function list(value) {
        if (Array.isArray(value)) { return value.map(String).filter(function (s) { return s.length > 0; }); }
        if (typeof value === 'string') { return value.split(/[,|，]/).map(function (s) { return s.trim(); }).filter(Boolean); }
        return [];
    }

    // The same outcomes the server computes (IWorkflowActivity.Outcomes).
    function outcomes(node) {
        var p = node.props || {};
        switch (node.type) {
            case 'Script': return list(p.outcomes).length ? list(p.outcomes) : ['Done'];
            case 'Fork': return list(p.branches);
            case 'HumanTask': return list(p.outcomes);
            case 'DecisionTable':
                if (p.hitPolicy === 'collect') { return ['Matched', 'NoMatch']; }
                var results = (p.rules || []).map(function (r) { return r.result; }).filter(Boolean);
                results.push(p['default'] || 'NoMatch');
                return results.filter(function (r, i) { return results.indexOf(r) === i; });
            default:
                var known = byType[node.type] ? byType[node.type].outcomes.slice() : ['Done'];
                if (byType[node.type] && byType[node.type].category === 'events' && node.type !== 'Timer') {
                    return p.timeout ? ['Done', 'TimedOut'] : ['Done'];
                }
                return known;
        }
    }

    function el(name, attrs, text) {
        var e = document.createElementNS(svgNs, name);
        Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
        if (text !== undefined) { e.textContent = text; }
        return e;
    }

    function height(node) { return 46 + 18 * Math.max(outcomes(node).length, 1); }

    function render() {
        while (canvas.firstChild) { canvas.removeChild(canvas.firstChild); }
        var defs = el('defs');
        var marker = el('marker', { id: 'wf-arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' });
        marker.appendChild(el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#52606d' }));
        defs.appendChild(marker);
        canvas.appendChild(defs);
        var maxY = 400, maxX = 0;
        graph.transitions.forEach(function (t, index) {
            var from = find(t.from), to = find(t.to);
            if (!from || !to) { return; }
            var port = Math.max(outcomes(from).indexOf(t.outcome), 0);
            var x1 = from.x + W, y1 = from.y + 46 + 18 * port - 5, x2 = to.x, y2 = to.y + 20;
            var mid = Math.max(40, Math.abs(x2 - x1) / 2);
            var isSel = selected && selected.kind === 'edge' && selected.index === index;
            var path = el('path', { d: 'M' + x1 + ',' + y1 + ' C' + (x1 + mid) + ',' + y1 + ' ' + (x2 - mid) + ',' + y2 + ' ' + x2 + ',' + y2, fill: 'none', stroke: isSel ? '#d64545' : '#52606d', 'stroke-width': isSel ? 3 : 2, 'marker-end': 'url(#wf-arrow)', 'class': 'wf-edge', 'data-from': t.from, 'data-outcome': t.outcome, 'data-to': t.to });
            path.addEventListener('click', function (ev) { ev.stopPropagation(); selected = { kind: 'edge', index: index }; pending = null; render(); showPanel(); });
            canvas.appendChild(path);
        });
        graph.activities.forEach(function (node) {
            var h = height(node);
            maxY = Math.max(maxY, node.y + h + 20);
            maxX = Math.max(maxX, node.x + W + 20);
            var g = el('g', { 'class': 'wf-node', 'data-id': node.id, transform: 'translate(' + node.x + ',' + node.y + ')' });
            var isSel = selected && selected.kind === 'node' && selected.id === node.id;
            var category = byType[node.type] ? byType[node.type].category : 'unknown';
            var fill = { events: '#e6f6ff', control: '#fffbea', 'case': '#e3f9e5', people: '#f0e7fe', integration: '#f5f7fa' }[category] || '#ffeef0';
            var rect = el('rect', { width: W, height: h, rx: 6, fill: fill, stroke: isSel ? '#d64545' : (pending ? '#2680c2' : '#7b8794'), 'stroke-width': isSel ? 3 : 1.5, 'class': 'wf-body' });
            g.appendChild(rect);
            g.appendChild(el('text', { x: 10, y: 18, 'font-weight': 'bold', 'font-size': 13, 'pointer-events': 'none' }, node.title || node.id));
            g.appendChild(el('text', { x: 10, y: 35, 'font-size': 11, fill: '#52606d', 'pointer-events': 'none' }, (byType[node.type] ? byType[node.type].name : node.type) + ' · ' + node.id));
            outcomes(node).forEach(function (o, i) {
                var port = el('text', { x: W - 8, y: 46 + 18 * i + 4, 'text-anchor': 'end', 'font-size': 12, fill: pending && pending.from === node.id && pending.outcome === o ? '#d64545' : '#2680c2', 'class': 'wf-port', 'data-outcome': o, style: 'cursor:pointer' }, o + ' ●');
                port.addEventListener('mousedown', function (ev) { ev.stopPropagation(); });
                port.addEventListener('click', function (ev) {
                    ev.stopPropagation();
                    pending = { from: node.id, outcome: o };
                    render();
                });
                g.appendChild(port);
            });
            g.addEventListener('mousedown', function (ev) { startDrag(ev, node); });
            g.addEventListener('click', function (ev) {
                ev.stopPropagation();
                if (pending && pending.from !== node.id) {
                    var exists = graph.transitions.some(function (t) { return t.from === pending.from && t.outcome === pending.outcome && t.to === node.id; });
                    if (!exists) { graph.transitions.push({ from: pending.from, outcome: pending.outcome, to: node.id }); }
                    pending = null;
                    write();
                }
                selected = { kind: 'node', id: node.id };
                render();
                showPanel();
            });
            canvas.appendChild(g);
        });
        canvas.setAttribute('height', String(maxY));
        // Wider graphs scroll sideways in the canvas's frame rather than being cut off.
        canvas.setAttribute('width', String(Math.max(maxX, canvas.parentNode.clientWidth - 2)));
    }

    var drag = null;
    function startDrag(ev, node) {
        var pt = point(ev);
        drag = { node: node, dx: pt.x - node.x, dy: pt.y - node.y, moved: false };
    }

    function point(ev) {
        var r = canvas.getBoundingClientRect();
        return { x: ev.clientX - r.left, y: ev.clientY - r.top };
    }

    canvas.addEventListener('mousemove', function (ev) {
        if (!drag) { return; }
        var pt = point(ev);
        drag.node.x = Math.max(0, Math.round(pt.x - drag.dx));
        drag.node.y = Math.max(0, Math.round(pt.y - drag.dy));
        drag.moved = true;
        render();
    });
    window.addEventListener('mouseup', function () {
        if (drag && drag.moved) { write(); }
        drag = null;
    });
    canvas.addEventListener('click', function () { selected = null; pending = null; render(); showPanel(); });

    function removeSelected() {
        if (!selected) { return; }
        if (selected.kind === 'node') {
            var id = selected.id;
            graph.activities = graph.activities.filter(function (a) { return a.id !== id; });
            graph.transitions = graph.transitions.filter(function (t) { return t.from !== id && t.to !== id; });
        } else {
            graph.transitions.splice(selected.index, 1);
        }
        selected = null;
        write();
        render();
        showPanel();
    }

    document.addEventListener('keydown', function (ev) {
        var tag = (ev.target && ev.target.tagName) || '';
        if ((ev.key === 'Delete' || ev.key === 'Backspace') && tag !== 'INPUT' && tag !== 'TEXTAREA') {
            ev.preventDefault();
            removeSelected();
        }
    });

    function label(text, input) {
        var l = document.createElement('label');
        l.textContent = text;
        l.appendChild(input);
        return l;
    }

    function showPanel() {
        panel.innerHTML = '';
        if (!selected) {
            var hint = document.createElement('p');
            hint.className = 'hint';
            hint.textContent = '选择一个活动以编辑其属性。';
            panel.appendChild(hint);
            return;
        }
        if (selected.kind === 'edge') {
            var t = graph.transitions[selected.index];
            var p = document.createElement('p');
            p.textContent = t.from + ' —' + t.outcome + '→ ' + t.to;
            panel.appendChild(p);
        } else {
            var node = find(selected.id);
            var heading = document.createElement('h2');
            heading.textContent = byType[node.type] ? byType[node.type].name : node.type;
            panel.appendChild(heading);
            var title = document.createElement('input');
            title.id = 'wf-prop-title';
            title.value = node.title || '';
            title.addEventListener('input', function () { node.title = title.value; write(); render(); });
            panel.appendChild(label('标题', title));
            var props = document.createElement('textarea');
            props.id = 'wf-prop-json';
            props.rows = 14;
            props.className = 'mono';
            props.value = JSON.stringify(node.props || {}, null, 2);
            var error = document.createElement('p');
            error.className = 'field-error';
            error.setAttribute('role', 'alert');
            props.addEventListener('input', function () {
                try {
                    var parsed = JSON.parse(props.value);
                    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) { throw new Error('须为 JSON 对象'); }
                    node.props = parsed;
                    error.textContent = '';
                    write();
                    render();
                } catch (e) {
                    error.textContent = '属性不是有效的 JSON：' + e.message;
                }
            });
            panel.appendChild(label('属性（JSON）', props));
            panel.appendChild(error);
            if (node.type === 'DecisionTable') {
                panel.appendChild(decisionGrid(node, function () {
                    props.value = JSON.stringify(node.props || {}, null, 2);
                    write();
                    render();
                }));
            }
        }
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.id = 'wf-remove';
        remove.className = 'secondary';
        remove.textContent = '删除';
        remove.addEventListener('click', removeSelected);
        panel.appendChild(remove);
    }

    // A decision table edited as a grid: one column per input (label and expression), one row per
    // rule (a test per input and the result), plus hit policy, default and output variable.
    function decisionGrid(node, changed) {
        var p = node.props;
        p.inputs = p.inputs || [];
        p.rules = p.rules || [];
        var box = document.createElement('div');
        box.id = 'wf-decision-grid';
        function input(value, onChange, attrs) {
            var i = document.createElement('input');
            i.value = value === undefined || value === null ? '' : String(value);
            Object.keys(attrs || {}).forEach(function (k) { i.setAttribute(k, attrs[k]); });
            i.addEventListener('change', function () { onChange(i.value); changed(); });
            return i;
        }
        function button(text, id, onClick) {
            var b = document.createElement('button');
            b.type = 'button';
            b.className = 'secondary';
            b.textContent = text;
            if (id) { b.id = id; }
            b.addEventListener('click', function () { onClick(); changed(); box.replaceWith(decisionGrid(node, changed)); });
            return b;
        }
        var policy = document.createElement('select');
        policy.id = 'wf-dt-policy';
        [['first', '首条命中（first）'], ['collect', '全部命中（collect）']].forEach(function (o) {
            var opt = document.createElement('option');
            opt.value = o[0];
            opt.textContent = o[1];
            opt.selected = (p.hitPolicy || 'first') === o[0];
            policy.appendChild(opt);
        });
        policy.addEventListener('change', function () { p.hitPolicy = policy.value; changed(); });
        box.appendChild(label('命中策略', policy));
        var table = document.createElement('table');
        table.className = 'decision-grid';
        var head = document.createElement('tr');
        p.inputs.forEach(function (col, c) {
            var th = document.createElement('th');
            th.appendChild(input(col.label, function (v) { col.label = v; }, { 'aria-label': '输入名称', 'class': 'dt-label' }));
            th.appendChild(input(col.expression, function (v) { col.expression = v; }, { 'aria-label': '输入表达式', 'class': 'dt-expression mono' }));
            th.appendChild(button('删列', null, function () { p.inputs.splice(c, 1); p.rules.forEach(function (r) { (r.when || []).splice(c, 1); }); }));
            head.appendChild(th);
        });
        var resultHead = document.createElement('th');
        resultHead.textContent = '结果';
        head.appendChild(resultHead);
        table.appendChild(head);
        p.rules.forEach(function (rule, r) {
            rule.when = rule.when || [];
            var tr = document.createElement('tr');
            p.inputs.forEach(function (col, c) {
                var td = document.createElement('td');
                td.appendChild(input(rule.when[c] === undefined ? '-' : rule.when[c], function (v) { rule.when[c] = v; }, { 'aria-label': '第' + (r + 1) + '条规则条件' + (c + 1), 'class': 'dt-cell' }));
                tr.appendChild(td);
            });
            var td = document.createElement('td');
            td.appendChild(input(rule.result, function (v) { rule.result = v; }, { 'aria-label': '第' + (r + 1) + '条规则结果', 'class': 'dt-result' }));
            td.appendChild(button('删行', null, function () { p.rules.splice(r, 1); }));
            tr.appendChild(td);
            table.appendChild(tr);
        });
        box.appendChild(table);
        box.appendChild(button('+ 输入列', 'wf-dt-add-input', function () { p.inputs.push({ label: '', expression: 'null' }); p.rules.forEach(function (r) { r.when = r.when || []; r.when.push('-'); }); }));
        box.appendChild(button('+ 规则', 'wf-dt-add-rule', function () { p.rules.push({ when: p.inputs.map(function () { return '-'; }), result: '' }); }));
        box.appendChild(label('未命中时的结果', input(p['default'], function (v) { p['default'] = v; }, { id: 'wf-dt-default' })));
        box.appendChild(label('结果写入变量', input(p.output, function (v) { p.output = v; }, { id: 'wf-dt-output' })));
        var hint = document.createElement('p');
        hint.className = 'hint';
        hint.textContent = '条件写法：- 任意；>= 100000；< 5；[1..5]；= aa；!= aa；aa,ab';
        box.appendChild(hint);
        return box;
    }

    function nextId(type) {
        var base = type.charAt(0).toLowerCase() + type.slice(1);
        for (var i = 1; ; i++) { if (!find(base + i)) { return base + i; } }
    }

    palette.forEach(function (p) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'secondary wf-add';
        b.setAttribute('data-type', p.type);
        b.textContent = '+ ' + p.name;
        b.addEventListener('click', function () {
            var n = graph.activities.length;
            var node = { id: nextId(p.type), type: p.type, title: p.name, props: JSON.parse(p.sample), x: 40 + (n % 3) * 240, y: 40 + Math.floor(n / 3) * 150 };
            graph.activities.push(node);
            selected = { kind: 'node', id: node.id };
            write();
            render();
            showPanel();
        });
        paletteBox.appendChild(b);
    });

    jsonBox.addEventListener('change', function () { graph = read(); selected = null; render(); showPanel(); });
    document.getElementById('designer-form').addEventListener('submit', write);
    render();
})();
