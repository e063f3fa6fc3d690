import { get, post, put, del, enc, ApiError } from '../api.js';
import { h, clear, field, options, formatDate, modal, toast, uid } from '../dom.js';
import { link, navigate } from '../nav.js';
import { constraintsEditor, describeConstraint } from '../constraints.js';
import { explain } from '../errors.js';

const FLAG_TYPES = ['release', 'experiment', 'operational', 'kill-switch', 'permission'];
const STRATEGY_TYPES = [['flexibleRollout', 'Gradual rollout'], ['default', 'Standard (on for everyone)']];
const STICKINESS = [['default', 'default'], ['userId', 'userId'], ['sessionId', 'sessionId'], ['random', 'random']];
const PAYLOAD_TYPES = [['', 'No payload'], ['string', 'string'], ['json', 'json'], ['csv', 'csv'], ['number', 'number']];

export async function renderProjects({ main, navigate }) {
  const { projects } = await get('/api/admin/projects');
  if (projects.length === 1) {
    navigate(`/projects/${enc(projects[0].id)}`, { replace: true });
    return;
  }
  clear(main, h('h1', {}, 'Projects'),
    h('table', {}, h('thead', {}, h('tr', {}, ['Project', 'Flags', 'Description'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, projects.map((p) => h('tr', {},
        h('td', {}, link(`/projects/${enc(p.id)}`, p.name)),
        h('td', { class: 'num' }, `${p.featureCount}`),
        h('td', {}, p.description || ''))))));
}

export async function renderFlags({ main, params }) {
  const [projectId] = params;
  const [{ projects }, { environments }, { features }] = await Promise.all([
    get('/api/admin/projects'), get('/api/admin/environments'),
    get(`/api/admin/projects/${enc(projectId)}/features`),
  ]);
  const project = projects.find((p) => p.id === projectId) || { id: projectId, name: projectId };
  const envs = environments.filter((e) => e.enabled).map((e) => e.name);
  const search = h('input', { type: 'search', placeholder: 'Flag name' });
  const body = h('tbody');

  function renderRows() {
    const needle = search.value.trim().toLowerCase();
    const shown = features.filter((f) => !needle || f.name.toLowerCase().includes(needle));
    clear(body, shown.length ? shown.map((flag) => h('tr', {},
      h('td', {}, link(`/projects/${enc(projectId)}/features/${enc(flag.name)}`, flag.name),
        flag.description ? h('div', { class: 'hint' }, flag.description) : null),
      h('td', {}, flag.type),
      envs.map((env) => h('td', {}, envSwitch(projectId, flag, env))),
      h('td', {}, formatDate(flag.createdAt)))) : h('tr', {}, h('td', { colspan: envs.length + 3, class: 'muted' }, 'No flags yet.')));
  }
  search.addEventListener('input', renderRows);
  renderRows();

  const sectionProjects = projects.length > 1
    ? h('p', {}, link('/projects', '← All projects')) : null;
  clear(main, sectionProjects,
    h('h1', {}, `Flags in ${project.name}`),
    createFlagForm(projectId),
    h('div', { class: 'row' }, field('Search flags', search)),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'),
        envs.map((env) => h('th', { scope: 'col' }, env)), h('th', { scope: 'col' }, 'Created'))),
      body));
}

function envSwitch(projectId, flag, env) {
  const state = (flag.environments || []).find((e) => e.name === env);
  const input = h('input', { type: 'checkbox', role: 'switch', checked: Boolean(state?.enabled),
    'aria-label': `${flag.name} in ${env}` });
  input.addEventListener('change', async () => {
    const on = input.checked;
    input.disabled = true;
    try {
      await post(`/api/admin/projects/${enc(projectId)}/features/${enc(flag.name)}/environments/${enc(env)}/${on ? 'on' : 'off'}`);
      toast(`${flag.name} is ${on ? 'on' : 'off'} in ${env}`);
    } catch (error) {
      input.checked = !on;
      toast(`Could not switch ${flag.name}: ${error.message}`);
    } finally {
      input.disabled = false;
      input.focus();
      input.dispatchEvent(new Event('settled'));
    }
  });
  return input;
}

