// Setting a password from a link (/new-user for an invited user, /reset-password for a reset):
// the token in the link is the only credential, checked before the form is shown.

import { get, post, enc } from '../api.js';
import { h, clear, field } from '../dom.js';
import { link } from '../nav.js';

function page(main, title, ...children) {
  clear(main, h('div', { class: 'login' }, h('h1', {}, title), ...children));
}

async function render({ main, query }, { title, intro, done }) {
  const token = query.get('token') || '';
  let who;
  try {
    who = await get(`/auth/reset/validate?token=${enc(token)}`);
  } catch {
    page(main, title,
      h('div', { class: 'alert', role: 'alert' }, 'This link is not valid: it has expired or was used already. Ask an administrator for a new one.'),
      link('/login', 'Go to log in'));
    return;
  }
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true });
  const confirm = h('input', { type: 'password', name: 'confirm', autocomplete: 'new-password', required: true });
  const passwordField = field('New password', password, { hint: 'At least 10 characters, with an upper-case letter, a lower-case letter, a number and a symbol.' });
  const confirmField = field('Repeat the password', confirm);
  const form = h('form', { class: 'panel', novalidate: true },
    h('p', {}, intro(who.name || who.email || 'you')),
    passwordField,
    confirmField,
    h('button', { type: 'submit', class: 'primary' }, 'Set password'));
  password.addEventListener('input', () => passwordField.setError(''));
  confirm.addEventListener('input', () => confirmField.setError(''));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (password.value !== confirm.value) {
      confirmField.setError('The two passwords are not the same.');
      confirm.focus();
      return;
    }
    try {
      await post('/auth/reset/password', { token, password: password.value });
    } catch (error) {
      passwordField.setError(error.details.map((detail) => detail.message).join(' '));
      password.focus();
      return;
    }
    page(main, done, h('p', {}, 'Your password is set.'), link('/login', 'Log in'));
  });
  page(main, title, form);
  password.focus();
}

export const renderNewUser = (context) => render(context, {
  title: 'Welcome to leash',
  intro: (name) => `Choose a password for ${name}.`,
  done: 'Welcome to leash',
});

export const renderResetPassword = (context) => render(context, {
  title: 'Reset your password',
  intro: (name) => `Choose a new password for ${name}.`,
  done: 'Password reset',
});
