// Shows a step result (docs/schema/step-result.schema.json). Every value from the function, and through it
// from the API, is set with textContent: nothing an API answers is ever read as HTML.
import {renderTree} from './tree.js';

const $ = id => document.getElementById(id);

export function showResult(mode, result, onPick) {
  $('result-empty').hidden = true;
  $('result').hidden = false;
  $('result-mode').textContent = mode;
  $('result-branch').textContent = result.branch;
  $('result-branch').dataset.branch = result.branch;
  $('result-status').textContent = result.status == null ? 'none received' : result.status;
  $('result-attempts').textContent = result.attempts;
  $('result-duration').textContent = `${result.durationMs} ms`;

  const error = result.error;
  $('result-error').hidden = !error;
  $('result-error-code').textContent = error ? error.code : '';
  $('result-error-reason').textContent = error && error.reason ? `(${error.reason})` : '';
  $('result-error-message').textContent = error ? `${error.message}${error.retryable ? ' Retryable.' : ''}` : '';

  const warnings = result.warnings || [];
  $('result-warnings-box').hidden = warnings.length === 0;
  $('result-warnings').replaceChildren(...warnings.map(warning => {
    const item = document.createElement('li');
    item.textContent = warning;
    return item;
  }));

  const request = result.request;
  $('result-request-box').hidden = !request;
  $('result-request').textContent = request ? message(`${request.method} ${request.url}`, request.headers, request.body) : '';
  $('result-curl').textContent = request && request.curl ? request.curl : '(left out of a result cut to size)';

  const response = result.response;
  $('result-response-box').hidden = !response;
  if (response) {
    $('result-response-status').textContent = response.status;
    $('result-response-headers').textContent = headerLines(response.headers);
    $('result-response-body').textContent = (response.body || '') + (response.bodyTruncated ? '\n… (cut at 64 Ki characters)' : '');
    renderTree($('response-tree'), response, onPick);
  }
  $('result-variables').textContent = JSON.stringify(result.variables, null, 2);
  $('result-changes').textContent = JSON.stringify(result.changes, null, 2);
}

/** No result to show (a tool call refused before its step ran): the result panel says why instead. */
export function showNoResult(why) {
  $('result').hidden = true;
  $('result-empty').hidden = false;
  $('result-empty').textContent = why;
}

function message(firstLine, headers, body) {
  const head = [firstLine, headerLines(headers)].filter(Boolean).join('\n');
  return body == null ? head : `${head}\n\n${body}`;
}

function headerLines(headers) {
  return (headers || []).map(header => `${header.name}: ${header.value}`).join('\n');
}
