import { get, post, ApiError } from '../api.js';
import { h, clear, field, options, uid } from '../dom.js';
import { link } from '../nav.js';
import { describeConstraint } from '../constraints.js';

const STANDARD = [
  ['appName', 'App name'], ['userId', 'User id'], ['sessionId', 'Session id'],
  ['remoteAddress', 'Remote address'], ['currentTime', 'Current time (ISO 8601)'],
];

// Remembers the last context so switching pages and back keeps it.
let lastInput = null;

export async function renderPlayground({ main }) {
  const [{ environments }, { projects }] = await Promise.all([get('/api/admin/environments'), get('/api/admin/projects')]);
  const envNames = environments.filter((e) => e.enabled).map((e) => e.name);
  const previous = lastInput || { environment: envNames[0], projects: '*', context: { appName: 'playground' } };
  const environment = h('select', {}, options(envNames, previous.environment));
  const project = h('select', {}, options([['*', 'All projects'], ...projects.map((p) => [p.id, p.name])],
    Array.isArray(previous.projects) ? previous.projects[0] : '*'));
  const standard = STANDARD.map(([name, label]) => {
    const input = h('input', { type: 'text', value: previous.context[name] || '', autocomplete: 'off', name });
    return { name, input, node: field(label, input) };
  });
  const properties = h('div', {});
  const propertyRows = [];
  const addProperty = (name = '', value = '', focus = false) => {
    const nameInput = h('input', { type: 'text', value: name, autocomplete: 'off' });
    const valueInput = h('input', { type: 'text', value, autocomplete: 'off' });
    const row = { nameInput, valueInput };
    const node = h('div', { class: 'inline-form', style: 'margin-bottom: 8px' },
      field('Context field name', nameInput), field('Value', valueInput),
      h('div', { class: 'field' }, h('button', { type: 'button', class: 'small', onclick: () => {
        propertyRows.splice(propertyRows.indexOf(row), 1); node.remove();
      } }, 'Remove field')));
    propertyRows.push(row);
    properties.append(node);
    if (focus) nameInput.focus();
  };
  for (const [name, value] of Object.entries(previous.context.properties || {})) addProperty(name, value);
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const results = h('section', { 'aria-live': 'polite', 'aria-label': 'Results' });
  const form = h('form', { class: 'panel', novalidate: true },
    h('div', { class: 'row top-align' }, field('Environment', environment), field('Project', project)),
    h('h2', {}, 'Context'),
    h('div', { class: 'row top-align' }, standard.map((s) => s.node)),
    h('h3', {}, 'Other context fields'), properties,
    h('button', { type: 'button', class: 'small', onclick: () => addProperty('', '', true) }, 'Add context field'),
    h('div', { style: 'margin-top: 16px' }, h('button', { type: 'submit', class: 'primary' }, 'Try configuration')),
    alert);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const context = {};
    for (const s of standard) if (s.input.value.trim()) context[s.name] = s.input.value.trim();
    const props = {};
    for (const row of propertyRows) if (row.nameInput.value.trim()) props[row.nameInput.value.trim()] = row.valueInput.value;
    if (Object.keys(props).length) context.properties = props;
    const input = { environment: environment.value, projects: project.value === '*' ? '*' : [project.value], context };
    lastInput = input;
    alert.hidden = true;
    standard.forEach((s) => s.node.setError(''));
    try {
      const answer = await post('/api/admin/playground', input);
      renderResults(results, answer);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const other = [];
      for (const detail of error.details) {
        const name = (detail.path || '').match(/^\/body\/context\/(\w+)$/)?.[1];
        const target = standard.find((s) => s.name === name);
        if (target) target.node.setError(detail.message);
        else other.push(detail.message);
      }
      alert.textContent = other.join(' ');
      alert.hidden = !other.length;
      clear(results);
      form.querySelector('[aria-invalid="true"]')?.focus();
    }
  });
  clear(main, h('h1', {}, 'Playground'),
    h('p', { class: 'muted' }, 'Enter a context and an environment to see which flags would be on, and why.'),
    form, results);
}

function badge(result) {
  if (result === true) return h('span', { class: 'badge true' }, 'True');
  if (result === false) return h('span', { class: 'badge false' }, 'False');
  return h('span', { class: 'badge unknown' }, String(result ?? 'unknown'));
}

function renderResults(node, answer) {
  const features = answer.features || [];
  const env = answer.input?.environment;
  if (!features.length) {
    clear(node, h('h2', {}, 'Results'), h('p', { class: 'muted' }, 'No flags in this selection.'));
    return;
  }
  clear(node, h('h2', {}, `Results (${features.length} flag${features.length === 1 ? '' : 's'})`),
    h('table', { class: 'playground-results' },
      h('thead', {}, h('tr', {}, ['Flag', 'Project', 'Variant', 'Result'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, features.map((feature) => h('tr', { dataset: { flag: feature.name } },
        h('td', {}, link(`/projects/${encodeURIComponent(feature.projectId)}/features/${encodeURIComponent(feature.name)}`, feature.name),
          explanation(feature, env)),
        h('td', {}, feature.projectId),
        h('td', {}, feature.variant?.enabled ? feature.variant.name : h('span', { class: 'muted' }, feature.variant?.name || 'disabled')),
        h('td', { class: 'flag-result' }, badge(feature.isEnabled)))))));
}

function explanation(feature, env) {
  const why = [];
  if (feature.isEnabledInCurrentEnvironment === false) why.push(h('p', { class: 'hint' }, `The flag is switched off in ${env}.`));
  if (feature.hasUnsatisfiedDependency) why.push(h('p', { class: 'hint' }, 'A parent flag it depends on is not satisfied.'));
  const strategies = feature.strategies?.data || [];
  if (!strategies.length) why.push(h('p', { class: 'hint' }, `No strategies in ${env}.`));
  const id = uid('why');
  return h('details', { id }, h('summary', {}, `Why? ${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'}`),
    why,
    h('ol', { class: 'result-tree' }, strategies.map((s) => h('li', { class: 'strategy-result' },
      h('strong', {}, s.title || s.name), ' ', s.disabled ? h('span', { class: 'badge' }, 'disabled, skipped') : badge(s.result?.enabled),
      s.result?.evaluationStatus === 'incomplete' ? h('span', { class: 'hint' }, ' (could not be fully evaluated)') : null,
      s.parameters?.rollout !== undefined ? h('div', { class: 'hint' }, `Rollout ${s.parameters.rollout}% by ${s.parameters.stickiness || 'default'}`) : null,
      (s.constraints || []).length ? h('div', {}, 'Constraints:', h('ul', {}, s.constraints.map((c) => h('li', {}, badge(c.result), ' ', h('code', {}, describeConstraint(c)))))) : null,
      (s.segments || []).length ? h('div', {}, 'Segments:', h('ul', {}, s.segments.map((seg) => h('li', { class: 'segment-result' },
        badge(seg.result), ' ', h('strong', {}, seg.name),
        h('ul', {}, (seg.constraints || []).map((c) => h('li', {}, badge(c.result), ' ', h('code', {}, describeConstraint(c))))))))) : null))));
}
