/** The Import view (issue 9). */
export function ImportView() {
  return (
    <section aria-labelledby="import-title">
      <div className="screen-head">
        <h1 id="import-title">Import</h1>
      </div>
    </section>
  );
}
