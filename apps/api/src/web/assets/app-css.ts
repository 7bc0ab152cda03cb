/** The one stylesheet, served at /assets/app.css: calm, readable, usable at phone width. */
export const APP_CSS = `
:root {
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --card: #ffffff;
  --accent: #0b5cad; --accent-ink: #ffffff; --ok: #1a7f37; --warn: #9a6700; --bad: #b42318; --focus: #ffbf47;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 1rem; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.site { background: #12324f; color: #fff; }
header.site a, header.site .link { color: #fff; }
.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem; max-width: 72rem; margin: 0 auto; padding: .75rem 1rem; }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.tools { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; font-size: .9rem; }
.languages a { margin-right: .5rem; text-decoration: none; padding: .1rem .35rem; border-radius: .25rem; }
.languages a[aria-current] { background: rgba(255,255,255,.2); font-weight: 600; }
.who { opacity: .9; }
.main-nav { background: #0e2940; }
.main-nav ul { list-style: none; margin: 0 auto; padding: 0 1rem; max-width: 72rem; display: flex; flex-wrap: wrap; gap: 0 .25rem; }
.main-nav a { display: inline-block; padding: .55rem .6rem; text-decoration: none; color: #dbe7f3; border-bottom: 3px solid transparent; }
.main-nav a[aria-current="page"] { color: #fff; border-bottom-color: var(--focus); }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
main:focus { outline: none; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: .25rem 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.narrow { max-width: 32rem; }
.muted { color: var(--muted); }
.crumbs { margin: 0; font-size: .9rem; }
.title-row { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
.status, .tag { display: inline-block; padding: .05rem .5rem; border-radius: 999px; border: 1px solid var(--line); background: #eef2f6; font-size: .8rem; color: var(--ink); }
.tag.theme { background: #eef6ff; border-color: #b6d4f5; }
.tag.ok, .confidence-confirmed { background: #e6f4ea; border-color: #9fd4ae; }
.confidence-tentative, .tag.warn { background: #fff4d6; border-color: #e5c66b; }
.confidence-dropped { text-decoration: line-through; }
.status-running { background: #e6f4ea; border-color: #9fd4ae; }
.status-concluded { background: #eef2f6; }
.status-abandoned { background: #fde8e6; border-color: #f1aaa2; }
.notice { background: #e6f4ea; border: 1px solid #9fd4ae; padding: .6rem .9rem; border-radius: .4rem; }
.banner { background: #fff4d6; border: 1px solid #e5c66b; padding: .6rem .9rem; border-radius: .4rem; }
.form-error { background: #fde8e6; border: 1px solid #f1aaa2; color: #7a1a10; padding: .6rem .9rem; border-radius: .4rem; }
.ok { color: var(--ok); } .overdue { color: var(--bad); }
.verification { padding: .6rem .9rem; border-radius: .4rem; border: 1px solid; }
.verification.ok { background: #e6f4ea; border-color: #9fd4ae; color: #14532d; }
.verification.broken { background: #fde8e6; border-color: #f1aaa2; color: #7a1a10; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
.panel, .card { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.1rem; }
.panel h2, .card h2 { margin-top: 0; }
.panel.wide { grid-column: span 2; }
.columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
.card { margin: 0 0 .75rem; }
.card.retracted, li.retracted { opacity: .7; }
li.retracted > :not(.form-panel) { text-decoration: line-through; }
.card p { margin: .25rem 0; }
.meta { display: flex; flex-wrap: wrap; gap: .35rem; align-items: center; font-size: .85rem; color: var(--muted); }
dl { margin: 0; } dt { font-weight: 600; margin-top: .6rem; color: var(--muted); font-size: .9rem; } dd { margin: .1rem 0 0; }
ul.items, ol.steps, ol.timeline { padding-left: 1.1rem; margin: .25rem 0; }
ul.items li, ol.steps li { margin: .3rem 0; }
ul.items.big li { margin: .5rem 0; }
ol.timeline { list-style: none; padding: 0; border-left: 2px solid var(--line); }
ol.timeline li { position: relative; padding: .3rem 0 .3rem 1rem; }
ol.timeline li::before { content: ""; position: absolute; left: -6px; top: .8rem; width: 10px; height: 10px; border-radius: 50%; background: var(--accent); }
ol.timeline time { font-weight: 600; margin-right: .35rem; }
ol.timeline .actor { color: var(--muted); font-size: .8rem; }
.form-panel { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; margin: 0 0 .75rem; }
details.form-panel > summary { cursor: pointer; padding: .65rem 1rem; font-weight: 600; }
details.form-panel[open] > summary { border-bottom: 1px solid var(--line); }
.form-panel form { padding: .75rem 1rem 1rem; }
section.form-panel { padding: 1rem; } section.form-panel form { padding: 0; }
li .form-panel { margin-top: .35rem; font-size: .9rem; }
.field { margin: 0 0 .85rem; }
.field label { display: block; font-weight: 600; margin-bottom: .2rem; }
.optional { font-weight: 400; color: var(--muted); font-size: .85rem; }
.hint { margin: 0 0 .25rem; color: var(--muted); font-size: .85rem; }
input[type=text], input[type=email], input[type=password], input[type=url], input[type=number], input[type=date], input[type=search], select, textarea {
  width: 100%; font: inherit; padding: .45rem .55rem; border: 1px solid #8c959f; border-radius: .35rem; background: #fff; color: var(--ink);
}
textarea { resize: vertical; }
.field.invalid input, .field.invalid textarea, .field.invalid select { border-color: var(--bad); border-width: 2px; }
.field-error { color: var(--bad); margin: .25rem 0 0; font-size: .9rem; font-weight: 600; }
button, .button { display: inline-block; font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: .35rem; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; }
button:hover, .button:hover { background: #094a8c; }
.button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button.link { background: none; border: none; padding: 0; font-weight: 400; text-decoration: underline; }
form.inline { display: inline; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; margin: .5rem 0 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .85rem; font-weight: 600; min-width: 10rem; flex: 1 1 10rem; }
.filters label.check { flex-direction: row; align-items: center; gap: .4rem; min-width: auto; flex: 0 0 auto; }
.time-travel fieldset { border: 1px solid var(--line); border-radius: .5rem; background: var(--card); padding: .5rem 1rem .75rem; margin: .75rem 0; }
.time-travel legend { font-weight: 600; padding: 0 .25rem; }
.time-travel .row { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; }
.time-travel label { display: flex; flex-direction: column; font-size: .85rem; }
.actions-row { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: var(--card); font-size: .9rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef2f6; }
code { font-size: .8rem; word-break: break-all; }
table.audit td, table.audit th { white-space: nowrap; }
table.audit code { word-break: normal; }
.chart img { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--line); border-radius: .5rem; }
.chart { margin: 0; }
.downloads { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
iframe.preview { width: 100%; min-height: 28rem; border: 1px solid var(--line); border-radius: .5rem; background: #fff; }
.pager { margin-top: 1rem; }
@media (max-width: 48rem) {
  .columns { grid-template-columns: 1fr; }
  .columns > aside { order: -1; }
  .panel.wide { grid-column: auto; }
  h1 { font-size: 1.4rem; }
  .who { display: none; }
}
`;
