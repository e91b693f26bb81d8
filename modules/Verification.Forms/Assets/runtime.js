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
      if (!type) { continue; }
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
      if (type === 'multichoice') { (target[name] = target[name] || []).push(value); } else { target[name] = value; }
    }
    const onPage = new Set(Array.from(form.querySelectorAll('[data-key]')).map(e => e.dataset.key.split(/[[.]/)[0]));
    for (const [key, value] of Object.entries(saved)) {
      if (!onPage.has(key) && !(key in data)) { data[key] = value; }
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

  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  refresh();
})();
