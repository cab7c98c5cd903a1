// GOV.UK Frontend's body classes, set before the page is drawn (a file, not an inline script:
// the Content Security Policy allows only scripts from this site's files).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
