// The constraint builder shared by segments and strategies: one fieldset per constraint whose
// value input follows the operator (a list of values, a number, a date, a version, a regex).

import { h, clear, uid, options } from './dom.js';

export const OPERATOR_GROUPS = [
  ['Text', [
    ['IN', 'is one of (IN)'], ['NOT_IN', 'is not one of (NOT_IN)'],
    ['STR_STARTS_WITH', 'starts with'], ['STR_ENDS_WITH', 'ends with'], ['STR_CONTAINS', 'contains'],
    ['REGEX', 'matches regex'],
  ]],
  ['Number', [['NUM_EQ', '= (NUM_EQ)'], ['NUM_GT', '> (NUM_GT)'], ['NUM_GTE', '≥ (NUM_GTE)'],
    ['NUM_LT', '< (NUM_LT)'], ['NUM_LTE', '≤ (NUM_LTE)']]],
  ['Date', [['DATE_AFTER', 'is after'], ['DATE_BEFORE', 'is before']]],
  ['Version (SemVer)', [['SEMVER_EQ', 'version = (SEMVER_EQ)'], ['SEMVER_GT', 'version > (SEMVER_GT)'],
    ['SEMVER_GTE', 'version ≥ (SEMVER_GTE)'], ['SEMVER_LT', 'version < (SEMVER_LT)'],
    ['SEMVER_LTE', 'version ≤ (SEMVER_LTE)']]],
];

export const MULTI_VALUE = new Set(['IN', 'NOT_IN', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'STR_CONTAINS']);
const CASE_OPTIONAL = new Set(['STR_STARTS_WITH', 'STR_ENDS_WITH', 'STR_CONTAINS', 'REGEX']);
export const CONTEXT_FIELDS = ['appName', 'currentTime', 'environment', 'remoteAddress', 'sessionId', 'userId'];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

export function kindOf(operator) {
  if (MULTI_VALUE.has(operator)) return 'multi';
  if (operator.startsWith('NUM_')) return 'number';
  if (operator.startsWith('DATE_')) return 'date';
  if (operator.startsWith('SEMVER_')) return 'semver';
  return 'regex';
}

export function operatorLabel(operator) {
  for (const [, items] of OPERATOR_GROUPS) {
    const found = items.find(([value]) => value === operator);
    if (found) return found[1];
  }
  return operator;
}

// Splits a pasted or typed list: one value per line or comma, blanks dropped.
export function splitValues(text) {
  return text.split(/[\n\r,]+/).map((item) => item.trim()).filter(Boolean);
}

function toLocalInput(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 19);
}

export function describeConstraint(c) {
  const values = MULTI_VALUE.has(c.operator) ? (c.values || []) : [c.value ?? ''];
  const shown = values.length > 6 ? `${values.slice(0, 6).join(', ')} … (${values.length} values)` : values.join(', ');
  return `${c.contextName} ${c.inverted ? 'NOT ' : ''}${operatorLabel(c.operator)} ${shown}${c.caseInsensitive ? ' (case-insensitive)' : ''}`;
}

export function constraintsEditor({ constraints = [], legend = 'Constraints', fieldsDatalist } = {}) {
  const rows = [];
  const list = h('div', { class: 'constraint-list' });
  const generalError = h('div', { class: 'error', role: 'alert', hidden: true });
  const datalistId = fieldsDatalist || uid('context-fields');
  const known = new Set(CONTEXT_FIELDS);
  constraints.forEach((c) => known.add(c.contextName));
  const datalist = h('datalist', { id: datalistId }, [...known].sort().map((name) => h('option', { value: name })));
  const empty = h('p', { class: 'muted' }, 'No constraints: everyone matches.');
  const addButton = h('button', { type: 'button', onclick: () => { addRow({ contextName: '', operator: 'IN', values: [] }, true); } }, 'Add constraint');
  const node = h('section', { class: 'constraints', 'aria-label': legend },
    h('h3', {}, legend), datalist, empty, list, generalError, addButton);

  function renumber() {
    rows.forEach((row, index) => { row.legend.textContent = `Constraint ${index + 1}`; });
    empty.hidden = rows.length > 0;
  }

  function addRow(initial, focus = false) {
    const row = constraintRow(initial, datalistId, () => {
      rows.splice(rows.indexOf(row), 1);
      row.node.remove();
      renumber();
      addButton.focus();
    });
    rows.push(row);
    list.append(row.node);
    renumber();
    if (focus) row.focus();
  }

  constraints.forEach((c) => addRow(c));
  renumber();

  return {
    node,
    value: () => rows.map((row) => row.value()),
    setErrors(byIndex = {}, general = '') {
      rows.forEach((row, index) => row.setError(byIndex[index] || ''));
      generalError.textContent = general;
      generalError.hidden = !general;
    },
    row: (index) => rows[index],
    get length() { return rows.length; },
  };
}

