// The step form: reads the step the contract describes (docs/schema/step-event.schema.json) from the fields,
// and fills the fields from a step (an imported cURL command, the one remembered from the last visit).
import {RowList} from './rows.js';
import {fillTool, readTool} from './tool-panel.js';

const $ = id => document.getElementById(id);

const NAME_VALUE = [{key: 'name', label: 'Name'}, {key: 'value', label: 'Value'}];
const FILE_PART = [
  {key: 'name', label: 'Name'},
  {key: 'source', label: 'Source', options: ['content', 'url']},
  {key: 'content', label: 'Content (base64) or URL'},
  {key: 'filename', label: 'Filename'},
  {key: 'contentType', label: 'Content type'},
];
const CAPTURE = [
  {key: 'variable', label: 'Variable'},
  {key: 'path', label: 'Path', placeholder: 'response.order.status'},
  {key: 'default', label: 'Default (JSON)'},
];

/** Text fields that map one to one onto auth properties, per auth type. */
const AUTH_FIELDS = {
  basic: {username: 'auth-username', password: 'auth-password'},
  bearer: {token: 'auth-token'},
  apiKey: {in: 'auth-in', name: 'auth-name', value: 'auth-value'},
  oauth2: {tokenUrl: 'auth-token-url', clientId: 'auth-client-id', clientSecret: 'auth-client-secret',
    scope: 'auth-scope', audience: 'auth-audience'},
};

/** Whole-number options: the option's name and its field. */
const NUMBER_OPTIONS = {timeoutMs: 'opt-timeout', maxRedirects: 'opt-max-redirects', maxResponseBytes: 'opt-max-response'};
const RETRY_OPTIONS = {maxAttempts: 'opt-retry-attempts', initialDelayMs: 'opt-retry-initial', maxDelayMs: 'opt-retry-max'};

export class StepForm {
  constructor(onChange) {
    this.onChange = onChange;
    this.headers = new RowList($('headers'), {header: NAME_VALUE}, onChange);
    this.query = new RowList($('query'), {parameter: NAME_VALUE}, onChange);
    this.fields = new RowList($('body-fields'), {field: NAME_VALUE, file: FILE_PART}, onChange);
    this.captures = new RowList($('captures'), {capture: CAPTURE}, onChange);
    $('add-header').addEventListener('click', () => focusFirst(this.headers.add()));
    $('add-query').addEventListener('click', () => focusFirst(this.query.add()));
    $('add-field').addEventListener('click', () => focusFirst(this.fields.add()));
    $('add-file').addEventListener('click', () => focusFirst(this.fields.add({}, 'file')));
    $('add-capture').addEventListener('click', () => focusFirst(this.captures.add()));
    for (const [selector, attribute] of [['body-type', 'body'], ['auth-type', 'auth'], ['binary-source', 'binary']]) {
      $(selector).addEventListener('change', () => showOnly(attribute, $(selector).value));
    }
    $('step-form').addEventListener('input', onChange);
    $('step-form').addEventListener('change', onChange);
  }

  /** The step as the fields describe it; throws an Error naming the field when one cannot be read. */
  read() {
    const request = {method: $('method').value, url: $('url').value.trim()};
    const headers = this.headers.values().map(({name, value}) => ({name, value}));
    if (headers.length) request.headers = headers;
    const query = this.query.values().map(({name, value}) => ({name, value}));
    if (query.length) request.query = query;
    const body = this.readBody();
    if (body) request.body = body;
    const step = {request};
    const auth = readAuth();
    if (auth) step.auth = auth;
    const captures = this.captures.values().map(readCapture);
    if (captures.length) step.capture = captures;
    const options = readOptions();
    if (Object.keys(options).length) step.options = options;
    const tool = readTool();
    if (tool) step.tool = tool;
    return step;
  }

  readBody() {
    const type = $('body-type').value;
    if (type === 'json') return {type, content: $('body-json').value};
    if (type === 'text') return withContentType({type, content: $('body-text').value}, $('body-text-type').value);
    if (type === 'form' || type === 'multipart') {
      return {type, fields: this.fields.values().map(field => field.kind === 'file' ? filePart(field) : {name: field.name, value: field.value})};
    }
    if (type === 'binary') {
      const source = $('binary-source').value === 'url' ? {url: $('binary-url').value} : {content: $('binary-content').value, encoding: 'base64'};
      return withContentType({type, ...source}, $('binary-type').value);
    }
    return null;
  }

  /** Fills every field from a step; fields the step does not name go back to their defaults. */
  fill(step) {
    const request = step.request || {};
    $('method').value = (request.method || 'GET').toUpperCase();
    $('url').value = request.url || '';
    fillRows(this.headers, request.headers);
    fillRows(this.query, request.query);
    this.fillBody(request.body);
    fillAuth(step.auth);
    fillOptions(step.options || {});
    fillTool(step.tool);
    this.captures.clear();
    for (const capture of asList(step.capture, 'path')) {
      this.captures.add({variable: capture.name, path: capture.value,
        default: 'default' in capture ? JSON.stringify(capture.default) : ''});
    }
    this.onChange();
  }

