/** One template per page; each renders inside the layout. */
export const PAGES = {
  signIn: `<div class="narrow">
<h1>{{t "signIn.title"}}</h1>
<p>{{t "signIn.intro"}}</p>
{{> form form}}
</div>`,

  password: `<div class="narrow">
<h1>{{t "password.title"}}</h1>
<p>{{t "password.intro"}}</p>
{{> form form}}
</div>`,

  dashboard: `<h1>{{t "dashboard.greeting" name=user.name}}</h1>
{{#if lead}}
<div class="grid">
  <section class="panel" aria-labelledby="running">
    <h2 id="running">{{t "dashboard.lead.running"}}</h2>
    {{#if lead.noPerson}}<p class="muted">{{t "dashboard.lead.noPerson"}}</p>{{/if}}
    {{#if lead.running.length}}<ul class="items">{{#each lead.running}}<li><a href="{{href}}">{{title}}</a>{{#if deadline}} <span class="muted">{{t "common.due" date=(date deadline)}}</span>{{/if}}</li>{{/each}}</ul>
    {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    <p><a class="button" href="/experiments/new">{{t "dashboard.lead.new"}}</a></p>
  </section>
  <section class="panel" aria-labelledby="due">
    <h2 id="due">{{t "dashboard.lead.due"}}</h2>
    {{#if lead.due.length}}<ul class="items">{{#each lead.due}}<li><a href="{{href}}">{{title}}</a> <span class="{{#if overdue}}overdue{{else}}muted{{/if}}">{{t "common.due" date=(date deadline)}}</span></li>{{/each}}</ul>
    {{else}}<p class="muted">{{t "dashboard.lead.noDue"}}</p>{{/if}}
  </section>
  <section class="panel" aria-labelledby="designed">
    <h2 id="designed">{{t "dashboard.lead.designed"}}</h2>
    {{#if lead.designed.length}}<ul class="items">{{#each lead.designed}}<li><a href="{{href}}">{{title}}</a></li>{{/each}}</ul>
    {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
  </section>
</div>
{{/if}}
{{#if partner}}
<div class="grid">
  <section class="panel" aria-labelledby="collaborations">
    <h2 id="collaborations">{{t "dashboard.partner.collaborations"}}</h2>
    {{#if partner.collaborations.length}}<ul class="items">{{#each partner.collaborations}}<li><a href="{{href}}">{{title}}</a> <span class="tag">{{t (concat "status." status)}}</span></li>{{/each}}</ul>
    {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
  </section>
  <section class="panel" aria-labelledby="partner-experiments">
    <h2 id="partner-experiments">{{t "dashboard.partner.experiments"}}</h2>
    {{#if partner.experiments.length}}<ul class="items">{{#each partner.experiments}}<li><a href="{{href}}">{{title}}</a> <span class="tag">{{t (concat "experiment.status." status)}}</span></li>{{/each}}</ul>
    {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
  </section>
</div>
{{/if}}
{{#if staff}}
<div class="grid">
  <section class="panel wide" aria-labelledby="recent-learnings">
    <h2 id="recent-learnings">{{t "dashboard.staff.learnings"}}</h2>
    {{#each staff.learnings}}{{> learningCard}}{{else}}<p class="muted">{{t "common.none"}}</p>{{/each}}
    <p><a href="/learnings">{{t "dashboard.staff.allLearnings"}}</a></p>
  </section>
  <section class="panel" aria-labelledby="health">
    <h2 id="health">{{t "dashboard.staff.health"}}</h2>
    <p class="{{#if staff.healthy}}ok{{else}}overdue{{/if}}">{{#if staff.healthy}}{{t "health.ok"}}{{else}}{{t "health.degraded"}}{{/if}}</p>
    <p class="muted">{{t "dashboard.staff.store" kind=staff.store.kind position=staff.store.lastPosition}}</p>
    <div class="table-wrap"><table>
      <thead><tr><th scope="col">{{t "health.name"}}</th><th scope="col">{{t "health.state"}}</th><th scope="col">{{t "health.lag"}}</th></tr></thead>
      <tbody>{{#each staff.projections}}<tr><td>{{name}}</td><td><span class="tag{{#unless (eq state "running")}} warn{{/unless}}">{{state}}</span></td><td>{{lag}}</td></tr>{{/each}}</tbody>
    </table></div>
  </section>
</div>
{{/if}}`,

  list: `<h1>{{heading}}</h1>
<form method="get" action="{{path}}" class="filters" role="search">
  <label>{{t "common.search"}} <input type="search" name="q" value="{{q}}"></label>
  {{#if statuses}}<label>{{t "common.status"}} <select name="status"><option value="">{{t "common.any"}}</option>{{#each statuses}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select></label>{{/if}}
  <button type="submit">{{t "common.filter"}}</button>
</form>
{{#if actions.length}}<p class="actions-row">{{#each actions}}<a class="button{{#unless @first}} secondary{{/unless}}" href="{{href}}">{{label}}</a>{{/each}}</p>{{/if}}
{{#if items.length}}
<ul class="items big">{{#each items}}<li><a href="{{href}}">{{title}}</a>{{#if status}} <span class="tag">{{status}}</span>{{/if}}{{#each themes}} <span class="tag theme">{{this}}</span>{{/each}}{{#if meta}} <span class="muted">{{meta}}</span>{{/if}}</li>{{/each}}</ul>
{{else}}<p class="muted">{{t "common.empty"}}</p>{{/if}}
{{> pager}}`,

  formPage: `<div class="narrow">
<h1>{{heading}}</h1>
{{> form form}}
</div>`,

  experiment: `<p class="crumbs"><a href="/experiments">{{t "experiment.list"}}</a></p>
<div class="title-row">
  <h1>{{e.title}}</h1>
  <span class="status status-{{e.status}}">{{t (concat "experiment.status." e.status)}}</span>
</div>
<p class="muted">{{t "common.version" version=e.version}}{{#if lead.name}} · {{t "experiment.lead"}}: {{lead.name}}{{/if}}{{#if e.deadline}} · {{t "experiment.deadline"}}: {{date e.deadline}}{{/if}}{{#if collaborationHref}} · <a href="{{collaborationHref}}">{{t "collaboration.list"}}</a>{{/if}}{{#if networkHref}} · <a href="{{networkHref}}">{{t "nav.networks"}}</a>{{/if}}</p>
{{> timeTravel}}
{{> formMessage}}
<div class="columns">
  <div>
    <section class="card test-card" aria-labelledby="test-card">
      <h2 id="test-card">{{t "experiment.testCard"}}</h2>
      <dl>
        <dt>{{t "experiment.hypothesis"}}</dt><dd>{{e.hypothesis}}</dd>
        <dt>{{t "experiment.test"}}</dt><dd>{{e.test}}</dd>
        <dt>{{t "experiment.metric"}}</dt><dd>{{e.metric}}</dd>
        <dt>{{t "experiment.successCriteria"}}</dt><dd>{{e.successCriteria}}</dd>
        {{#if e.themes.length}}<dt>{{t "common.themes"}}</dt><dd>{{#each e.themes}}<span class="tag theme">{{this}}</span> {{/each}}</dd>{{/if}}
        {{#if e.outcome}}<dt>{{t "experiment.outcome"}}</dt><dd>{{t (concat "outcome." e.outcome)}} — {{e.summary}}</dd>{{/if}}
        {{#if e.abandonReason}}<dt>{{t "common.reason"}}</dt><dd>{{e.abandonReason}}</dd>{{/if}}
      </dl>
    </section>
    <section aria-labelledby="steps">
      <h2 id="steps">{{t "experiment.steps"}}</h2>
      {{#if steps.length}}<ol class="steps">{{#each steps}}<li class="{{#if retracted}}retracted{{/if}}"><time datetime="{{occurredAt}}">{{date occurredAt}}</time> {{description}}{{#if evidenceUrl}} (<a href="{{evidenceUrl}}" rel="noopener noreferrer">{{t "experiment.evidence"}}</a>){{/if}}{{#if retracted}} <span class="muted">{{t "common.retractedBecause" reason=retractionReason}}</span>{{/if}}{{#if retractForm}}{{> form retractForm}}{{/if}}</li>{{/each}}</ol>
      {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    <section aria-labelledby="measurements">
      <h2 id="measurements">{{t "experiment.measurements"}}</h2>
      {{#if e.measurements.length}}<ul class="items">{{#each e.measurements}}<li><time datetime="{{occurredAt}}">{{date occurredAt}}</time> <strong>{{num value}}</strong> {{unit}}{{#if note}} — {{note}}{{/if}}</li>{{/each}}</ul>
      {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    <section aria-labelledby="learning-cards">
      <h2 id="learning-cards">{{t "experiment.learningCards"}}</h2>
      {{#each learnings}}{{> learningCard}}{{else}}<p class="muted">{{t "common.none"}}</p>{{/each}}
    </section>
    {{> timeline}}
  </div>
  <aside aria-labelledby="actions">
    <h2 id="actions">{{t "experiment.actions"}}</h2>
    {{#if forms.length}}{{#each forms}}{{> form}}{{/each}}{{else}}<p class="muted">{{t "experiment.readOnly"}}</p>{{/if}}
  </aside>
</div>`,

  collaboration: `<p class="crumbs"><a href="/collaborations">{{t "collaboration.list"}}</a></p>
<div class="title-row"><h1>{{c.title}}</h1><span class="status">{{t (concat "status." c.status)}}</span></div>
<p class="muted">{{t "common.version" version=c.version}}{{#if c.agreedOn}} · {{t "collaboration.agreedOn"}} {{date c.agreedOn}}{{/if}} · <a href="{{reportHref}}">{{t "collaboration.report"}}</a></p>
{{> timeTravel}}
{{> formMessage}}
<div class="columns">
  <div>
    {{#if c.description}}<p>{{c.description}}</p>{{/if}}
    {{#if c.themes.length}}<p>{{#each c.themes}}<span class="tag theme">{{this}}</span> {{/each}}</p>{{/if}}
    {{#if c.summary}}<p><strong>{{t "field.summary"}}:</strong> {{c.summary}}</p>{{/if}}
    <section aria-labelledby="initiatives"><h2 id="initiatives">{{t "collaboration.initiatives"}}</h2>
      {{#if initiatives.length}}<ul class="items">{{#each initiatives}}<li><strong>{{name}}</strong>{{#if programme}} ({{programme}}){{/if}} <span class="tag confidence-{{confidence}}">{{t (concat "initiative." confidence)}}</span>{{#if dropReason}} <span class="muted">{{dropReason}}</span>{{/if}}{{> itemForms}}</li>{{/each}}</ul>
      {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    <section aria-labelledby="activities"><h2 id="activities">{{t "collaboration.activities"}}</h2>
      {{#if activities.length}}<ul class="items">{{#each activities}}<li>{{title}} <span class="tag">{{t (concat "status." status)}}</span>{{#if plannedFor}} <span class="muted">{{t "collaboration.plannedFor" period=plannedFor}}</span>{{/if}}{{#if outcome}} — {{outcome}}{{/if}}{{> itemForms}}</li>{{/each}}</ul>
      {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    <section aria-labelledby="learnings"><h2 id="learnings">{{t "common.learnings"}}</h2>
      {{#each learnings}}{{> learningCard}}{{else}}<p class="muted">{{t "common.none"}}</p>{{/each}}
    </section>
    {{> timeline}}
  </div>
  <aside>
    {{> actions}}
    <h2>{{t "collaboration.parties"}}</h2>
    <ul class="items">{{#each parties}}<li>{{name}}{{#if role}} <span class="muted">{{role}}</span>{{/if}}</li>{{/each}}</ul>
    {{> milestones}}
    <h2>{{t "common.experiments"}}</h2>
    {{#if experiments.length}}<ul class="items">{{#each experiments}}<li><a href="{{href}}">{{title}}</a></li>{{/each}}</ul>{{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
  </aside>
</div>`,

  network: `<p class="crumbs"><a href="/networks">{{t "network.list"}}</a></p>
<h1>{{n.name}}</h1>
<p class="muted">{{t "common.version" version=n.version}} · {{t (concat "networkKind." n.kind)}}{{#if n.area}} · {{n.area}}{{/if}}{{#if leadName}} · {{t "network.ledBy"}} {{leadName}}{{/if}}</p>
{{> timeTravel}}
{{> formMessage}}
<div class="columns">
  <div>
    {{#if n.purpose}}<p>{{n.purpose}}</p>{{/if}}
    <section aria-labelledby="growth"><h2 id="growth">{{t "network.growth"}}</h2>
      {{#if n.headcount}}<p>{{t "network.headcount" partners=n.headcount.partners members=n.headcount.members}}</p>{{/if}}
      <figure class="chart"><img src="{{chartSrc}}" alt="{{t "network.growthAlt" name=n.name}}" width="640" height="320"></figure>
    </section>
    <section aria-labelledby="learnings"><h2 id="learnings">{{t "common.learnings"}}</h2>
      {{#each learnings}}{{> learningCard}}{{else}}<p class="muted">{{t "common.none"}}</p>{{/each}}
    </section>
    {{> timeline}}
  </div>
  <aside>
    {{> actions}}
    <section aria-labelledby="partners"><h2 id="partners">{{t "network.partners"}}</h2>
    {{#if partners.length}}<ul class="items">{{#each partners}}<li>{{name}}{{> itemForms}}</li>{{/each}}</ul>{{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    <section aria-labelledby="members"><h2 id="members">{{t "network.members"}}</h2>
    {{#if members.length}}<ul class="items">{{#each members}}<li><a href="{{href}}">{{name}}</a>{{> itemForms}}</li>{{/each}}</ul>{{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
    </section>
    {{> milestones}}
    {{#if n.methodAdoptions.length}}<h2>{{t "network.adoptions"}}</h2><ul class="items">{{#each n.methodAdoptions}}<li>{{city}} <span class="tag">{{t (concat "stage." stage)}}</span></li>{{/each}}</ul>{{/if}}
  </aside>
</div>`,

  person: `<p class="crumbs"><a href="/people">{{t "person.list"}}</a></p>
<h1>{{#if p.name}}{{p.name}}{{else}}—{{/if}}</h1>
<p class="muted">{{t "common.version" version=p.version}}</p>
{{> timeTravel}}
{{#if p.forgotten}}<p class="banner">{{t "person.forgotten"}}</p>{{/if}}
{{#if p.background}}<section><h2>{{t "person.background"}}</h2><p>{{p.background}}</p></section>{{/if}}
<section aria-labelledby="roles"><h2 id="roles">{{t "person.roles"}}</h2>
  {{#if roles.length}}<ul class="items">{{#each roles}}<li><strong>{{title}}</strong>, {{organisation}}{{#if responsibility}} — {{responsibility}}{{/if}} <span class="muted">{{#if from}}{{t "person.since" date=(date from)}}{{/if}} {{#if to}}{{t "person.until" date=(date to)}}{{/if}}</span></li>{{/each}}</ul>
  {{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
</section>
{{> timeline}}`,

  gathering: `<p class="crumbs"><a href="/gatherings">{{t "gathering.list"}}</a></p>
<h1>{{g.title}}</h1>
<p class="muted">{{t "common.version" version=g.version}} · {{t (concat "gatheringKind." g.kind)}} · {{t "gathering.heldOn"}} {{date g.heldOn}}{{#if g.participantCount}} · {{t "gathering.participants"}}: {{g.participantCount}}{{/if}}</p>
{{> timeTravel}}
{{> formMessage}}
<div class="columns">
  <div>
    {{#if g.purpose}}<p>{{g.purpose}}</p>{{/if}}
    <section aria-labelledby="insights"><h2 id="insights">{{t "gathering.insights"}}</h2>
      {{#each insights}}{{> learningCard}}{{else}}<p class="muted">{{t "common.none"}}</p>{{/each}}
    </section>
    {{> timeline}}
  </div>
  <aside>{{> actions}}</aside>
</div>`,

  library: `<h1>{{t "library.title"}}</h1>
<form method="get" action="/learnings" class="filters" role="search">
  <label>{{t "library.q"}} <input type="search" name="q" value="{{filters.q}}"></label>
  <label>{{t "common.theme"}} <input type="text" name="theme" value="{{filters.theme}}"></label>
  <label>{{t "library.source"}} <select name="source"><option value="">{{t "common.any"}}</option>{{#each sources}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t "library.decision"}} <select name="decision"><option value="">{{t "common.any"}}</option>{{#each decisions}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select></label>
  <label>{{t "common.from"}} <input type="date" name="from" value="{{filters.from}}"></label>
  <label>{{t "common.to"}} <input type="date" name="to" value="{{filters.to}}"></label>
  <label class="check"><input type="checkbox" name="includeRetracted" value="true"{{#if filters.includeRetracted}} checked{{/if}}> {{t "library.includeRetracted"}}</label>
  <button type="submit">{{t "common.filter"}}</button>
</form>
{{#if error}}<p class="form-error" role="alert">{{error}}</p>{{/if}}
{{#each items}}{{> learningCard}}{{else}}<p class="muted">{{t "common.empty"}}</p>{{/each}}
{{> pager}}`,

  report: `<h1>{{t "report.title"}}</h1>
<p>{{t "report.intro"}}</p>
<form method="get" action="/reports" class="filters">
  <label>{{t "common.from"}} <input type="date" name="from" value="{{filters.from}}"></label>
  <label>{{t "common.to"}} <input type="date" name="to" value="{{filters.to}}"></label>
  <label>{{t "common.theme"}} <input type="text" name="theme" value="{{filters.theme}}"></label>
  {{#if collaborations.length}}<label>{{t "report.collaboration"}} <select name="collaborationId">{{#unless partner}}<option value="">{{t "common.any"}}</option>{{/unless}}{{#each collaborations}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}</select></label>{{/if}}
  <button type="submit" name="generate" value="1">{{t "report.generate"}}</button>
</form>
{{#if error}}<p class="form-error" role="alert">{{error}}</p>{{/if}}
{{#if downloads}}
<section aria-labelledby="downloads"><h2 id="downloads">{{t "report.downloads"}}</h2>
  <ul class="downloads">{{#each downloads}}<li><a class="button" href="{{href}}" download="{{filename}}">{{label}}</a></li>{{/each}}</ul>
</section>
<section aria-labelledby="preview"><h2 id="preview">{{t "report.preview"}}</h2>
  <iframe class="preview" src="{{previewSrc}}" title="{{t "report.preview"}}"></iframe>
</section>
{{/if}}`,

  audit: `<h1>{{t "audit.title"}}</h1>
<p>{{t "audit.intro"}}</p>
<form method="get" action="/audit" class="filters">
  <label>{{t "audit.stream"}} <input type="text" name="stream" value="{{filters.stream}}"></label>
  <label>{{t "audit.type"}} <input type="text" name="type" value="{{filters.type}}"></label>
  <label>{{t "audit.actor"}} <input type="text" name="actor" value="{{filters.actor}}"></label>
  <label>{{t "common.from"}} <input type="date" name="from" value="{{filters.from}}"></label>
  <label>{{t "common.to"}} <input type="date" name="to" value="{{filters.to}}"></label>
  <button type="submit">{{t "common.filter"}}</button>
</form>
<div class="actions-row">
  <form method="get" action="/audit/verify" class="inline"><button type="submit">{{t "audit.verify"}}</button></form>
  <a class="button secondary" href="{{csvHref}}" download>{{t "audit.csv"}}</a>
  <a class="button secondary" href="{{exportHref}}" download>{{t "audit.signed"}}</a>
</div>
{{#if verification}}<p class="verification {{#if verification.ok}}ok{{else}}broken{{/if}}" role="status" id="verification">{{verification.message}}</p>{{/if}}
{{#if error}}<p class="form-error" role="alert">{{error}}</p>{{/if}}
<div class="table-wrap"><table class="audit">
  <thead><tr><th scope="col">{{t "audit.position"}}</th><th scope="col">{{t "audit.recordedAt"}}</th><th scope="col">{{t "audit.type"}}</th><th scope="col">{{t "audit.stream"}}</th><th scope="col">{{t "audit.actor"}}</th></tr></thead>
  <tbody>{{#each items}}<tr><td>{{position}}</td><td>{{datetime recordedAt}}</td><td>{{type}}</td><td><code>{{stream}}</code></td><td>{{t (concat "role." actor.role)}}</td></tr>{{else}}<tr><td colspan="5" class="muted">{{t "common.empty"}}</td></tr>{{/each}}</tbody>
</table></div>
{{> pager}}`,

  error: `<div class="narrow">
<h1>{{t "error.title"}}</h1>
<p>{{message}}</p>
<p><a href="/">{{t "error.back"}}</a></p>
</div>`,
} as const;

/** The name of a page template. */
export type PageName = keyof typeof PAGES;
