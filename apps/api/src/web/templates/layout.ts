/** The document around every page: header with navigation, language switch and sign-out; main content. */
export const LAYOUT = `<!doctype html>
<html lang="{{#if (eq lang "nb")}}nb{{else}}en-GB{{/if}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{t "app.name"}}</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip" href="#main">{{t "app.skip"}}</a>
<header class="site">
  <div class="bar">
    <a class="brand" href="/">{{t "app.name"}}</a>
    <div class="tools">
      <nav class="languages" aria-label="{{t "nav.language"}}">
        {{#each languages}}<a href="{{href}}" lang="{{code}}" hreflang="{{code}}"{{#if current}} aria-current="true"{{/if}}>{{label}}</a>{{/each}}
      </nav>
      {{#if user}}
      <span class="who">{{t "nav.signedInAs" name=user.name role=user.role}}</span>
      <form method="post" action="/sign-out" class="inline">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" class="link">{{t "nav.signOut"}}</button>
      </form>
      {{/if}}
    </div>
  </div>
  {{#if nav.length}}
  <nav class="main-nav" aria-label="{{t "nav.main"}}">
    <ul>{{#each nav}}<li><a href="{{href}}"{{#if current}} aria-current="page"{{/if}}>{{label}}</a></li>{{/each}}</ul>
  </nav>
  {{/if}}
</header>
<main id="main" tabindex="-1">
{{#if notice}}<p class="notice" role="status">{{notice}}</p>{{/if}}
{{{body}}}
</main>
</body>
</html>
`;
