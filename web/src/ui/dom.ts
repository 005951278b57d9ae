// A tiny hyperscript helper. Text is always set as text (never innerHTML), so data from the
// server cannot inject markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | Handler | null | undefined>;

const PROPERTIES = new Set(["value", "checked", "indeterminate"]);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (typeof value === "function") {
        element.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
      } else if (PROPERTIES.has(name)) {
        (element as unknown as Record<string, unknown>)[name] = value;
      } else {
        element.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

const announcer = () => document.getElementById("announcer");

/** Tell screen-reader users about a change that has no focus move of its own. */
export function announce(message: string): void {
  const region = announcer();
  if (!region) return;
  region.textContent = "";
  // A separate task so that the same message twice is still read.
  window.setTimeout(() => {
    region.textContent = message;
  }, 30);
}
