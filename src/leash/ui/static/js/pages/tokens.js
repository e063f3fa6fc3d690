import { get, post, del, enc, ApiError } from '../api.js';
import { h, clear, field, options, formatDate, modal, toast } from '../dom.js';

export async function renderTokens({ main }) {
  const [{ tokens }, { projects }, { environments }] = await Promise.all([
    get('/api/admin/api-tokens'), get('/api/admin/projects'), get('/api/admin/environments')]);
  const tokenName = h('input', { type: 'text', autocomplete: 'off', required: true });
  const type = h('select', {}, options([['client', 'Backend SDK (client)'], ['frontend', 'Frontend SDK']], 'client'));
  const project = h('select', {}, options([['*', 'All projects'], ...projects.map((p) => [p.id, p.name])], '*'));
  const environment = h('select', {}, options(environments.filter((e) => e.enabled).map((e) => e.name)));
  const nameField = field('Token name', tokenName);
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const created = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'panel', novalidate: true }, h('h2', { style: 'margin-top:0' }, 'New API token'),
    alert, h('div', { class: 'inline-form' }, nameField, field('Type', type), field('Project', project), field('Environment', environment),
      h('div', { class: 'field' }, h('button', { type: 'submit', class: 'primary' }, 'Create token'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    nameField.setError('');
    alert.hidden = true;
    try {
      const token = await post('/api/admin/api-tokens', {
        tokenName: tokenName.value, type: type.value, projects: [project.value], environment: environment.value });
      showSecret(created, token);
      tokenName.value = '';
      await renderList();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const messages = error.details.map((d) => d.message);
      const forName = error.details.filter((d) => /tokenName/.test(d.path || d.message)).map((d) => d.message);
      if (forName.length) nameField.setError(forName.join(' '));
      else { alert.textContent = messages.join(' '); alert.hidden = false; }
    }
  });

  const body = h('tbody');
  async function renderList(list) {
    const rows = list || (await get('/api/admin/api-tokens')).tokens;
    clear(body, rows.map((token) => h('tr', {},
      h('td', {}, token.tokenName), h('td', {}, token.type),
      h('td', {}, (token.projects || [token.project]).join(', ')), h('td', {}, token.environment),
      h('td', {}, h('code', {}, token.secret)), h('td', {}, formatDate(token.createdAt)),
      h('td', {}, h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete token ${token.tokenName}`,
        onclick: () => confirmDelete(token, renderList) }, 'Delete')))));
  }
  await renderList(tokens);
  clear(main, h('h1', {}, 'API tokens'),
    h('p', { class: 'muted' }, 'SDKs send a token in the Authorization header. leash keeps only a digest of each secret, so a secret is shown once, when it is created.'),
    form, created,
    h('table', {}, h('thead', {}, h('tr', {}, ['Name', 'Type', 'Projects', 'Environment', 'Secret', 'Created', 'Actions']
      .map((t) => h('th', { scope: 'col' }, t)))), body));
}

function showSecret(node, token) {
  const secret = h('input', { type: 'text', readonly: true, class: 'secret', value: token.secret, 'aria-label': 'New token secret' });
  const copy = h('button', { type: 'button', onclick: async () => {
    secret.select();
    try { await navigator.clipboard.writeText(token.secret); toast('Secret copied'); } catch { document.execCommand('copy'); }
  } }, 'Copy secret');
  clear(node, h('div', { class: 'notice' },
    h('p', { style: 'margin-top:0' }, h('strong', {}, `Token ${token.tokenName} created. `),
      'Copy its secret now: it will not be shown again.'),
    h('div', { class: 'row' }, secret, copy)));
  secret.focus();
  secret.select();
}

function confirmDelete(token, refresh) {
  const yes = h('button', { type: 'button', class: 'danger primary', onclick: async () => {
    try {
      await del(`/api/admin/api-tokens/${enc(token.secret)}`);
      dialog.close();
      toast(`Token ${token.tokenName} deleted`);
      await refresh();
    } catch (error) { toast(error.message); }
  } }, 'Delete token');
  const no = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
  const dialog = modal('Delete API token', h('p', {}, `Delete the token "${token.tokenName}"? SDKs using it will be refused at once.`), [yes, no]);
  no.focus();
}