function createFlagForm(projectId) {
  const name = h('input', { type: 'text', autocomplete: 'off', required: true });
  const type = h('select', {}, options(FLAG_TYPES, 'release'));
  const description = h('input', { type: 'text', autocomplete: 'off' });
  const nameField = field('Flag name', name);
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'inline-form', novalidate: true }, nameField, field('Type', type),
    field('Description', description), h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Create flag')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    nameField.setError('');
    alert.hidden = true;
    try {
      await post(`/api/admin/projects/${enc(projectId)}/features`, { name: name.value, type: type.value, description: description.value });
      navigate(`/projects/${enc(projectId)}/features/${enc(name.value)}`);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed = await explain(error, { fieldNames: ['name'] });
      if (error.status === 409) placed.fields.name = error.message;
      nameField.setError(placed.fields.name || placed.general.join(' '));
      name.focus();
    }
  });
  return h('details', { class: 'panel' }, h('summary', {}, 'New flag'), alert, form);
}

export async function renderFlag({ main, params }) {
  const [projectId, flagName] = params;
  const base = `/api/admin/projects/${enc(projectId)}/features/${enc(flagName)}`;
  const [flag, { segments }] = await Promise.all([get(base), get('/api/admin/segments')]);
  const byId = new Map(segments.map((s) => [s.id, s]));
  const usable = segments.filter((s) => !s.project || s.project === projectId);
  const reload = () => navigate(`/projects/${enc(projectId)}/features/${enc(flagName)}`, { replace: true });

  const envSections = flag.environments.map((env) => {
    const list = h('div', { class: 'strategies' });
    const toggle = envSwitch(projectId, { name: flag.name, environments: [env] }, env.name);
    const addButton = h('button', { type: 'button', class: 'primary small' }, 'Add strategy');
    const section = h('section', { class: 'panel env', 'aria-labelledby': `env-${env.name}` },
      h('div', { class: 'row' }, h('h2', { id: `env-${env.name}`, style: 'margin:0' }, env.name),
        h('label', { class: 'check' }, toggle, env.enabled ? 'Enabled' : 'Disabled'),
        h('div', { class: 'spacer' }), addButton),
      list);
    // After the API answered: a refused switch flips back and its label must follow.
    toggle.addEventListener('settled', () => { toggle.parentElement.lastChild.textContent = toggle.checked ? 'Enabled' : 'Disabled'; });
    const showList = () => {
      clear(list, env.strategies.length ? env.strategies.map((strategy) => strategyCard(strategy)) :
        h('p', { class: 'muted' }, 'No strategies: the flag is off in this environment even when enabled.'));
    };
    const strategyCard = (strategy) => {
      const rollout = strategy.parameters?.rollout;
      const card = h('article', { class: `strategy${strategy.disabled ? ' disabled' : ''}`, 'aria-label': `Strategy ${strategy.title || strategy.name}` },
        h('div', { class: 'row' },
          h('h3', { style: 'margin:0' }, strategy.title || strategyLabel(strategy.name)),
          strategy.disabled ? h('span', { class: 'badge off' }, 'disabled') : null,
          rollout !== undefined ? h('span', { class: 'badge' }, `${rollout}% of ${strategy.parameters.stickiness || 'default'}`) : null,
          h('div', { class: 'spacer' }),
          h('button', { type: 'button', class: 'small', onclick: () => edit(strategy, card) }, 'Edit'),
          h('button', { type: 'button', class: 'small danger', onclick: () => remove(strategy) }, 'Delete')),
        summary(strategy, byId));
      return card;
    };
    const edit = (strategy, replacing) => {
      // One new-strategy form at a time per environment.
      if (!strategy) addButton.disabled = true;
      const form = strategyForm({ flag, projectId, env: env.name, strategy, usable, byId,
        onSaved: reload,
        onCancel: () => {
          if (!strategy) addButton.disabled = false;
          if (replacing) form.node.replaceWith(replacing);
          else form.node.remove();
          (replacing ? replacing.querySelector('button') : addButton).focus();
        } });
      if (replacing) replacing.replaceWith(form.node);
      else list.prepend(form.node);
      form.focus();
    };
    const remove = (strategy) => {
      const yes = h('button', { type: 'button', class: 'danger primary', onclick: async () => {
        try {
          await del(`${base}/environments/${enc(env.name)}/strategies/${enc(strategy.id)}`);
          dialog.close();
          reload();
        } catch (error) { toast(error.message); }
      } }, 'Delete strategy');
      const no = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
      const dialog = modal('Delete strategy', h('p', {}, `Delete the strategy "${strategy.title || strategy.name}" in ${env.name}?`), [yes, no]);
      no.focus();
    };
    addButton.addEventListener('click', () => edit(null, null));
    showList();
    return section;
  });

  clear(main, h('p', {}, link(`/projects/${enc(projectId)}`, `← Flags in ${projectId}`)),
    h('h1', {}, flag.name),
    h('p', { class: 'muted' }, `${flag.type} flag in project ${flag.project}. ${flag.description || ''}`),
    envSections);
}