function constraintRow(initial, datalistId, onRemove) {
  const state = {
    contextName: initial.contextName || '',
    operator: initial.operator || 'IN',
    values: [...(initial.values || [])],
    value: initial.value ?? '',
    caseInsensitive: Boolean(initial.caseInsensitive),
    inverted: Boolean(initial.inverted),
  };
  const ids = { context: uid('ctx'), operator: uid('op'), value: uid('val'), error: uid('err') };
  const legend = h('legend', {}, 'Constraint');
  const contextInput = h('input', { type: 'text', id: ids.context, list: datalistId, value: state.contextName,
    required: true, autocomplete: 'off', placeholder: 'e.g. userId' });
  contextInput.addEventListener('input', () => { state.contextName = contextInput.value.trim(); });
  const operatorSelect = h('select', { id: ids.operator },
    OPERATOR_GROUPS.map(([label, items]) => h('optgroup', { label }, options(items, state.operator))));
  const inverted = h('input', { type: 'checkbox', checked: state.inverted });
  inverted.addEventListener('change', () => { state.inverted = inverted.checked; });
  const caseInsensitive = h('input', { type: 'checkbox', checked: state.caseInsensitive });
  caseInsensitive.addEventListener('change', () => { state.caseInsensitive = caseInsensitive.checked; });
  const invertedLabel = h('label', { class: 'check' }, inverted, 'Negate (NOT)');
  const caseLabel = h('label', { class: 'check' }, caseInsensitive, 'Case-insensitive');
  const valueArea = h('div', { class: 'value-area' });
  const error = h('div', { class: 'error', id: ids.error, role: 'alert', hidden: true });
  const removeButton = h('button', { type: 'button', class: 'small danger', onclick: onRemove }, 'Remove constraint');
  const node = h('fieldset', { class: 'constraint' }, legend,
    h('div', { class: 'row top-align' },
      h('div', {}, h('label', { for: ids.context }, 'Context field'), contextInput),
      h('div', {}, h('label', { for: ids.operator }, 'Operator'), operatorSelect),
      h('div', { class: 'row', style: 'padding-top: 28px' }, invertedLabel, caseLabel),
      h('div', { class: 'spacer' }),
      h('div', { style: 'padding-top: 26px' }, removeButton)),
    valueArea, error);
  removeButton.setAttribute('aria-describedby', ids.context);

  function renderValue() {
    const kind = kindOf(state.operator);
    // Unleash forbids inverting a regex, and ignores case only for substring and regex matches.
    invertedLabel.hidden = state.operator === 'REGEX';
    if (state.operator === 'REGEX') { state.inverted = false; inverted.checked = false; }
    caseLabel.hidden = !CASE_OPTIONAL.has(state.operator);
    if (kind === 'multi') clear(valueArea, multiValueInput(state, ids.value));
    else clear(valueArea, singleValueInput(state, kind, ids.value));
  }

  operatorSelect.addEventListener('change', () => {
    const before = kindOf(state.operator);
    state.operator = operatorSelect.value;
    const after = kindOf(state.operator);
    if (before !== after) {
      // A list and a single value do not carry over between operator kinds.
      if (after === 'multi') state.values = state.value && before === 'regex' ? [state.value] : [];
      state.value = '';
    }
    renderValue();
  });
  renderValue();

  return {
    node,
    legend,
    focus: () => contextInput.focus(),
    value() {
      const out = { contextName: state.contextName, operator: state.operator };
      if (MULTI_VALUE.has(state.operator)) out.values = [...state.values];
      else out.value = state.value;
      out.caseInsensitive = CASE_OPTIONAL.has(state.operator) && state.caseInsensitive;
      out.inverted = state.operator !== 'REGEX' && state.inverted;
      return out;
    },
    setError(message) {
      error.textContent = message;
      error.hidden = !message;
      node.classList.toggle('invalid', Boolean(message));
      node.setAttribute('aria-describedby', message ? ids.error : '');
    },
  };
}

