// The sign-in form posts to Spring Security's form login; it needs the session's CSRF token first.
(async function () {
  const params = new URLSearchParams(location.search);
  const message = document.getElementById('login-message');
  if (params.has('error')) {
    message.textContent = 'Wrong user or password.';
    message.className = 'banner error';
    message.hidden = false;
  } else if (params.has('signed-out')) {
    message.textContent = 'You are signed out.';
    message.className = 'banner';
    message.hidden = false;
  }
  const form = document.getElementById('login');
  try {
    const response = await fetch('/console/session', {headers: {'Accept': 'application/json'}});
    const session = await response.json();
    if (session.user) {
      location.replace('/console/');
      return;
    }
    form.querySelector('input[type=hidden]').name = session.csrf.parameter;
    form.querySelector('input[type=hidden]').value = session.csrf.token;
    form.querySelector('button').disabled = false;
  } catch (e) {
    message.textContent = 'The control service does not answer: ' + e.message;
    message.className = 'banner error';
    message.hidden = false;
  }
})();