function strategyLabel(name) {
  const found = STRATEGY_TYPES.find(([value]) => value === name);
  return found ? found[1] : name;
}

function summary(strategy, byId) {
  const parts = [];
  if (strategy.constraints?.length) {
    parts.push(h('div', {}, h('strong', {}, 'Constraints'),
      h('ul', { class: 'result-tree', 'aria-label': 'Constraints' }, strategy.constraints.map((c) => h('li', {}, h('code', {}, describeConstraint(c)))))));
  }
  if (strategy.segments?.length) {
    parts.push(h('div', {}, h('strong', {}, 'Segments'),
      h('ul', { class: 'result-tree', 'aria-label': 'Segments' }, strategy.segments.map((id) => h('li', {}, byId.get(id)?.name || `#${id}`)))));
  }
  if (strategy.variants?.length) {
    parts.push(h('div', {}, h('strong', {}, 'Variants'),
      h('ul', { class: 'result-tree', 'aria-label': 'Variants' }, strategy.variants.map((v) => h('li', {},
        `${v.name} — ${(v.weight / 10).toFixed(1)}%${v.payload ? `, ${v.payload.type} payload` : ''}`)))));
  }
  return parts.length ? h('div', { class: 'summary' }, parts) : h('p', { class: 'muted' }, 'Everyone in the rollout gets the flag.');
}

