// Editable lists of rows (headers, query, body fields, captures): each row is a few labelled inputs and a
// Remove button, so every row is reachable and removable from the keyboard.

let nextId = 0;

export class RowList {
  /**
   * kinds: {kindName: [{key, label, options?, placeholder?}]}, the columns of each kind of row (a multipart
   * body has text fields and file parts); onChange runs after every edit, addition and removal.
   */
  constructor(container, kinds, onChange) {
    this.container = container;
    this.kinds = kinds;
    this.onChange = onChange;
  }

  add(values = {}, kind = Object.keys(this.kinds)[0]) {
    const row = document.createElement('div');
    row.className = 'row';
    row.dataset.kind = kind;
    for (const column of this.kinds[kind]) {
      const label = document.createElement('label');
      const caption = document.createElement('span');
      caption.textContent = column.label;
      const input = column.options ? select(column.options) : document.createElement('input');
      if (!column.options) {
        input.type = 'text';
        input.spellcheck = false;
        input.autocomplete = 'off';
        input.placeholder = column.placeholder || '';
      }
      input.id = `row-${nextId++}`;
      input.dataset.key = column.key;
      input.value = values[column.key] == null ? (column.options ? column.options[0] : '') : String(values[column.key]);
      input.addEventListener('input', this.onChange);
      input.addEventListener('change', this.onChange);
      label.append(caption, input);
      row.append(label);
    }
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove this ${kind === 'file' ? 'file part' : 'row'}`);
    remove.addEventListener('click', () => {
      row.remove();
      this.onChange();
    });
    row.append(remove);
    this.container.append(row);
    this.onChange();
    return row;
  }

  /** Each row as {kind, key: value...}; rows left entirely blank are skipped. */
  values() {
    return [...this.container.querySelectorAll('.row')].map(row => {
      const entry = {kind: row.dataset.kind};
      row.querySelectorAll('[data-key]').forEach(input => { entry[input.dataset.key] = input.value; });
      return entry;
    }).filter(entry => Object.entries(entry).some(([key, value]) => key !== 'kind' && value.trim() !== '' && !isChoice(this.kinds[entry.kind], key)));
  }

  clear() {
    this.container.replaceChildren();
  }
}

function select(options) {
  const element = document.createElement('select');
  for (const option of options) {
    const choice = document.createElement('option');
    choice.textContent = option;
    element.append(choice);
  }
  return element;
}

/** A select always has a value; it alone does not make a row worth sending. */
function isChoice(columns, key) {
  return columns.some(column => column.key === key && column.options);
}
