/** The Records view (issue 9). */
export function RecordsView() {
  return (
    <section aria-labelledby="records-title">
      <div className="screen-head">
        <h1 id="records-title">Records</h1>
      </div>
    </section>
  );
}