function strategyForm({ flag, projectId, env, strategy, usable, byId, onSaved, onCancel }) {
  const params = { ...(strategy?.parameters || {}) };
  const typeOptions = [...STRATEGY_TYPES];
  if (strategy && !typeOptions.some(([v]) => v === strategy.name)) typeOptions.push([strategy.name, strategy.name]);
  const type = h('select', {}, options(typeOptions, strategy?.name || 'flexibleRollout'));
  const title = h('input', { type: 'text', value: strategy?.title || '', autocomplete: 'off' });
  const rolloutValue = params.rollout ?? '100';
  const rolloutRange = h('input', { type: 'range', min: 0, max: 100, step: 1, value: rolloutValue, 'aria-label': 'Rollout percentage slider' });
  const rollout = h('input', { type: 'number', min: 0, max: 100, step: 1, value: rolloutValue, style: 'width: 90px' });
  rolloutRange.addEventListener('input', () => { rollout.value = rolloutRange.value; });
  rollout.addEventListener('input', () => { rolloutRange.value = rollout.value; });
  const stickiness = h('select', {}, options(STICKINESS, params.stickiness || 'default'));
  const groupId = h('input', { type: 'text', value: params.groupId ?? flag.name, autocomplete: 'off' });
  const rolloutId = uid('rollout');
  rollout.id = rolloutId;
  const rolloutField = h('div', { class: 'field' }, h('label', { for: rolloutId }, 'Rollout (%)'),
    h('div', { class: 'row' }, rolloutRange, rollout));
  const stickinessField = field('Stickiness', stickiness);
  const groupField = field('Group id', groupId, { hint: 'Flags with the same group id roll out to the same users.' });
  const rolloutBox = h('div', { class: 'row top-align' }, rolloutField, stickinessField, groupField);
  const syncType = () => { rolloutBox.hidden = type.value !== 'flexibleRollout'; };
  type.addEventListener('change', syncType);
  syncType();
  const disabled = h('input', { type: 'checkbox', checked: Boolean(strategy?.disabled) });
  const editor = constraintsEditor({ constraints: strategy?.constraints || [] });
  const picker = segmentPicker({ selected: strategy?.segments || [], usable, byId });
  const variants = variantsEditor(strategy?.variants || []);
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true, tabindex: '-1' });
  const titleField = field('Title (optional)', title);
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Save strategy');
  const cancel = h('button', { type: 'button', onclick: onCancel }, 'Cancel');
  const heading = h('h3', { tabindex: '-1' }, strategy ? `Edit strategy in ${env}` : `New strategy in ${env}`);
  const form = h('form', { class: 'strategy', novalidate: true, 'aria-label': heading.textContent },
    heading, alert,
    h('div', { class: 'row top-align' }, field('Strategy type', type), titleField),
    rolloutBox, editor.node, picker.node, variants.node,
    h('label', { class: 'check', style: 'margin: 10px 0' }, disabled, 'Disabled (the strategy is kept but not evaluated)'),
    h('div', { class: 'row' }, submit, cancel));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const parameters = { ...params };
    if (type.value === 'flexibleRollout') {
      Object.assign(parameters, { rollout: String(rollout.value), stickiness: stickiness.value, groupId: groupId.value });
    }
    const body = {
      name: type.value,
      title: title.value || null,
      disabled: disabled.checked,
      constraints: editor.value(),
      parameters: type.value === 'default' ? {} : parameters,
      segments: picker.value(),
      variants: variants.value(),
    };
    editor.setErrors();
    variants.setError('');
    picker.setError('');
    alert.hidden = true;
    submit.disabled = true;
    const path = `/api/admin/projects/${enc(projectId)}/features/${enc(flag.name)}/environments/${enc(env)}/strategies`;
    try {
      if (strategy) await put(`${path}/${enc(strategy.id)}`, body);
      else await post(path, body);
      toast('Strategy saved');
      onSaved();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed = await explain(error, { fieldNames: ['title', 'name'], constraints: body.constraints });
      editor.setErrors(placed.constraints);
      const rest = [...placed.general, ...Object.values(placed.fields)];
      const segmentMessages = rest.filter((m) => /segment/i.test(m));
      const variantMessages = rest.filter((m) => /variant|traffic|\[\d+\]/i.test(m) && !/segment/i.test(m));
      picker.setError(segmentMessages.join(' '));
      variants.setError(variantMessages.join(' '));
      const other = rest.filter((m) => !segmentMessages.includes(m) && !variantMessages.includes(m));
      if (other.length) { alert.textContent = other.join(' '); alert.hidden = false; alert.focus(); }
    } finally {
      submit.disabled = false;
    }
  });
  return { node: form, focus: () => heading.focus() };
}

