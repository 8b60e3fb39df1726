/** The name of a webhook's place in the domain log (in the store's cursors). */
export function webhookCursor(webhookId: string): string {
  return `webhook:${webhookId}`;
}