function multiValueInput(state, id) {
  const chips = h('ul', { class: 'chips', 'aria-label': 'Chosen values' });
  const count = h('span', { class: 'hint', 'aria-live': 'polite' });
  const input = h('input', { type: 'text', id, autocomplete: 'off', placeholder: 'value, or paste a list' });
  const hintId = `${id}-hint`;
  input.setAttribute('aria-describedby', hintId);

  function renderChips() {
    clear(chips, state.values.map((value) => h('li', { class: 'chip' }, h('span', { class: 'chip-value' }, value),
      h('button', { type: 'button', 'aria-label': `Remove value ${value}`, onclick: () => {
        state.values = state.values.filter((item) => item !== value);
        renderChips();
        input.focus();
      } }, '×'))));
    count.textContent = `${state.values.length} value${state.values.length === 1 ? '' : 's'}`;
    clearAll.hidden = state.values.length < 2;
  }

  function add(text) {
    const seen = new Set(state.values);
    for (const value of splitValues(text)) {
      if (!seen.has(value)) { state.values.push(value); seen.add(value); }
    }
    input.value = '';
    renderChips();
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); add(input.value); }
  });
  input.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text') || '';
    if (/[\n\r,]/.test(text)) { event.preventDefault(); add(input.value + text); }
  });
  const addButton = h('button', { type: 'button', class: 'small', onclick: () => add(input.value) }, 'Add values');
  const clearAll = h('button', { type: 'button', class: 'small', onclick: () => { state.values = []; renderChips(); input.focus(); } }, 'Remove all values');
  renderChips();
  return h('div', {},
    h('label', { for: id }, 'Values'),
    h('div', { class: 'row' }, input, addButton, clearAll, count),
    h('div', { class: 'hint', id: hintId }, 'Press Enter to add. Paste a long list separated by commas or new lines to add every value at once.'),
    chips);
}

function singleValueInput(state, kind, id) {
  let input;
  let hint;
  if (kind === 'number') {
    input = h('input', { type: 'number', step: 'any', id, value: state.value, inputmode: 'decimal' });
    hint = 'A number, e.g. 42 or 3.5.';
  } else if (kind === 'date') {
    input = h('input', { type: 'datetime-local', step: '1', id, value: toLocalInput(state.value) });
    hint = state.value ? `Sent as ${state.value} (UTC).` : 'Your local time; sent as UTC.';
  } else if (kind === 'semver') {
    input = h('input', { type: 'text', id, value: state.value, placeholder: '1.2.3', autocomplete: 'off',
      pattern: SEMVER.source, spellcheck: 'false' });
    hint = 'A full semantic version: MAJOR.MINOR.PATCH, optionally -prerelease (no leading "v").';
  } else {
    input = h('input', { type: 'text', id, value: state.value, placeholder: '^beta-.*$', autocomplete: 'off', spellcheck: 'false' });
    hint = 'RE2 syntax; matches anywhere in the value unless anchored with ^ and $.';
  }
  const hintNode = h('div', { class: 'hint', id: `${id}-hint` }, hint);
  input.setAttribute('aria-describedby', hintNode.id);
  input.addEventListener('input', () => {
    if (kind === 'date') {
      const date = new Date(input.value);
      state.value = input.value && !Number.isNaN(date.getTime()) ? date.toISOString() : '';
      hintNode.textContent = state.value ? `Sent as ${state.value} (UTC).` : 'Your local time; sent as UTC.';
    } else {
      state.value = input.value;
    }
  });
  const label = { number: 'Value (number)', date: 'Date and time', semver: 'Version', regex: 'Regular expression' }[kind];
  return h('div', {}, h('label', { for: id }, label), input, hintNode);
}
