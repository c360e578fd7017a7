/**
 * The page shell: no inline script or style (the CSP forbids both); the CSRF token travels in a meta tag only
 * when actions are allowed. Relative URLs, so the page works under any mount prefix.
 */
export function pageHtml(options: { readonly csrf: string | undefined; readonly actions: boolean }): string {
  const meta =
    options.csrf === undefined
      ? ''
      : `<meta name="dive-csrf" content="${options.csrf.replace(/[^A-Za-z0-9_-]/g, '')}">`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="dive-actions" content="${options.actions ? 'on' : 'off'}">
${meta}
<title>DIVE dashboard</title>
<link rel="stylesheet" href="./assets/app.css">
</head>
<body>
<div id="app"><noscript>The DIVE dashboard needs JavaScript.</noscript></div>
<script src="./assets/app.js" defer></script>
</body>
</html>
`;
}
