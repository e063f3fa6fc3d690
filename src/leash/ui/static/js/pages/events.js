import { get } from '../api.js';
import { h, clear, field, formatDate } from '../dom.js';

const PAGE = 50;
const KNOWN_TYPES = ['segment-created', 'segment-updated', 'segment-deleted', 'feature-created',
  'feature-updated', 'feature-archived', 'feature-strategy-add', 'feature-strategy-update',
  'feature-strategy-remove', 'feature-environment-enabled', 'feature-environment-disabled',
  'api-token-created', 'api-token-updated', 'api-token-deleted', 'user-created', 'user-updated',
  'user-deleted'];
const FILTERS = [['type', 'Event type', 'e.g. segment-created'], ['project', 'Project', ''], ['feature', 'Flag', ''],
  ['createdBy', 'Changed by (user id)', '']];

export async function renderEvents({ main, query }) {
  const inputs = {};
  const text = h('input', { type: 'search', value: query.get('query') || '', placeholder: 'Search in events' });
  for (const [name, , placeholder] of FILTERS) {
    inputs[name] = h('input', { type: 'text', value: (query.get(name) || '').replace(/^IS(_ANY_OF)?:/, ''), placeholder, autocomplete: 'off' });
  }
  inputs.type.setAttribute('list', 'event-types');
  const types = h('datalist', { id: 'event-types' }, KNOWN_TYPES.map((type) => h('option', { value: type })));
  const from = h('input', { type: 'date', value: (query.get('from') || '').replace(/^IS:/, '') });
  const to = h('input', { type: 'date', value: (query.get('to') || '').replace(/^IS:/, '') });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const list = h('tbody');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button' }, 'Newer');
  const next = h('button', { type: 'button' }, 'Older');
  let offset = Number(query.get('offset') || 0);

  function params() {
    const p = new URLSearchParams();
    if (text.value.trim()) p.set('query', text.value.trim());
    for (const [name] of FILTERS) {
      const values = inputs[name].value.split(',').map((v) => v.trim()).filter(Boolean);
      if (values.length) p.set(name, `${values.length > 1 ? 'IS_ANY_OF' : 'IS'}:${values.join(',')}`);
    }
    if (from.value) p.set('from', `IS:${from.value}`);
    if (to.value) p.set('to', `IS:${to.value}`);
    return p;
  }

  async function load() {
    const p = params();
    p.set('offset', String(offset));
    p.set('limit', String(PAGE));
    const shown = new URLSearchParams(p);
    shown.delete('limit');
    if (offset === 0) shown.delete('offset');
    window.history.replaceState({}, '', `${window.location.pathname}${shown.toString() ? `?${shown}` : ''}`);
    alert.hidden = true;
    try {
      const { events, total } = await get(`/api/admin/search/events?${p}`);
      status.textContent = total ? `Events ${offset + 1}–${offset + events.length} of ${total}` : 'No events match.';
      prev.disabled = offset === 0;
      next.disabled = offset + events.length >= total;
      clear(list, events.map((event) => h('tr', {},
        h('td', {}, formatDate(event.createdAt)),
        h('td', {}, h('span', { class: 'badge' }, event.type)),
        h('td', {}, event.createdBy),
        h('td', {}, event.project || ''), h('td', {}, event.featureName || ''), h('td', {}, event.environment || ''),
        h('td', {}, h('details', {}, h('summary', {}, event.label || 'Details'),
          event.summary ? h('p', {}, event.summary.replaceAll('**', '')) : null,
          h('pre', {}, JSON.stringify({ data: event.data, preData: event.preData }, null, 2)))))));
    } catch (error) {
      alert.textContent = error.details ? error.details.map((d) => d.message).join(' ') : error.message;
      alert.hidden = false;
    }
  }

  const form = h('form', { class: 'panel inline-form', novalidate: true, role: 'search', 'aria-label': 'Filter events' },
    types, field('Search', text), FILTERS.map(([name, label]) => field(label, inputs[name])),
    field('From', from), field('To', to),
    h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Apply filters')),
    h('div', { class: 'field' }, h('button', { type: 'reset' }, 'Clear')));
  form.addEventListener('submit', (event) => { event.preventDefault(); offset = 0; load(); });
  form.addEventListener('reset', () => { setTimeout(() => { offset = 0; load(); }); });
  prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
  next.addEventListener('click', () => { offset += PAGE; load(); });

  clear(main, h('h1', {}, 'Event log'), form, alert, status,
    h('table', {}, h('thead', {}, h('tr', {}, ['When', 'Type', 'By', 'Project', 'Flag', 'Environment', 'Details']
      .map((t) => h('th', { scope: 'col' }, t)))), list),
    h('div', { class: 'row', style: 'margin-top: 12px' }, prev, next));
  await load();
}
