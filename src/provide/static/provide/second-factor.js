// The second-factor pages: once django-otp-webauthn's script has registered a passkey, go on to
// the page the markup names (the new recovery codes, or the account page when there are none).
document.addEventListener("otp_webauthn.register_complete", () => {
  const holder = document.querySelector("[data-passkey-done-url]");
  if (holder) {
    window.location.assign(holder.dataset.passkeyDoneUrl);
  }
});
