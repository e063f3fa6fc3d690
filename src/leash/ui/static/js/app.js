// The app shell: session check, navigation bar and a history-API router.

import { base, get, setUnauthorizedHandler, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { link, navigate, setRenderer } from './nav.js';
import { renderLogin } from './pages/login.js';
import { renderNewUser, renderResetPassword } from './pages/password.js';
import { renderSegments, renderSegmentForm } from './pages/segments.js';
import { renderProjects, renderFlags, renderFlag } from './pages/flags.js';
import { renderPlayground } from './pages/playground.js';
import { renderTokens } from './pages/tokens.js';
import { renderEvents } from './pages/events.js';

const NAV = [
  ['/projects', 'Flags'],
  ['/segments', 'Segments'],
  ['/playground', 'Playground'],
  ['/api-tokens', 'API tokens'],
  ['/history', 'Event log'],
];

const ROUTES = [
  [/^\/login$/, renderLogin, { public: true }],
  [/^\/new-user$/, renderNewUser, { public: true }],
  [/^\/reset-password$/, renderResetPassword, { public: true }],
  [/^\/$/, () => navigate('/projects', { replace: true })],
  [/^\/projects$/, renderProjects],
  [/^\/projects\/([^/]+)$/, renderFlags],
  [/^\/projects\/([^/]+)\/features\/([^/]+)$/, renderFlag],
  [/^\/segments$/, renderSegments],
  [/^\/segments\/create$/, renderSegmentForm],
  [/^\/segments\/edit\/(\d+)$/, renderSegmentForm],
  [/^\/playground$/, renderPlayground],
  [/^\/api-tokens$/, renderTokens],
  [/^\/history$/, renderEvents],
];

const main = document.getElementById('main');
const top = document.getElementById('top');
let user = null;
let renderCount = 0;

function appPath() {
  const path = window.location.pathname;
  return (path.startsWith(base) ? path.slice(base.length) : path) || '/';
}

async function loadUser() {
  try {
    const me = await get('/api/admin/user');
    user = me.user;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    user = null;
  }
}

function renderTop(path) {
  if (!user) {
    top.hidden = true;
    return;
  }
  top.hidden = false;
  clear(top,
    link('/projects', 'leash', { class: 'brand' }),
    h('nav', { 'aria-label': 'Main' }, h('ul', {}, NAV.map(([href, text]) => h('li', {},
      link(href, text, { 'aria-current': path.startsWith(href) ? 'page' : null }))))),
    h('div', { class: 'who' },
      h('span', {}, user.username || user.email || user.name || 'signed in'),
      h('button', { type: 'button', onclick: logout }, 'Log out')));
}

async function logout() {
  await fetch(`${base}/logout`, { method: 'POST', credentials: 'same-origin', redirect: 'manual' });
  user = null;
  navigate('/login');
}

async function render() {
  renderCount += 1;
  const current = renderCount;
  const path = appPath();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) {
    renderTop(path);
    clear(main, h('h1', {}, 'Page not found'), link('/projects', 'Go to flags'));
    return;
  }
  const [pattern, page, options = {}] = route;
  if (!options.public && !user) {
    await loadUser();
    if (current !== renderCount) return;
    if (!user) {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + window.location.search)}`;
      navigate(`/login${next}`, { replace: true });
      return;
    }
  }
  renderTop(path);
  const params = path.match(pattern).slice(1).map(decodeURIComponent);
  const query = new URLSearchParams(window.location.search);
  // Each render draws into its own view: a page still loading when the user moves on keeps
  // writing into its detached view, never over the page that replaced it.
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, 'Loading…'));
  clear(main, view);
  try {
    // A page that has been left may not send the user anywhere any more.
    const go = (...args) => { if (current === renderCount) navigate(...args); };
    await page({ main: view, params, query, user, navigate: go, onLogin: (who) => { user = who; } });
  } catch (error) {
    if (current !== renderCount) return;
    clear(view, h('h1', {}, 'Something went wrong'), h('div', { class: 'alert', role: 'alert' }, error.message));
    return;
  }
  if (current !== renderCount) return;
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  const heading = view.querySelector('h1');
  document.title = heading ? `${heading.textContent} · leash` : 'leash';
  if (heading && !view.contains(document.activeElement)) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

setUnauthorizedHandler(() => {
  user = null;
  if (appPath() !== '/login') navigate(`/login?next=${encodeURIComponent(appPath())}`, { replace: true });
});

document.addEventListener('click', (event) => {
  const anchor = event.target.closest('a[href]');
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
    || event.shiftKey || anchor.target || anchor.origin !== window.location.origin) return;
  const path = anchor.pathname;
  if (!path.startsWith(base)) return;
  const inside = path.slice(base.length) || '/';
  if (!ROUTES.some(([pattern]) => pattern.test(inside))) return;
  event.preventDefault();
  window.history.pushState({}, '', anchor.href);
  render();
});

window.addEventListener('popstate', () => render());
setRenderer(render);
render();
