// Live behaviour of a form page: shows and hides fields by their visibleIf and shows calculated
// values as the user types, with the same expression engine the server uses (expressions.js).
// The server re-checks everything on save; this only spares the user surprises.
(function () {
  'use strict';
  const form = document.getElementById('form-runtime');
  const E = window.VerificationExpressions;
  if (!form || !E) { return; }
  const fields = JSON.parse(form.dataset.fields || '[]');
  const types = {};
  for (const f of fields) {
    types[f.key] = f.type;
    for (const c of f.fields || []) { types[f.key + '.' + c.key] = c.type; }
  }

  function typed(type, raw) {
    if (raw === '' || raw === undefined || raw === null) { return null; }
    if ((type === 'number' || type === 'money') && /^-?[0-9]+(\.[0-9]+)?$/.test(raw.trim())) { return Number(raw.trim()); }
    return raw;
  }

  // The other pages' saved values, so totals that span pages show while typing.
  const saved = JSON.parse(form.dataset.saved || '{}');
  // The tenant's working-day calendar, as the server uses it for workingDaysBetween.
  const calendar = JSON.parse(form.dataset.calendar || '{}');

  function collect() {
    const data = {};
    for (const element of form.elements) {
      if (!element.name || element.name === 'page' || element.name === 'submissionId' || element.type === 'submit') { continue; }
      const m = /^([A-Za-z][A-Za-z0-9_]*)\[([0-9]+)\]\.([A-Za-z][A-Za-z0-9_]*)$/.exec(element.name);
      const key = m ? m[1] + '.' + m[3] : element.name;
      const type = types[key];
      if (!type || element.type === 'file') { continue; }
      let value;
      if (element.type === 'checkbox' && type === 'boolean') { value = element.checked; }
      else if (element.type === 'checkbox') { if (!element.checked) { continue; } value = element.value; }
      else { value = typed(type, element.value); }
      let target = data, name = element.name;
      if (m) {
        data[m[1]] = data[m[1]] || [];
        data[m[1]][+m[2]] = data[m[1]][+m[2]] || {};
        target = data[m[1]][+m[2]];
        name = m[3];
      }
      if (type === 'multichoice') { (target[name] = target[name] || []).push(value); }
      else if (type === 'division') { if (value !== null) { target[name] = value; } }
      else { target[name] = value; }
    }
    const onPage = new Set(Array.from(form.querySelectorAll('[data-key]')).map(e => e.dataset.key.split(/[[.]/)[0]));
    for (const [key, value] of Object.entries(saved)) {
      // Stored files are not in the page's inputs; they count as present.
      if ((!onPage.has(key) || /^(file|photo|signature)$/.test(types[key])) && !(key in data)) { data[key] = value; }
    }
    return data;
  }

  function scopeOf(element, data) {
    const row = element.closest('tr[data-row]');
    const group = element.closest('fieldset.form-group');
    if (!row || !group) { return data; }
    return Object.assign({}, data, (data[group.dataset.key] || [])[+row.dataset.row] || {});
  }

  function refresh() {
    const data = collect();
    const today = form.dataset.today;
    for (const element of form.querySelectorAll('[data-visible-if]')) {
      const rule = element.dataset.visibleIf;
      if (!rule) { continue; }
      try { element.hidden = !E.isTruthy(E.evaluate(rule, scopeOf(element, data), { today: today, calendar: calendar })); } catch (e) { element.hidden = false; }
    }
    for (const element of form.querySelectorAll('[data-calculate]')) {
      const rule = element.dataset.calculate;
      const output = element.querySelector('output');
      if (!rule || !output) { continue; }
      try {
        const value = E.evaluate(rule, scopeOf(element, data), { today: today, calendar: calendar });
        output.textContent = value === null ? '' : String(E.canonical(value));
      } catch (e) { output.textContent = ''; }
    }
  }

  // Division picker: choosing a province fills the cities, a city the counties (the server accepts the same without script).
  for (const picker of form.querySelectorAll('.division-picker')) {
    const names = JSON.parse(picker.dataset.divisions || '{}');
    const parentOf = c => c.endsWith('0000') ? null : c.endsWith('00') ? c.slice(0, 2) + '0000' : c.slice(0, 4) + '00';
    const selects = Array.from(picker.querySelectorAll('select'));
    selects.forEach((select, level) => select.addEventListener('change', () => {
      for (let next = level + 1; next < selects.length; next++) {
        const parent = selects[next - 1].value;
        const target = selects[next];
        while (target.options.length > 1) { target.remove(1); }
        if (!parent) { continue; }
        for (const [code, name] of Object.entries(names)) {
          if (parentOf(code) === parent) { target.add(new Option(name, code)); }
        }
      }
    }));
  }

  // Signature pad: strokes on the canvas become a PNG posted with the page.
  for (const pad of form.querySelectorAll('.signature-pad')) {
    const canvas = pad.querySelector('canvas');
    const output = pad.querySelector('input[type=hidden]');
    const context = canvas.getContext('2d');
    context.lineWidth = 2.5; context.lineCap = 'round'; context.strokeStyle = '#111';
    let drawing = false;
    const at = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
    canvas.addEventListener('pointerdown', e => { drawing = true; context.beginPath(); context.moveTo(...at(e)); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', e => { if (drawing) { context.lineTo(...at(e)); context.stroke(); } });
    const finish = () => { if (drawing) { drawing = false; output.value = canvas.toDataURL('image/png'); } };
    canvas.addEventListener('pointerup', finish);
    canvas.addEventListener('pointerleave', finish);
    pad.querySelector('.signature-clear').addEventListener('click', () => { context.clearRect(0, 0, canvas.width, canvas.height); output.value = ''; });
  }

  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  refresh();
})();
