/** The Sessions view (issue 9). */
export function SessionsView() {
  return (
    <section aria-labelledby="sessions-title">
      <div className="screen-head">
        <h1 id="sessions-title">Sessions</h1>
      </div>
    </section>
  );
}
