// Links and navigation inside the app; app.js registers the renderer.

import { base } from './api.js';
import { h } from './dom.js';

let renderer = () => {};
export function setRenderer(render) {
  renderer = render;
}

export function navigate(path, { replace = false } = {}) {
  const url = base + path;
  if (replace) window.history.replaceState({}, '', url);
  else window.history.pushState({}, '', url);
  return renderer();
}

export function link(path, text, attrs = {}) {
  return h('a', { href: base + path, ...attrs }, text);
}
