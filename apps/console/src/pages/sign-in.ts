import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { Form } from '../forms.js';
import { Session, signIn } from '../session.js';

/** Sign in with an API key; the API says (GET /me) whose key it is and what its role may do. */
export function signInPage(onSignedIn: (session: Session) => void, notice: string | null): Node {
  const form = new Form(
    'sign-in',
    [
      {
        name: 'apiKey',
        label: 'API key',
        kind: 'password',
        width: 'long',
        hint: 'The key an administrator created for you with `ecf keys create`. It stays in this browser tab only and is forgotten when you close the tab or sign out.',
      },
    ],
    'Sign in',
    async (values, self) => {
      const key = String(values.apiKey);
      if (key === '') {
        self.showProblem({ status: 400, code: 'REQUIRED', title: 'Bad request', detail: 'Enter your API key.', errors: [{ field: 'apiKey', code: 'REQUIRED', message: 'Enter your API key' }] });
        return;
      }
      try {
        onSignedIn(await signIn(key));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const message = error.status === 401 ? 'This key was not accepted: check it, or ask an administrator for a new one' : error.problem.detail;
        self.showProblem({ ...error.problem, detail: 'You are not signed in.', errors: [{ field: 'apiKey', code: error.problem.code, message }] });
      }
    },
  );
  return h(
    'div',
    { class: 'narrow' },
    h('h1', { class: 'heading-l', tabindex: '-1' }, 'Sign in to the ECF back office'),
    notice ? h('div', { class: 'notice', role: 'status' }, notice) : null,
    h('p', null, 'The console shows what your key’s role and scope allow, and every change goes through the same API and rules as any other client.'),
    form.element,
  );
}