function segmentPicker({ selected, usable, byId }) {
  let chosen = [...selected];
  const select = h('select', {});
  const addButton = h('button', { type: 'button', class: 'small' }, 'Add segment');
  const list = h('ul', { class: 'result-tree', 'aria-label': 'Selected segments' });
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const selectId = uid('segment');
  select.id = selectId;

  function render() {
    const available = usable.filter((s) => !chosen.includes(s.id));
    clear(select, available.length ? available.map((s) => h('option', { value: String(s.id) },
      `${s.name}${s.project ? ` (project ${s.project})` : ''}`)) : h('option', { value: '' }, usable.length ? 'All segments added' : 'No segments yet'));
    select.disabled = !available.length;
    addButton.disabled = !available.length;
    clear(list, chosen.length ? chosen.map((id) => {
      const segment = byId.get(id);
      const name = segment?.name || `#${id}`;
      return h('li', {}, h('strong', {}, name), ' ',
        h('button', { type: 'button', class: 'small', 'aria-label': `Remove segment ${name}`, onclick: () => {
          chosen = chosen.filter((item) => item !== id);
          render();
          select.focus();
        } }, 'Remove'),
        segment?.constraints?.length ? h('ul', {}, segment.constraints.map((c) => h('li', { class: 'hint' }, describeConstraint(c)))) : null);
    }) : h('li', { class: 'muted' }, 'No segments.'));
  }
  addButton.addEventListener('click', () => {
    const id = Number(select.value);
    if (select.value && !chosen.includes(id)) chosen.push(id);
    render();
    select.focus();
  });
  render();
  const node = h('section', { 'aria-label': 'Segments' }, h('h3', {}, 'Segments'),
    h('p', { class: 'hint' }, 'Every constraint of every selected segment must match, as well as the constraints above.'),
    h('div', { class: 'row' }, h('label', { for: selectId, style: 'margin:0' }, 'Segment'), select, addButton),
    list, error);
  return {
    node,
    value: () => [...chosen],
    setError(message) { error.textContent = message; error.hidden = !message; },
  };
}

function variantsEditor(initial) {
  const rows = [];
  const list = h('div', {});
  const error = h('div', { class: 'error', role: 'alert', hidden: true });
  const addButton = h('button', { type: 'button', class: 'small', onclick: () => addRow({ name: '', weightType: 'variable', weight: 0, stickiness: 'default' }, true) }, 'Add variant');

  function addRow(variant, focus = false) {
    const name = h('input', { type: 'text', value: variant.name, autocomplete: 'off' });
    const weightType = h('select', {}, options([['variable', 'Share the rest'], ['fix', 'Fixed %']], variant.weightType || 'variable'));
    const weight = h('input', { type: 'number', min: 0, max: 100, step: 0.1, value: ((variant.weight || 0) / 10).toString(), style: 'width: 90px' });
    const payloadType = h('select', {}, options(PAYLOAD_TYPES, variant.payload?.type || ''));
    const payloadValue = h('input', { type: 'text', value: variant.payload?.value || '', autocomplete: 'off' });
    const weightField = field('Weight (%)', weight);
    const sync = () => { weightField.hidden = weightType.value !== 'fix'; payloadField.hidden = !payloadType.value; };
    const payloadField = field('Payload', payloadValue);
    weightType.addEventListener('change', sync);
    payloadType.addEventListener('change', sync);
    const legend = h('legend', {}, 'Variant');
    const node = h('fieldset', {}, legend, h('div', { class: 'row top-align' },
      field('Variant name', name), field('Weight', weightType), weightField, field('Payload type', payloadType), payloadField,
      h('div', { style: 'padding-top: 26px' }, h('button', { type: 'button', class: 'small danger', onclick: () => {
        rows.splice(rows.indexOf(row), 1); node.remove(); renumber(); addButton.focus();
      } }, 'Remove variant'))));
    const row = {
      legend,
      node,
      value() {
        const out = { name: name.value, weightType: weightType.value, stickiness: variant.stickiness || 'default',
          weight: weightType.value === 'fix' ? Math.round(Number(weight.value) * 10) : 0 };
        if (payloadType.value) out.payload = { type: payloadType.value, value: payloadValue.value };
        return out;
      },
    };
    sync();
    rows.push(row);
    list.append(node);
    renumber();
    if (focus) name.focus();
  }
  function renumber() { rows.forEach((row, i) => { row.legend.textContent = `Variant ${i + 1}`; }); }
  initial.forEach((v) => addRow(v));
  return {
    node: h('section', { 'aria-label': 'Variants' }, h('h3', {}, 'Variants'),
      h('p', { class: 'hint' }, 'Users who get the flag from this strategy are split between its variants.'), list, error, addButton),
    value: () => rows.map((row) => row.value()),
    setError(message) { error.textContent = message; error.hidden = !message; },
  };
}