  fillBody(body) {
    const type = body ? (body.type || (body.fields ? 'form' : body.content != null ? 'json' : 'none')).toLowerCase() : 'none';
    $('body-type').value = type;
    showOnly('body', type);
    $('body-json').value = type === 'json' ? (typeof body.content === 'string' ? body.content : JSON.stringify(body.content, null, 2)) : '';
    $('body-text').value = type === 'text' ? body.content || '' : '';
    $('body-text-type').value = type === 'text' ? body.contentType || '' : '';
    this.fields.clear();
    for (const field of type === 'form' || type === 'multipart' ? asList(body.fields, 'value') : []) {
      const file = field.file;
      if (file) {
        this.fields.add({name: field.name, source: file.url != null ? 'url' : 'content', content: file.url != null ? file.url : file.content,
          filename: file.filename, contentType: file.contentType}, 'file');
      } else {
        this.fields.add(field);
      }
    }
    const fromUrl = type === 'binary' && body.url != null;
    $('binary-source').value = fromUrl ? 'url' : 'content';
    showOnly('binary', $('binary-source').value);
    $('binary-content').value = type === 'binary' && !fromUrl ? body.content || '' : '';
    $('binary-url').value = fromUrl ? body.url : '';
    $('binary-type').value = type === 'binary' ? body.contentType || '' : '';
  }

  /** Adds a capture row for a path the author picked, with a variable name no other capture uses. */
  addCapture(path, suggestedName) {
    const taken = new Set(this.captures.values().map(capture => capture.variable));
    let name = suggestedName;
    for (let n = 2; taken.has(name); n++) name = `${suggestedName}_${n}`;
    const row = this.captures.add({variable: name, path});
    const variable = row.querySelector('[data-key="variable"]');
    variable.focus();
    variable.select();
    return row;
  }
}

function readAuth() {
  const type = $('auth-type').value;
  if (type === 'none') return null;
  const auth = {type};
  for (const [property, id] of Object.entries(AUTH_FIELDS[type])) {
    const value = $(id).value;
    if (value !== '' || type === 'basic') auth[property] = value;
  }
  return auth;
}

function fillAuth(auth) {
  const type = auth && AUTH_FIELDS[auth.type] ? auth.type : 'none';
  $('auth-type').value = type;
  showOnly('auth', type);
  for (const fields of Object.values(AUTH_FIELDS)) {
    for (const [property, id] of Object.entries(fields)) {
      const element = $(id);
      element.value = type !== 'none' && fields === AUTH_FIELDS[type] && auth[property] != null ? auth[property]
          : element.tagName === 'SELECT' ? element.options[0].value : '';
    }
  }
}

function readOptions() {
  const options = {};
  for (const [name, id] of Object.entries(NUMBER_OPTIONS)) putNumber(options, name, id);
  if (!$('opt-follow').checked) options.followRedirects = false;
  const success = $('opt-success').value.split(',').map(entry => entry.trim()).filter(Boolean);
  if (success.length) options.successStatuses = success.map(entry => /^\d+$/.test(entry) ? Number(entry) : entry);
  if ($('opt-on-error').value) options.onError = $('opt-on-error').value;
  if ($('opt-unresolved').value) options.unresolvedVariables = $('opt-unresolved').value;
  const retry = {};
  for (const [name, id] of Object.entries(RETRY_OPTIONS)) putNumber(retry, name, id);
  if ($('opt-retry-non-idempotent').checked) retry.retryNonIdempotent = true;
  if (Object.keys(retry).length) options.retry = retry;
  return options;
}

function fillOptions(options) {
  for (const [name, id] of Object.entries(NUMBER_OPTIONS)) $(id).value = options[name] == null ? '' : options[name];
  $('opt-follow').checked = options.followRedirects !== false;
  $('opt-success').value = (options.successStatuses || []).join(', ');
  $('opt-on-error').value = options.onError || '';
  $('opt-unresolved').value = options.unresolvedVariables || '';
  const retry = options.retry || {};
  for (const [name, id] of Object.entries(RETRY_OPTIONS)) $(id).value = retry[name] == null ? '' : retry[name];
  $('opt-retry-non-idempotent').checked = retry.retryNonIdempotent === true;
}

function putNumber(target, name, id) {
  const text = $(id).value.trim();
  if (text === '') return;
  if (!/^\d+$/.test(text)) throw new Error(`${$(id).closest('label').textContent.trim()}: a whole number, please`);
  target[name] = Number(text);
}

function readCapture(row) {
  const capture = {variable: row.variable.trim(), path: row.path.trim()};
  const fallback = row.default.trim();
  if (fallback !== '') {
    try {
      capture.default = JSON.parse(fallback);
    } catch {
      capture.default = fallback; // plain text is meant as a string
    }
  }
  return capture;
}

function filePart(field) {
  const file = field.source === 'url' ? {url: field.content} : {content: field.content, encoding: 'base64'};
  if (field.filename) file.filename = field.filename;
  if (field.contentType) file.contentType = field.contentType;
  return {name: field.name, file};
}

function withContentType(body, contentType) {
  return contentType.trim() ? {...body, contentType: contentType.trim()} : body;
}

/** Lists or objects ({name: value}) as the contract allows both; objects become {name, value} entries. */
function asList(entries, valueKey) {
  if (!entries) return [];
  if (Array.isArray(entries)) {
    return entries.map(entry => valueKey === 'path' ? {name: entry.variable, value: entry.path, ...('default' in entry ? {default: entry.default} : {})} : entry);
  }
  return Object.entries(entries).map(([name, value]) => ({name, value: typeof value === 'string' ? value : JSON.stringify(value)}));
}

function fillRows(rows, entries) {
  rows.clear();
  asList(entries, 'value').forEach(entry => rows.add(entry));
}

/** Shows the elements marked data-<attribute> whose list names the value, hides the others. */
function showOnly(attribute, value) {
  document.querySelectorAll(`[data-${attribute}]`).forEach(element => {
    element.hidden = !element.dataset[attribute].split(' ').includes(value);
  });
}

function focusFirst(row) {
  row.querySelector('input, select').focus();
}
