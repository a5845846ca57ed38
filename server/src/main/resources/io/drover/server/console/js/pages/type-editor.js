// The dialog that edits a type's policy (PUT /v1/types/{type}, operator role): its concurrency
// limit, its cap on live tasks, and its circuit breaker; its rate limit and what its breaker does
// while open are kept as they are.
import { enc, put } from '../api.js';
import { errorText, fill, h } from '../dom.js';

const DEFAULT_BREAKER = { failureRateThreshold: 0.5, windowSize: 20, minCalls: 10, openMs: 30000 };

function numberField(id, label, value, attrs, hint) {
  return h('label', { class: 'field', for: id }, label,
    h('input', { id, name: id, type: 'number', value: value ?? '', required: true, ...attrs }),
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/** Opens the editor for type t ({type, policy}); resolves true when a policy was saved. */
export function editType(t) {
  return new Promise((resolve) => {
    const p = t.policy || { maxConcurrent: 0, breaker: null, maxLiveTasks: 0 };
    const b = p.breaker || DEFAULT_BREAKER;
    const enabled = h('input', { id: 'breaker-enabled', type: 'checkbox', checked: !!p.breaker });
    const breakerFields = h('fieldset', { class: 'breaker-fields', disabled: !p.breaker },
      h('legend', {}, 'Circuit breaker'),
      h('div', { class: 'form-grid' },
        numberField('failureRateThreshold', 'Failure rate to open', b.failureRateThreshold,
          { min: 0.01, max: 1, step: 0.01 }, 'share of the window, 0.01 to 1'),
        numberField('windowSize', 'Window', b.windowSize, { min: 1, max: 10000, step: 1 }, 'last N finished tasks'),
        numberField('minCalls', 'Minimum calls', b.minCalls, { min: 1, max: 10000, step: 1 }, 'before it may open'),
        numberField('openMs', 'Open for (ms)', b.openMs, { min: 1, max: 86400000, step: 1 }, 'then one probe')));
    enabled.addEventListener('change', () => { breakerFields.disabled = !enabled.checked; });
    const error = h('p', { class: 'form-error', id: 'type-error', role: 'alert' });
    const form = h('form', { id: 'type-form', method: 'dialog' },
      h('div', { class: 'dialog-body' },
        h('h2', {}, 'Policy of ', h('code', {}, t.type)),
        h('div', { class: 'form-grid' },
          numberField('maxConcurrent', 'Concurrency limit', p.maxConcurrent, { min: 0, max: 1000000, step: 1 },
            'assigned or running at once, cluster-wide; 0: no limit'),
          numberField('maxLiveTasks', 'Live task cap', p.maxLiveTasks || 0, { min: 0, max: 100000000, step: 1 },
            'pending, assigned or running; 0: only the cluster\'s cap')),
        h('label', { class: 'field inline' }, enabled, 'Stop dispatching this type when too many of its tasks fail'),
        breakerFields, error),
      h('div', { class: 'dialog-foot' },
        h('button', { class: 'btn', type: 'button', id: 'type-cancel', onclick: () => done(false) }, 'Close'),
        h('button', { class: 'btn btn-primary', type: 'submit', id: 'type-save' }, 'Save policy')));
    const dialog = h('dialog', { class: 'editor' }, form);
    const done = (saved) => { dialog.close(); dialog.remove(); resolve(saved); };
    dialog.addEventListener('cancel', () => { dialog.remove(); resolve(false); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = (name) => Number(form.elements[name].value);
      const body = {
        maxConcurrent: v('maxConcurrent'),
        maxLiveTasks: v('maxLiveTasks'),
        breaker: enabled.checked ? {
          failureRateThreshold: v('failureRateThreshold'), windowSize: v('windowSize'),
          minCalls: v('minCalls'), openMs: v('openMs'),
        } : null,
        // kept as they are (the form does not edit them: drover type set does); what an open
        // breaker does means nothing without a breaker, so it goes with it
        rateLimit: p.rateLimit ?? null,
        whenOpen: enabled.checked ? p.whenOpen : undefined,
        fallbackType: enabled.checked ? p.fallbackType : undefined,
      };
      // Only over the policy this form was filled from: an operator's edit in between is a 412,
      // not silently overwritten.
      const guard = t.policyVersion !== undefined && t.policyVersion !== null
        ? { 'If-Match': '"' + t.policyVersion + '"' } : t.policy ? {} : { 'If-None-Match': '*' };
      try {
        await put('/v1/types/' + enc(t.type), body, guard);
        done(true);
      } catch (err) {
        fill(error, err.status === 412
          ? 'The policy changed since this form was opened: close it and edit again.' : errorText(err));
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    form.elements.maxConcurrent.focus();
  });
}
