// The response body as a tree of capture paths. Its shape is test mode's path list (response.paths: what
// the function itself reads from a JSON or XML body), so every path offered is one a capture resolves; the
// values shown beside the leaves come from reading the body here. Everything is built as DOM nodes with
// textContent: a hostile body is shown as text, never parsed as HTML.

const SEGMENT = /\.([^.[\]]+)|\[(\d+)\]/y;

/** Renders the tree into container; onPick(path, suggestedVariable) runs when a value is chosen. */
export function renderTree(container, response, onPick) {
  container.replaceChildren();
  const root = trie(response.paths || []);
  if (!root) {
    container.append(note('No JSON or XML tree in this body.'));
    return;
  }
  const source = readBody(response.body || '');
  const list = document.createElement('ul');
  list.className = 'tree-level';
  if (root.children.size) {
    for (const child of root.children.values()) list.append(item(child, source, onPick));
  } else {
    list.append(item(root, source, onPick));
  }
  container.append(list);
}

/** The paths as a tree of {label, path, segments, children}; null when there is none. */
function trie(paths) {
  let root = null;
  for (const path of paths) {
    const segments = parse(path);
    if (!segments) continue;
    if (!root) root = {label: 'response', path: 'response', segments: [], children: new Map()};
    let node = root;
    segments.forEach((segment, depth) => {
      const key = typeof segment === 'number' ? `[${segment}]` : segment;
      if (!node.children.has(key)) {
        const parentPath = node.path;
        node.children.set(key, {label: key, path: typeof segment === 'number' ? `${parentPath}[${segment}]` : `${parentPath}.${segment}`,
          segments: segments.slice(0, depth + 1), children: new Map()});
      }
      node = node.children.get(key);
    });
  }
  return root;
}

/** "response.a[0].b" as ["a", 0, "b"]; null for anything else. */
function parse(path) {
  if (!path.startsWith('response')) return null;
  const segments = [];
  SEGMENT.lastIndex = 'response'.length;
  while (SEGMENT.lastIndex < path.length) {
    const match = SEGMENT.exec(path);
    if (!match) return null;
    segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
  }
  return segments;
}

function item(node, source, onPick) {
  const entry = document.createElement('li');
  if (node.children.size === 0) {
    const key = document.createElement('span');
    key.className = 'key';
    key.textContent = node.label;
    const value = display(lookup(source, node.segments));
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'leaf';
    pick.dataset.path = node.path;
    pick.textContent = value;
    pick.title = `Capture ${node.path}`;
    pick.setAttribute('aria-label', `Capture ${node.path} (${value})`);
    pick.addEventListener('click', () => onPick(node.path, variableName(node)));
    entry.append(key, pick);
    return entry;
  }
  const branch = document.createElement('details');
  branch.open = true;
  const summary = document.createElement('summary');
  const key = document.createElement('span');
  key.className = 'key';
  key.textContent = node.label;
  summary.append(key);
  const children = document.createElement('ul');
  children.className = 'tree-level';
  for (const child of node.children.values()) children.append(item(child, source, onPick));
  branch.append(summary, children);
  entry.append(branch);
  return entry;
}

/** A variable name from the nearest named segment: "@sku" gives "sku", "order-status" gives "order_status". */
function variableName(node) {
  const named = [...node.segments].reverse().find(segment => typeof segment === 'string' && segment !== '#text');
  const name = (named || 'value').replace(/^@/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return name || 'value';
}

function lookup(source, segments) {
  let value = source;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !(segment in value)) return undefined;
    value = value[segment];
  }
  return value;
}

/** As JSON writes it, so a string "12" and a number 12 look different; a value not read here shows as "…". */
function display(value) {
  return value === undefined ? '…' : JSON.stringify(value);
}

/** The body as JSON, else as XML read the way the function reads it (capture/XmlBody), else undefined. */
function readBody(body) {
  try {
    return JSON.parse(body);
  } catch {
    // not JSON: maybe XML
  }
  const document = new DOMParser().parseFromString(body, 'application/xml');
  if (document.getElementsByTagName('parsererror').length || !document.documentElement) return undefined;
  return {[document.documentElement.nodeName]: xmlValue(document.documentElement)};
}

/** Attributes as "@name", child elements (repeated ones as an array), text as "#text"; text alone is the value. */
function xmlValue(element) {
  const object = Object.create(null); // an element may be named __proto__
  const repeated = new Set();
  let structured = false;
  let text = '';
  for (const attribute of element.attributes) {
    if (attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) continue;
    object[`@${attribute.name}`] = attribute.value;
    structured = true;
  }
  for (const child of element.childNodes) {
    if (child.nodeType === Node.ELEMENT_NODE) {
      structured = true;
      const value = xmlValue(child);
      if (!(child.nodeName in object)) {
        object[child.nodeName] = value;
      } else if (repeated.has(child.nodeName)) {
        object[child.nodeName].push(value);
      } else {
        object[child.nodeName] = [object[child.nodeName], value];
        repeated.add(child.nodeName);
      }
    } else if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.CDATA_SECTION_NODE) {
      text += child.nodeValue;
    }
  }
  if (!structured) return text;
  if (text.trim()) object['#text'] = text.trim();
  return object;
}

function note(text) {
  const paragraph = document.createElement('p');
  paragraph.className = 'hint';
  paragraph.textContent = text;
  return paragraph;
}
