// The form designer: edits the draft's JSON in the browser (add, drag to reorder, move between
// pages, settings, a condition builder for simple visibleIf rules) and saves it to the server,
// which checks it (FormDefinitionChecker) and answers the problems, if any.
(function () {
  'use strict';
  const config = window.formDesigner;
  const source = document.getElementById('designer-json');
  if (!config || !source) { return; }
  const t = config.text;
  const doc = JSON.parse(source.value);
  const pagesElement = document.getElementById('designer-pages');
  const settings = document.getElementById('field-settings');
  const status = document.getElementById('designer-status');
  const problemsElement = document.getElementById('designer-problems');
  let selected = null; // { page, index, row }
  let dragged = null;

  function fieldAt(ref) {
    const top = doc.pages[ref.page].fields[ref.index];
    return ref.row === undefined ? top : top.fields[ref.row];
  }

  function listOf(ref) {
    return ref.row === undefined ? doc.pages[ref.page].fields : doc.pages[ref.page].fields[ref.index].fields;
  }

  function element(tag, attributes, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (k === 'text') { e.textContent = v; } else if (k.startsWith('on')) { e.addEventListener(k.slice(2), v); } else if (v !== undefined && v !== null && v !== false) { e.setAttribute(k, v === true ? '' : v); }
    }
    for (const c of children || []) { if (c) { e.appendChild(c); } }
    return e;
  }

  function card(ref) {
    const f = fieldAt(ref);
    const isSelected = selected && selected.page === ref.page && selected.index === ref.index && selected.row === ref.row;
    const id = 'card-' + ref.page + '-' + ref.index + (ref.row === undefined ? '' : '-' + ref.row);
    const children = [
      element('span', { class: 'card-label', text: (f.label || f.key) + (f.required ? ' *' : '') }),
      element('span', { class: 'mono', text: ' ' + f.key + ' · ' + f.type + (f.visibleIf ? ' · visibleIf' : '') }),
      element('span', { class: 'card-tools' }, [
        element('button', { type: 'button', class: 'link', 'aria-label': t.up, text: '↑', onclick: e => { e.stopPropagation(); move(ref, -1); } }),
        element('button', { type: 'button', class: 'link', 'aria-label': t.down, text: '↓', onclick: e => { e.stopPropagation(); move(ref, 1); } }),
        element('button', { type: 'button', class: 'link', 'aria-label': t.remove, text: '✕', onclick: e => { e.stopPropagation(); listOf(ref).splice(ref.row === undefined ? ref.index : ref.row, 1); selected = null; render(); } }),
      ]),
    ];
    if (f.type === 'group') {
      const rows = element('ol', { class: 'row-fields' });
      (f.fields || []).forEach((_, r) => rows.appendChild(card({ page: ref.page, index: ref.index, row: r })));
      children.push(rows);
    }
    const li = element('li', {
      id: id, class: 'field-card' + (isSelected ? ' selected' : ''), draggable: 'true', tabindex: '0', 'data-key': f.key,
      onclick: e => { e.stopPropagation(); selected = ref; render(); },
      onkeydown: e => { if (e.key === 'Enter') { selected = ref; render(); } },
      ondragstart: e => { e.stopPropagation(); dragged = ref; e.dataTransfer.setData('text/plain', id); },
      ondragover: e => { if (dragged && sameContainer(dragged, ref)) { e.preventDefault(); } },
      ondrop: e => { e.preventDefault(); e.stopPropagation(); if (dragged) { drop(dragged, ref); dragged = null; } },
    }, children);
    return li;
  }

  function sameContainer(a, b) {
    return (a.row === undefined) === (b.row === undefined) && (a.row === undefined || (a.page === b.page && a.index === b.index));
  }

  // Drops the dragged field before the target (between pages for top-level fields, within the group for row fields).
  function drop(from, to) {
    if (!sameContainer(from, to)) { return; }
    const source = listOf(from);
    const [field] = source.splice(from.row === undefined ? from.index : from.row, 1);
    const target = listOf(to);
    let position = to.row === undefined ? to.index : to.row;
    if (source === target && (from.row === undefined ? from.index : from.row) < position) { position--; }
    target.splice(position, 0, field);
    selected = null;
    render();
  }

  function move(ref, delta) {
    const list = listOf(ref);
    const i = ref.row === undefined ? ref.index : ref.row;
    const j = i + delta;
    if (j < 0 || j >= list.length) { return; }
    [list[i], list[j]] = [list[j], list[i]];
    selected = ref.row === undefined ? { page: ref.page, index: j } : { page: ref.page, index: ref.index, row: j };
    render();
  }

  function render() {
    pagesElement.replaceChildren();
    doc.pages.forEach((page, p) => {
      const list = element('ol', {
        class: 'field-list', 'data-page': p,
        ondragover: e => { if (dragged && dragged.row === undefined) { e.preventDefault(); } },
        ondrop: e => {
          e.preventDefault();
          if (dragged && dragged.row === undefined) {
            const [field] = doc.pages[dragged.page].fields.splice(dragged.index, 1);
            doc.pages[p].fields.push(field);
            dragged = null;
            selected = null;
            render();
          }
        },
      });
      page.fields.forEach((_, i) => list.appendChild(card({ page: p, index: i })));
      pagesElement.appendChild(element('div', { class: 'card designer-page' }, [
        element('label', { for: 'page-title-' + p, text: t.pageTitle + ' ' + (p + 1) }),
        element('input', { type: 'text', id: 'page-title-' + p, value: page.title, oninput: e => { page.title = e.target.value; } }),
        list,
      ]));
    });
    renderTargets();
    renderSettings();
  }

  function renderTargets() {
    const target = document.getElementById('new-target');
    target.replaceChildren();
    doc.pages.forEach((page, p) => {
      target.appendChild(element('option', { value: 'page:' + p, text: t.page + ' ' + (p + 1) + ' ' + page.title }));
      page.fields.forEach((f, i) => {
        if (f.type === 'group') { target.appendChild(element('option', { value: 'group:' + p + ':' + i, text: t.rowOf + ' ' + (f.label || f.key) })); }
      });
    });
  }

  function input(label, value, onChange, attributes) {
    const id = (attributes && attributes.id) || 'set-' + Math.random().toString(36).slice(2, 9);
    const multiline = attributes && attributes.multiline;
    const control = element(multiline ? 'textarea' : 'input', Object.assign({ id: id, oninput: e => onChange(e.target.value) }, multiline ? { rows: 3 } : { type: 'text' }));
    control.value = value === undefined || value === null ? '' : String(value);
    return [element('label', { for: id, text: label }), control];
  }

  function renderSettings() {
    settings.replaceChildren();
    if (!selected) { return; }
    const f = fieldAt(selected);
    const set = (key, value) => { if (value === '' || value === null || value === undefined) { delete f[key]; } else { f[key] = value; } };
    const number = v => (v === '' ? undefined : Number(v));
    const parts = [];
    parts.push(...input(t.label, f.label, v => { f.label = v; }, { id: 'set-label' }));
    parts.push(...input(t.key, f.key, v => { f.key = v; }, { id: 'set-key' }));
    parts.push(element('label', { class: 'check' }, [element('input', { type: 'checkbox', id: 'set-required', checked: !!f.required, onchange: e => set('required', e.target.checked || undefined) }), document.createTextNode(' ' + t.required)]));
    parts.push(...input(t.help, f.help, v => set('help', v)));
    if (f.type === 'choice' || f.type === 'multichoice') {
      const lines = (f.options || []).map(o => o.value + '=' + o.label).join('\n');
      parts.push(...input(t.options, lines, v => {
        const options = v.split('\n').map(l => l.trim()).filter(l => l).map(l => { const i = l.indexOf('='); return i < 0 ? { value: l, label: l } : { value: l.slice(0, i).trim(), label: l.slice(i + 1).trim() }; });
        set('options', options.length ? options : undefined);
      }, { multiline: true, id: 'set-options' }));
      parts.push(...input(t.optionSet, f.optionSet, v => set('optionSet', v)));
    }
    if (f.type === 'number' || f.type === 'money') {
      parts.push(...input(t.min, f.min, v => set('min', number(v))));
      parts.push(...input(t.max, f.max, v => set('max', number(v))));
    }
    if (f.type === 'lookup') { parts.push(...input(t.lookup, f.lookup, v => set('lookup', v), { id: 'set-lookup' })); }
    if (f.type === 'division') { parts.push(...input(t.divisionLevel, f.divisionLevel, v => set('divisionLevel', v))); }
    if (f.type === 'file' || f.type === 'photo' || f.type === 'signature') {
      parts.push(...input(t.maxSizeKb, f.maxSizeKb, v => set('maxSizeKb', number(v))));
      if (f.type === 'file') { parts.push(...input(t.accept, (f.accept || []).join(' '), v => set('accept', v.trim() ? v.trim().split(/[ ,]+/) : undefined))); }
      if (f.type === 'photo') {
        parts.push(...input(t.minWidth, f.minWidth, v => set('minWidth', number(v))));
        parts.push(...input(t.minHeight, f.minHeight, v => set('minHeight', number(v))));
      }
    }
    if (f.type === 'group') {
      parts.push(...input(t.minRows, f.minRows, v => set('minRows', number(v))));
      parts.push(...input(t.maxRows, f.maxRows, v => set('maxRows', number(v))));
    }
    if (f.type === 'calculated') { parts.push(...input(t.calculate, f.calculate, v => set('calculate', v), { id: 'set-calculate' })); }
    parts.push(...input(t.visibleIf, f.visibleIf, v => set('visibleIf', v), { id: 'set-visibleIf' }));
    parts.push(builder(f));
    parts.push(...input(t.requiredIf, f.requiredIf, v => set('requiredIf', v), { id: 'set-requiredIf' }));
    parts.push(element('button', { type: 'button', class: 'secondary', text: '✓', onclick: () => render() }));
    parts.forEach(p => settings.appendChild(p));
  }

  // Point and click for simple rules: field, comparison, value → "field == 'value'".
  function builder(f) {
    const candidates = doc.pages.flatMap(p => p.fields).filter(x => x !== f && ['text', 'choice', 'boolean', 'number', 'money', 'date'].indexOf(x.type) >= 0);
    const fieldSelect = element('select', { id: 'cond-field', 'aria-label': t.key }, candidates.map(c => element('option', { value: c.key, text: c.label || c.key })));
    const operator = element('select', { id: 'cond-op', 'aria-label': 'op' }, ['==', '!=', '>', '>=', '<', '<='].map(o => element('option', { value: o, text: o })));
    const value = element('input', { type: 'text', id: 'cond-value', 'aria-label': 'value' });
    const optionsOf = () => {
      const c = candidates.find(x => x.key === fieldSelect.value);
      return c && c.options ? c.options : null;
    };
    const use = element('button', {
      type: 'button', class: 'secondary', id: 'cond-use', text: t.use,
      onclick: () => {
        const c = candidates.find(x => x.key === fieldSelect.value);
        if (!c) { return; }
        let v = value.value.trim();
        const options = optionsOf();
        if (options) { const o = options.find(x => x.label === v || x.value === v); if (o) { v = o.value; } }
        const literal = c.type === 'boolean' ? (v === 'true' || v === '是' ? 'true' : 'false') : (c.type === 'number' || c.type === 'money') && /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? v : "'" + v.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
        f.visibleIf = c.key + ' ' + operator.value + ' ' + literal;
        render();
      },
    });
    return element('fieldset', { class: 'condition-builder' }, [element('legend', { text: t.builder }), fieldSelect, operator, value, use]);
  }

  document.getElementById('add-field').addEventListener('click', () => {
    const type = document.getElementById('new-type').value;
    const key = document.getElementById('new-key').value.trim();
    const label = document.getElementById('new-label').value.trim();
    if (!key) { return; }
    const field = { key: key, type: type, label: label };
    if (type === 'group') { field.fields = []; }
    if (type === 'calculated') { field.calculate = '0'; }
    const target = document.getElementById('new-target').value.split(':');
    if (target[0] === 'group') {
      const group = doc.pages[+target[1]].fields[+target[2]];
      group.fields.push(field);
      selected = { page: +target[1], index: +target[2], row: group.fields.length - 1 };
    } else {
      doc.pages[+target[1]].fields.push(field);
      selected = { page: +target[1], index: doc.pages[+target[1]].fields.length - 1 };
    }
    document.getElementById('new-key').value = '';
    document.getElementById('new-label').value = '';
    render();
  });

  document.getElementById('add-page').addEventListener('click', () => { doc.pages.push({ title: t.page + ' ' + (doc.pages.length + 1), fields: [] }); render(); });

  document.getElementById('designer-save').addEventListener('click', async () => {
    status.textContent = '…';
    problemsElement.hidden = true;
    const response = await fetch(config.saveUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', RequestVerificationToken: config.token },
      body: JSON.stringify(doc),
      credentials: 'same-origin',
    });
    if (response.ok) {
      status.textContent = t.saved;
      return;
    }
    const body = await response.json().catch(() => ({ problems: [{ path: '$', message: String(response.status) }] }));
    status.textContent = t.problems;
    problemsElement.replaceChildren(...(body.problems || []).map(p => element('li', { text: p.path + ': ' + p.message })));
    problemsElement.hidden = false;
  });

  render();
})();
