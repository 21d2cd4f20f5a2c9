// Calendar and Deck are still to come; their place in the switcher is kept so the shell reads as the whole workspace.

/** A placeholder saying what the app will embed. */
export function placeholderApp(name: string, plan: string): HTMLElement {
  const app = document.createElement('section');
  app.className = 'placeholder-app';
  const title = document.createElement('h2');
  title.textContent = name;
  const text = document.createElement('p');
  text.textContent = plan;
  app.append(title, text);
  return app;
}
