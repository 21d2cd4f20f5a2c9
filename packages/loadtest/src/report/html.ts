export function renderHtml(_d: unknown): string {
  return '';
}
