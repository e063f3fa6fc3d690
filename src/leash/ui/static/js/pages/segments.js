import { get, post, put, del, enc, ApiError } from '../api.js';
import { h, clear, field, options, formatDate, modal, toast } from '../dom.js';
import { link, navigate } from '../nav.js';
import { constraintsEditor } from '../constraints.js';
import { explain } from '../errors.js';

export async function renderSegments({ main, query }) {
  const { segments } = await get('/api/admin/segments');
  const search = h('input', { type: 'search', value: query.get('search') || '', placeholder: 'Name or description' });
  const body = h('tbody');
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });

  function renderRows() {
    const needle = search.value.trim().toLowerCase();
    const shown = segments.filter((s) => !needle || s.name.toLowerCase().includes(needle)
      || (s.description || '').toLowerCase().includes(needle));
    status.textContent = `${shown.length} of ${segments.length} segments`;
    clear(body, shown.map((segment) => h('tr', {},
      h('td', {}, link(`/segments/edit/${segment.id}`, segment.name), segment.description
        ? h('div', { class: 'hint' }, segment.description) : null),
      h('td', { class: 'num' }, `${segment.usedInFeatures}`),
      h('td', { class: 'num' }, `${segment.usedInProjects}`),
      h('td', {}, segment.project || h('span', { class: 'muted' }, 'Global')),
      h('td', {}, formatDate(segment.createdAt), segment.createdBy ? h('div', { class: 'hint' }, `by ${segment.createdBy}`) : null),
      h('td', {}, h('div', { class: 'row' },
        link(`/segments/edit/${segment.id}`, 'Edit', { class: 'button small', 'aria-label': `Edit segment ${segment.name}` }),
        h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete segment ${segment.name}`,
          onclick: () => confirmDelete(segment) }, 'Delete'))))));
  }
  search.addEventListener('input', () => {
    const url = new URL(window.location.href);
    if (search.value) url.searchParams.set('search', search.value); else url.searchParams.delete('search');
    window.history.replaceState({}, '', url);
    renderRows();
  });
  renderRows();

  clear(main,
    h('div', { class: 'row' }, h('h1', {}, 'Segments'), h('div', { class: 'spacer' }),
      link('/segments/create', 'New segment', { class: 'button primary' })),
    h('p', { class: 'muted' }, 'A segment is a named set of constraints that many flag strategies can share.'),
    h('div', { class: 'row' }, field('Search segments', search), status),
    h('table', {},
      h('thead', {}, h('tr', {}, ['Name', 'Used in flags', 'Used in projects', 'Project', 'Created', 'Actions']
        .map((title) => h('th', { scope: 'col' }, title)))),
      body));
}

async function confirmDelete(segment) {
  const message = h('p', {}, `Delete the segment "${segment.name}"? Strategies can no longer use it.`);
  const alert = h('div', { role: 'alert' });
  const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
  const confirm = h('button', { type: 'button', class: 'danger primary', onclick: remove }, 'Delete segment');
  const dialog = modal('Delete segment', h('div', {}, message, alert), [confirm, cancel]);
  cancel.focus();

  async function remove() {
    try {
      await del(`/api/admin/segments/${segment.id}`);
      dialog.close();
      toast(`Segment ${segment.name} deleted`);
      // Reload the list, keeping the search the user typed.
      navigate(`/segments${window.location.search}`, { replace: true });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) {
        clear(alert, h('div', { class: 'alert' }, error.message));
        return;
      }
      // Unleash refuses with an empty 409: ask which strategies hold the segment.
      const { strategies } = await get(`/api/admin/segments/${segment.id}/strategies`);
      confirm.remove();
      message.textContent = `The segment "${segment.name}" is in use and cannot be deleted.`;
      clear(alert, h('div', { class: 'alert' },
        h('p', { style: 'margin-top:0' }, `Remove it from these flags' strategies first (${strategies.length}):`),
        h('ul', { class: 'using-flags', 'aria-label': 'Flags using this segment' }, strategies.map((s) => h('li', {},
          link(`/projects/${enc(s.projectId)}/features/${enc(s.featureName)}`, s.featureName),
          ` — project ${s.projectId}, environment ${s.environment}, strategy ${s.strategyName}`)))));
      cancel.textContent = 'Close';
      cancel.focus();
    }
  }
}

export async function renderSegmentForm({ main, params }) {
  const id = params[0];
  const [{ projects }, segment, usage] = await Promise.all([
    get('/api/admin/projects'),
    id ? get(`/api/admin/segments/${id}`) : Promise.resolve(null),
    id ? get(`/api/admin/segments/${id}/strategies`) : Promise.resolve({ strategies: [] }),
  ]);
  const name = h('input', { type: 'text', value: segment?.name || '', required: true, autocomplete: 'off' });
  const description = h('textarea', { rows: 2 }, segment?.description || '');
  const project = h('select', { class: 'wide' },
    options([['', 'Global (any project)'], ...projects.map((p) => [p.id, `${p.name} (${p.id})`])], segment?.project || ''));
  const nameField = field('Segment name', name, { hint: 'Unique across all segments.' });
  const descriptionField = field('Description', description);
  const projectField = field('Project', project, { hint: 'A project segment can only be used by flags in that project.' });
  const editor = constraintsEditor({ constraints: segment?.constraints || [] });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, id ? 'Save segment' : 'Create segment');

  // An edit makes the server's last word on the name stale, so it goes while the user types.
  // The check on leaving the field only ever adds a message: clearing one there would move the
  // button under a pointer already pressed on it, and the click that blurred the field would be lost.
  name.addEventListener('input', () => nameField.setError(''));
  name.addEventListener('blur', async () => {
    const value = name.value;
    if (!value || value === segment?.name) return;
    try {
      await post('/api/admin/segments/validate', { name: value });
    } catch (error) {
      if (name.value === value) nameField.setError(error.message);
    }
  });

  const form = h('form', { class: 'panel', novalidate: true },
    alert, nameField, descriptionField, projectField, editor.node,
    h('div', { class: 'row', style: 'margin-top: 16px' }, submit, link('/segments', 'Cancel', { class: 'button' })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      name: name.value,
      description: description.value,
      project: project.value || null,
      constraints: editor.value(),
    };
    [nameField, descriptionField, projectField].forEach((f) => f.setError(''));
    editor.setErrors();
    alert.hidden = true;
    submit.disabled = true;
    try {
      if (id) await put(`/api/admin/segments/${id}`, body);
      else await post('/api/admin/segments', body);
      toast(id ? `Segment ${body.name} saved` : `Segment ${body.name} created`);
      navigate('/segments');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const placed = await explain(error, { fieldNames: ['name', 'description', 'project'], constraints: body.constraints });
      if (error.status === 409) placed.fields.name = error.message;
      // "Invalid project. Segment is being used by strategies in other projects: ..." names no path.
      const aboutProject = placed.general.filter((m) => /project/i.test(m));
      if (aboutProject.length) {
        placed.fields.project = aboutProject.join(' ');
        placed.general = placed.general.filter((m) => !aboutProject.includes(m));
      }
      nameField.setError(placed.fields.name);
      descriptionField.setError(placed.fields.description);
      projectField.setError(placed.fields.project);
      editor.setErrors(placed.constraints);
      if (placed.general.length) {
        alert.textContent = placed.general.join(' ');
        alert.hidden = false;
      }
      const first = form.querySelector('[aria-invalid="true"], fieldset.invalid input, .alert:not([hidden])');
      if (first) first.focus?.();
    } finally {
      submit.disabled = false;
    }
  });

  const usedBy = id ? h('section', { class: 'panel', 'aria-labelledby': 'used-by' },
    h('h2', { id: 'used-by', style: 'margin-top:0' }, 'Used by'),
    usage.strategies.length
      ? h('ul', { 'aria-label': 'Flags using this segment' }, usage.strategies.map((s) => h('li', {},
        link(`/projects/${enc(s.projectId)}/features/${enc(s.featureName)}`, s.featureName),
        ` — project ${s.projectId}, environment ${s.environment}, strategy ${s.strategyName}`)))
      : h('p', { class: 'muted' }, 'No flag uses this segment yet.')) : null;
  clear(main, h('p', {}, link('/segments', '← All segments')),
    h('h1', {}, id ? `Edit segment ${segment.name}` : 'New segment'), usedBy, form);
}
