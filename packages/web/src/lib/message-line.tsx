/**
 * The line under a form or a page: an error (role "alert") or a confirmation (role "status").
 * Nothing is rendered without a text.
 */
export function MessageLine({ text, kind = 'error', testId }: { text: string | undefined; kind?: 'error' | 'ok'; testId?: string }) {
  if (!text) return null;
  return (
    <p className={kind === 'error' ? 'error-text' : 'ok-text'} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {text}
    </p>
  );
}
