/** The Profile view (issue 9). */
export function ProfileView() {
  return (
    <section aria-labelledby="profile-title">
      <div className="screen-head">
        <h1 id="profile-title">Profile</h1>
      </div>
    </section>
  );
}
