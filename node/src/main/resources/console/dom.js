// Small DOM helpers shared by the views.

/** Creates an element: attributes (class, text, on<event> handlers, booleans) and children (nodes or text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.className = v;
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c != null) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
  return el;
}

/** A number with thousands separators; an en dash when unknown. */
export function fmt(n, digits = 0) {
  if (n == null || Number.isNaN(Number(n))) {
    return '\u2013';
  }
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Shows {@code message} under field {@code id} (its {@code <id>-error} element) and marks the field invalid. */
export function setFieldError(id, message) {
  const field = document.getElementById(id);
  const out = document.getElementById(id + '-error');
  if (out) {
    out.textContent = message || '';
  }
  if (field) {
    if (message) {
      field.setAttribute('aria-invalid', 'true');
    } else {
      field.removeAttribute('aria-invalid');
    }
  }
}

/** Shows or hides a banner element with {@code message}. */
export function banner(el, message) {
  el.textContent = message || '';
  el.hidden = !message;
}

/**
 * Asks for confirmation in the modal confirm dialog; resolves to true when the user chose {@code confirm}.
 * {@code body} is a list of paragraphs.
 */
export function confirmDialog(title, body, confirm) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  const content = document.getElementById('confirm-body');
  content.replaceChildren(...body.map((p) => h('p', { text: p })));
  document.getElementById('confirm-ok').textContent = confirm;
  dialog.returnValue = 'cancel';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/** Lets Escape and the Cancel button close {@code dialog}, returning focus to {@code opener}. */
export function wireDialog(dialog, cancelButton) {
  cancelButton.addEventListener('click', () => dialog.close('cancel'));
  let opener = null;
  dialog.addEventListener('close', () => {
    if (opener && opener.isConnected) {
      opener.focus();
    }
  });
  return {
    open(focus) {
      opener = document.activeElement;
      dialog.showModal();
      if (focus) {
        focus.focus();
      }
    },
  };
}
