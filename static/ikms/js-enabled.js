/* Marks the page as scripted before it is painted, as GOV.UK Frontend expects (its components style themselves
   from `.js-enabled` and `.govuk-frontend-supported` on <body>). It is a file, not the inline snippet of the
   GOV.UK template, because the Content-Security-Policy allows scripts from 'self' only: it is loaded
   synchronously as the first element of <body>, so there is no flash of the no-JavaScript layout. */
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
