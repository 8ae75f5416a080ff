// The workbench: compose a step, Render (mode render) or Send (mode test) it through the function's own
// POST /, Import a cURL command (mode import), pick captures from the response, export the step; as a tool,
// derive its parameter schema (mode tools) and call it as a model would (a tool_use in mode test).
import {StepForm} from './step-form.js';
import {showNoResult, showResult} from './result.js';
import {hideAnswer, markSchema, readArguments, sayInPanel, showAnswer, showSchema} from './tool-panel.js';

const $ = id => document.getElementById(id);
const STORAGE_KEY = 'api-step-workbench';

let form;
/** The last Render or Send result's request.curl: the cURL export is the function's own, masked. */
let lastCurl = '';
/** The step and variables (as JSON) the schema shown was derived from; null before the first derivation. */
let schemaSource = null;

function changed() {
  if (!form) return;
  let step;
  try {
    step = form.read();
    const variables = readVariables();
    $('export-event').value = JSON.stringify({mode: 'run', step, variables}, null, 2);
    markSchema(JSON.stringify({step, variables}), schemaSource);
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

/** Posts one event to the function; the result, or null after saying (through report) why there is none. */
async function post(event, report = say) {
  say('');
  sayInPanel('');
  const buttons = ['render', 'send', 'import', 'tool-derive', 'tool-call'].map($);
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
      report('This instance admits only callers with a credential: enter a caller token from API_STEP_CALLERS above.');
      return null;
    }
    if (response.status === 403) {
      report('This caller token is bound to another tenant than the step names.');
      return null;
    }
    return await response.json();
  } catch (problem) {
    report(`The function could not be reached: ${problem.message}`);
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

/** The step's own tool as mode tools lists it: the schema a model would be shown. */
async function deriveSchema() {
  let event;
  try {
    event = {mode: 'tools', step: form.read(), variables: readVariables()};
  } catch (problem) {
    sayInPanel(problem.message);
    return;
  }
  const result = await post(event, sayInPanel);
  if (!result) return;
  schemaSource = JSON.stringify({step: event.step, variables: event.variables});
  showSchema(result);
  changed();
}

/** The tool called as a model calls it: its answer in the panel, the full result (test mode) in the Result panel. */
async function callTool() {
  let event;
  try {
    const step = form.read();
    if (!step.tool || !step.tool.name) throw new Error('Tool: give the tool a name first.');
    event = {step, variables: readVariables(),
      toolCall: {type: 'tool_use', id: 'workbench', name: step.tool.name, input: readArguments()}, mode: 'test'};
  } catch (problem) {
    sayInPanel(problem.message);
    return;
  }
  const reply = await post(event, sayInPanel);
  if (!reply) return;
  if (reply.type !== 'tool_result') {
    // Not a tool's reply but a step result: the event itself was refused before any tool ran.
    hideAnswer();
    showResult('tool call', reply, pick);
    sayInPanel(`The call was refused: ${reply.error ? `${reply.error.code}: ${reply.error.message}` : 'see the result'}`);
    return;
  }
  showAnswer(reply);
  if (reply.result) {
    showResult('tool call', reply.result, pick);
    if (reply.result.request && reply.result.request.curl) lastCurl = reply.result.request.curl;
  } else {
    showNoResult('No step ran for the last tool call: it was refused before anything was sent.');
  }
  changed();
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
$('tool-derive').addEventListener('click', deriveSchema);
$('tool-call').addEventListener('click', callTool);
$('copy-event').addEventListener('click', () => copy('export-event'));
$('copy-curl').addEventListener('click', () => copy('export-curl'));
restore();
changed();
