/** The Export view (issue 9). */
export function ExportView() {
  return (
    <section aria-labelledby="export-title">
      <div className="screen-head">
        <h1 id="export-title">Export</h1>
      </div>
    </section>
  );
}
