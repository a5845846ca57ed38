// Sign-in: a token opens a session (POST /v1/session); the server keeps it in an HttpOnly cookie,
// so this page forgets the token as soon as it is sent.
import { post } from '../api.js';
import { fill, h } from '../dom.js';

export function mount(root, { message }, onSignedIn) {
  const input = h('input', {
    id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'drv_…', required: true, 'aria-label': 'API token',
  });
  const error = h('p', { id: 'signin-error', class: 'signin-error', role: 'alert' });
  const button = h('button', { id: 'signin-submit', class: 'btn btn-primary', type: 'submit' }, 'Sign in');
  const form = h('form', { id: 'signin-form', class: 'signin-form' },
    h('label', { class: 'field', for: 'token' }, 'API token', input), button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    fill(error);
    try {
      await post('/v1/session', { token: input.value.trim() });
      input.value = '';
      await onSignedIn();
    } catch (err) {
      fill(error, err.status === 401 ? 'This coordinator does not know that token.' : err.message);
      button.disabled = false;
      input.focus();
    }
  });
  fill(root, h('div', { class: 'signin' }, h('div', { class: 'signin-card' },
    h('img', { src: '/console/favicon.svg', alt: '', width: 40, height: 40 }),
    h('h1', {}, 'Sign in to Drover'),
    message ? h('p', { class: 'notice info' }, message) : null,
    h('p', { class: 'muted' }, 'Paste an API token from this cluster\'s principals file. ',
      h('code', {}, 'drover token --name NAME --roles operator'), ' makes one.'),
    form,
    h('p', { class: 'muted small' }, 'The token opens a session on this coordinator, kept in an HttpOnly ' +
      'cookie; the console never stores the token.'))));
  input.focus();
}
