// The sign-in forms post to Spring Security (a user's password, or an API key or JWT); they need the session's CSRF
// token first, and the service tells which ways to sign in it accepts.
(async function () {
  const params = new URLSearchParams(location.search);
  const message = document.getElementById('login-message');
  const show = (text, error) => {
    message.textContent = text;
    message.className = error ? 'banner error' : 'banner';
    message.hidden = false;
  };
  if (params.get('error') === 'credential') {
    show('Unknown API key, or a token that is invalid, expired or has neither role viewer nor operator.', true);
  } else if (params.has('error')) {
    show('Wrong user or password.', true);
  } else if (params.has('signed-out')) {
    show('You are signed out.', false);
  }
  const password = document.getElementById('login');
  const credential = document.getElementById('login-credential');
  try {
    const response = await fetch('/console/session', {headers: {'Accept': 'application/json'}});
    const session = await response.json();
    if (session.user) {
      location.replace('/console/');
      return;
    }
    const ways = session.signIn || {password: true};
    password.hidden = !ways.password;
    credential.hidden = !(ways.apiKey || ways.bearer);
    document.getElementById('login-or').hidden = password.hidden || credential.hidden;
    document.getElementById('credential-label').textContent = ways.apiKey && ways.bearer
      ? 'API key or bearer token (JWT)' : ways.apiKey ? 'API key' : 'Bearer token (JWT)';
    for (const form of [password, credential]) {
      form.querySelector('input[type=hidden]').name = session.csrf.parameter;
      form.querySelector('input[type=hidden]').value = session.csrf.token;
      form.querySelector('button').disabled = false;
    }
    if (password.hidden) credential.querySelector('input[name=credential]').focus();
  } catch (e) {
    show('The control service does not answer: ' + e.message, true);
  }
})();
