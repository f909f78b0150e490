/** The Overlaps view (issue 9). */
export function OverlapsView() {
  return (
    <section aria-labelledby="overlaps-title">
      <div className="screen-head">
        <h1 id="overlaps-title">Overlaps</h1>
      </div>
    </section>
  );
}
