/**
 * A view's current error, announced as soon as it appears (role="alert"); nothing while there is
 * none. Errors reach the views as plain messages (lib/errors.ts `errorMessage`).
 */
export function ErrorAlert({ message }: { message: string | null | undefined }) {
  return message ? (
    <p role="alert" className="alert">
      {message}
    </p>
  ) : null;
}
