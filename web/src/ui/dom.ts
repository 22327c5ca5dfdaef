/** A small element builder: the shell has few screens, so no framework. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | boolean> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) {
      element.setAttribute(name, "");
    } else if (value !== false) {
      element.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child !== null) {
      element.append(child);
    }
  }
  return element;
}

/** An element whose id doubles as its test id (the browser test finds things by data-testid). */
export function tid(id: string): Record<string, string> {
  return { id, "data-testid": id };
}

/**
 * Runs a button's action: controls disabled and marked busy while it runs, its error shown in
 * `alert`; what the player typed is never touched.
 */
export async function busy(
  container: HTMLElement,
  alert: HTMLElement,
  action: () => Promise<void>,
  describe: (error: unknown) => string,
): Promise<void> {
  const controls = [...container.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>("button, input, select")];
  const wasDisabled = controls.map((control) => control.disabled);
  controls.forEach((control) => (control.disabled = true));
  container.setAttribute("aria-busy", "true");
  alert.textContent = "";
  alert.hidden = true;
  try {
    await action();
  } catch (error) {
    alert.textContent = describe(error);
    alert.hidden = false;
  } finally {
    container.removeAttribute("aria-busy");
    controls.forEach((control, i) => (control.disabled = wasDisabled[i] ?? false));
  }
}
