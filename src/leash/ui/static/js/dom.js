// Tiny DOM helpers: every text goes through textContent, never innerHTML.

let nextId = 0;
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'for') {
      node.htmlFor = value;
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') {
      node[key] = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// A labelled form field with a hint and an error slot linked by aria-describedby.
export function field(label, control, { hint, id } = {}) {
  const controlId = id || control.id || uid('field');
  control.id = controlId;
  const hintNode = hint ? h('div', { class: 'hint', id: `${controlId}-hint` }, hint) : null;
  const errorNode = h('div', { class: 'error', id: `${controlId}-error`, hidden: true });
  control.setAttribute('aria-describedby', [hintNode && hintNode.id, errorNode.id].filter(Boolean).join(' '));
  const wrapper = h('div', { class: 'field' }, h('label', { for: controlId }, label), control, hintNode, errorNode);
  wrapper.setError = (message) => showError(control, errorNode, message);
  wrapper.control = control;
  return wrapper;
}

export function showError(control, errorNode, message) {
  if (message) {
    errorNode.textContent = message;
    errorNode.hidden = false;
    control?.classList.add('invalid');
    control?.setAttribute('aria-invalid', 'true');
  } else {
    errorNode.textContent = '';
    errorNode.hidden = true;
    control?.classList.remove('invalid');
    control?.removeAttribute('aria-invalid');
  }
}

export function options(values, selected) {
  return values.map((item) => {
    const [value, text] = Array.isArray(item) ? item : [item, item];
    return h('option', { value, selected: value === selected }, text);
  });
}

// One short-lived message at a time, so toasts never pile up over the page.
export function toast(message) {
  const node = h('div', { class: 'toast' }, message);
  document.getElementById('toasts').replaceChildren(node);
  setTimeout(() => node.remove(), 3000);
}

export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// A modal <dialog>: Escape closes it and focus returns to where it was.
export function modal(title, body, actions) {
  const previous = document.activeElement;
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { 'aria-labelledby': titleId },
    h('h2', { id: titleId }, title), body, h('div', { class: 'row' }, actions));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (previous && previous.isConnected) previous.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
