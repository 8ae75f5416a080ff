// The Tool panel: the step as a tool a model calls (step.tool, contract §8). Its fields are read into the step
// by the step form; the parameter schema shown is the function's own (mode tools), and a call "as a model
// would" is an Anthropic tool_use in test mode, answered with the tool's reply and the full result. Everything
// from the function is set with textContent, as elsewhere in the page.

const $ = id => document.getElementById(id);

/** Spoken messages (step.tool.messages) and their fields. */
const SPOKEN = {start: 'tool-say-start', complete: 'tool-say-complete', failed: 'tool-say-failed'};
const SPOKEN_CAPTIONS = {start: 'At the start', complete: 'When done', failed: 'When it failed'};

/** What a filled tool holds beyond the panel's fields (parameters, maxResultChars, a delayed message): kept as given. */
let beyondPanel = {};

/** step.tool from the fields (and what the panel does not show); null when they are all empty (a plain step). */
export function readTool() {
  const tool = {name: $('tool-name').value.trim(), description: $('tool-description').value.trim()};
  if ($('tool-result').value.trim()) tool.result = $('tool-result').value;
  const messages = {};
  for (const [key, id] of Object.entries(SPOKEN)) {
    if ($(id).value.trim()) messages[key] = $(id).value.trim();
  }
  const keptMessages = beyondPanel.messages || {};
  Object.assign(messages, keptMessages);
  if (Object.keys(messages).length) tool.messages = messages;
  if (!Object.values(tool).some(value => value !== '')) return null;
  const keptFields = {...beyondPanel};
  delete keptFields.messages;
  return {...keptFields, ...tool};
}

export function fillTool(tool) {
  const given = tool || {};
  const others = {...given};
  for (const shown of ['name', 'description', 'result', 'messages']) delete others[shown];
  const messages = given.messages && typeof given.messages === 'object' ? given.messages : {};
  const otherMessages = {};
  for (const [key, value] of Object.entries(messages)) {
    if (!(key in SPOKEN) || typeof value !== 'string') otherMessages[key] = value;
  }
  beyondPanel = Object.keys(otherMessages).length ? {...others, messages: otherMessages} : others;
  $('tool-name').value = given.name || '';
  $('tool-description').value = given.description || '';
  $('tool-result').value = given.result || '';
  for (const [key, id] of Object.entries(SPOKEN)) {
    $(id).value = given.messages && typeof given.messages[key] === 'string' ? given.messages[key] : '';
  }
}

/** The arguments a model would send: a JSON object, or an Error saying what is wrong (nothing is sent then). */
export function readArguments() {
  let input;
  try {
    input = JSON.parse($('tool-arguments').value || '{}');
  } catch (problem) {
    throw new Error(`Arguments: not JSON (${problem.message}); nothing was sent`);
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new Error('Arguments: a JSON object, please, as a model sends them, such as {"order_id": "A-17"}; nothing was sent');
  }
  return input;
}

export function sayInPanel(text) {
  $('tool-message').textContent = text;
}

/** The definition mode tools answered for the step's own tool; the schema's properties as a list and as JSON. */
export function showSchema(result) {
  const listed = result.tools && result.tools.mcp && result.tools.mcp[0];
  $('tool-schema-box').hidden = !listed;
  if (!listed) {
    const error = result.error;
    sayInPanel(error ? `${error.code}: ${error.message}` : 'The function listed no tool for this step.');
    return;
  }
  const schema = listed.inputSchema || {};
  const required = new Set(schema.required || []);
  const properties = Object.entries(schema.properties || {});
  $('tool-parameters').replaceChildren(...properties.map(([name, property]) => parameter(name, property, required.has(name))));
  if (!properties.length) {
    const none = document.createElement('li');
    none.textContent = 'None: every variable the step uses is bound or has a default.';
    $('tool-parameters').append(none);
  }
  $('tool-schema').textContent = JSON.stringify(schema, null, 2);
  // A first call needs the required arguments: offered blank, to be filled in.
  if (['', '{}'].includes($('tool-arguments').value.trim()) && required.size) {
    $('tool-arguments').value = JSON.stringify(Object.fromEntries([...required].map(name => [name, ''])), null, 2);
  }
}

/** Says whether the schema shown was derived from the step and variables as they are now. */
export function markSchema(current, derivedFrom) {
  $('tool-schema-stale').hidden = derivedFrom === null || current === derivedFrom;
}

function parameter(name, property, isRequired) {
  const item = document.createElement('li');
  item.dataset.parameter = name;
  const key = document.createElement('code');
  key.textContent = name;
  const facts = [property.type || 'any type'];
  if (isRequired) facts.push('required');
  if ('default' in property) facts.push(`default ${JSON.stringify(property.default)}`);
  if (Array.isArray(property.enum)) facts.push(`one of ${property.enum.map(value => JSON.stringify(value)).join(', ')}`);
  if (property.pattern) facts.push(`matching ${property.pattern}`);
  const text = document.createElement('span');
  text.textContent = ` ${facts.join(', ')}${property.description ? `: ${property.description}` : ''}`;
  item.append(key, text);
  return item;
}

/** A tool_result reply: its content and is_error, and the spoken messages a voice runtime would say. */
export function showAnswer(reply) {
  $('tool-answer-box').hidden = false;
  $('tool-answer-state').textContent = reply.is_error ? 'is_error: true' : 'is_error: false';
  $('tool-answer-state').dataset.branch = reply.is_error ? 'failure' : 'success';
  $('tool-answer').textContent = reply.content;
  const messages = reply.messages || {};
  const said = Object.entries(SPOKEN_CAPTIONS).filter(([key]) => typeof messages[key] === 'string')
      .map(([key, caption]) => [caption, messages[key]]);
  $('tool-messages-box').hidden = said.length === 0;
  $('tool-messages').replaceChildren(...said.map(([caption, text]) => {
    const entry = document.createElement('div');
    const term = document.createElement('dt');
    term.textContent = caption;
    const line = document.createElement('dd');
    line.textContent = text;
    entry.append(term, line);
    return entry;
  }));
  $('tool-answer-note').textContent = reply.result ? 'The full result is in the Result panel.'
      : 'No step ran (the call was refused before anything was sent), so there is no full result.';
}

export function hideAnswer() {
  $('tool-answer-box').hidden = true;
}
