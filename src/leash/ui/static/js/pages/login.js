import { post } from '../api.js';
import { h, clear, field } from '../dom.js';
import { navigate } from '../nav.js';

export async function renderLogin({ main, query, onLogin }) {
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const alert = h('div', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel', novalidate: true },
    alert,
    field('Username or email', username),
    field('Password', password),
    h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.hidden = true;
    try {
      const who = await post('/auth/simple/login', { username: username.value, password: password.value });
      onLogin(who);
      const next = query.get('next');
      // Only ever go back to a path inside the app.
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/projects', { replace: true });
    } catch (error) {
      alert.textContent = error.status === 429 ? 'Too many attempts: wait a minute and try again.' : error.message;
      alert.hidden = false;
      password.select();
    }
  });
  clear(main, h('div', { class: 'login' }, h('h1', {}, 'Log in to leash'), form));
  username.focus();
}
