// The workbench: compose a step, Render (mode render) or Send (mode test) it through the function's own
// POST /, Import a cURL command (mode import), pick captures from the response, export the step.
import {StepForm} from './step-form.js';
import {showResult} from './result.js';

const $ = id => document.getElementById(id);
const STORAGE_KEY = 'api-step-workbench';

let form;
/** The last Render or Send result's request.curl: the cURL export is the function's own, masked. */
let lastCurl = '';

function changed() {
  if (!form) return;
  let step;
  try {
    step = form.read();
    $('export-event').value = JSON.stringify({mode: 'run', step, variables: readVariables()}, null, 2);
  } catch (problem) {
    $('export-event').value = `(${problem.message})`;
  }
  $('export-curl').value = lastCurl;
  if (step) {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({step, variables: $('variables').value}));
  }
}

function readVariables() {
  let variables;
  try {
    variables = JSON.parse($('variables').value || '{}');
  } catch (problem) {
    throw new Error(`Variables: not JSON (${problem.message})`);
  }
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new Error('Variables: a JSON object, please, such as {"order_id": "A-17"}');
  }
  return variables;
}

function say(text) {
  $('form-message').textContent = text;
}

/** Posts one event to the function; the result, or null after saying why there is none. */
async function post(event) {
  say('');
  const buttons = ['render', 'send', 'import'].map($);
  buttons.forEach(button => { button.disabled = true; });
  document.body.setAttribute('aria-busy', 'true');
  try {
    const headers = {'Content-Type': 'application/json'};
    // The token stays in this input: never stored, so it does not outlive the page.
    const token = $('caller-token').value.trim();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const response = await fetch('/', {method: 'POST', headers, body: JSON.stringify(event)});
    if (response.status === 401) {
      say('This instance admits only callers with a credential: enter a caller token from API_STEP_CALLERS above.');
      return null;
    }
    if (response.status === 403) {
      say('This caller token is bound to another tenant than the step names.');
      return null;
    }
    return await response.json();
  } catch (problem) {
    say(`The function could not be reached: ${problem.message}`);
    return null;
  } finally {
    buttons.forEach(button => { button.disabled = false; });
    document.body.removeAttribute('aria-busy');
  }
}

async function run(mode) {
  let event;
  try {
    event = {mode, step: form.read(), variables: readVariables()};
  } catch (problem) {
    say(problem.message);
    return;
  }
  const result = await post(event);
  if (!result) return;
  showResult(mode, result, pick);
  if (result.request && result.request.curl) lastCurl = result.request.curl;
  changed();
}

async function importCurl() {
  const command = $('curl').value.trim();
  if (!command) {
    say('Paste a cURL command first.');
    return;
  }
  const result = await post({mode: 'import', step: {request: {curl: command}}});
  if (!result) return;
  showResult('import', result, pick);
  if (result.step) {
    form.fill(result.step);
    say('Imported: the fields now hold the command\'s request.');
  } else {
    say('The command could not be imported: see the result.');
  }
}

function pick(path, name) {
  form.addCapture(path, name);
  say(`Capture added: ${path}. Send again to see the variable.`);
}

async function copy(id) {
  const text = $(id).value;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // The clipboard API needs a secure context and permission; selecting the text lets the author copy it.
    $(id).select();
    document.execCommand('copy');
  }
  $('copy-message').textContent = 'Copied.';
}

function restore() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (!saved) return;
  try {
    const {step, variables} = JSON.parse(saved);
    $('variables').value = variables;
    form.fill(step);
  } catch {
    localStorage.removeItem(STORAGE_KEY); // from an older page, or edited by hand
  }
}

form = new StepForm(changed);
$('step-form').addEventListener('submit', event => {
  event.preventDefault();
  run('test');
});
$('render').addEventListener('click', () => run('render'));
$('import').addEventListener('click', importCurl);
$('copy-event').addEventListener('click', () => copy('export-event'));
$('copy-curl').addEventListener('click', () => copy('export-curl'));
restore();
changed();
