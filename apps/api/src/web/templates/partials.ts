/** Reusable pieces of pages (Handlebars partials). */
export const PARTIALS: Record<string, string> = {
  /** A form from a FormView (see forms/form-view.ts): labelled fields, errors next to them, hidden version and keys. */
  form: `{{#if collapsible}}<details class="form-panel" id="{{id}}"{{#if open}} open{{/if}}><summary>{{title}}</summary>{{else}}<section class="form-panel" id="{{id}}">{{#if title}}<h2>{{title}}</h2>{{/if}}{{/if}}
<form method="post" action="{{action}}" novalidate>
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#each hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/each}}
  {{#if message}}<p class="form-error" role="alert" id="{{id}}-message">{{message}}</p>{{/if}}
  {{#each fields}}
  <div class="field{{#if error}} invalid{{/if}}">
    <label for="{{id}}">{{label}}{{#unless required}} <span class="optional">({{t "common.optional"}})</span>{{/unless}}</label>
    {{#if hint}}<p class="hint" id="{{id}}-hint">{{hint}}</p>{{/if}}
    {{#if (eq type "textarea")}}<textarea id="{{id}}" name="{{name}}" rows="3"{{#if required}} required{{/if}}{{#if error}} aria-invalid="true"{{/if}} aria-describedby="{{#if hint}}{{id}}-hint {{/if}}{{#if error}}{{id}}-error{{/if}}">{{value}}</textarea>
    {{else if (eq type "select")}}<select id="{{id}}" name="{{name}}"{{#if required}} required{{/if}}{{#if error}} aria-invalid="true"{{/if}} aria-describedby="{{#if hint}}{{id}}-hint {{/if}}{{#if error}}{{id}}-error{{/if}}">
      {{#each options}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{label}}</option>{{/each}}
    </select>
    {{else}}<input id="{{id}}" name="{{name}}" type="{{type}}" value="{{value}}"{{#if autocomplete}} autocomplete="{{autocomplete}}"{{/if}}{{#if (eq type "number")}} step="any" inputmode="decimal"{{/if}}{{#if required}} required{{/if}}{{#if error}} aria-invalid="true"{{/if}} aria-describedby="{{#if hint}}{{id}}-hint {{/if}}{{#if error}}{{id}}-error{{/if}}">{{/if}}
    {{#if error}}<p class="field-error" id="{{id}}-error">{{error}}</p>{{/if}}
  </div>
  {{/each}}
  <button type="submit"{{#if danger}} class="danger"{{/if}}>{{submit}}</button>
</form>
{{#if collapsible}}</details>{{else}}</section>{{/if}}`,

  timeline: `<section class="timeline-section" aria-labelledby="timeline-heading">
<h2 id="timeline-heading">{{t "common.timeline"}}</h2>
{{#if timeline.length}}
<ol class="timeline">
  {{#each timeline}}<li><time datetime="{{occurredAt}}">{{date occurredAt}}</time> <span class="sentence">{{summary}}</span> <span class="actor">{{t (concat "role." actor.role)}}</span></li>{{/each}}
</ol>
{{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
</section>`,

  timeTravel: `<form method="get" action="{{path}}" class="time-travel">
  <fieldset>
    <legend>{{t "timeTravel.legend"}}</legend>
    <div class="row">
      <label>{{t "timeTravel.asOf"}} <input type="date" name="asOf" value="{{travel.asOf}}"></label>
      <label>{{t "timeTravel.knownAt"}} <input type="date" name="knownAt" value="{{travel.knownAt}}"></label>
      <button type="submit">{{t "timeTravel.show"}}</button>
      {{#if travel.active}}<a href="{{path}}">{{t "timeTravel.now"}}</a>{{/if}}
    </div>
  </fieldset>
</form>
{{#if travel.active}}<p class="banner" role="status">{{travel.banner}}</p>{{/if}}`,

  learningCard: `<article class="card learning{{#if retracted}} retracted{{/if}}">
  <p><strong>{{t "field.observation"}}</strong> {{observation}}</p>
  {{#if learning}}<p><strong>{{t "field.learning"}}</strong> {{learning}}</p>{{/if}}
  <p class="meta">
    {{#if decision}}<span class="tag">{{t (concat "decision." decision)}}</span>{{/if}}
    {{#if reliability}}<span class="tag">{{t "field.reliability"}}: {{t (concat "reliability." reliability)}}</span>{{/if}}
    {{#each themes}}<span class="tag theme">{{this}}</span>{{/each}}
    <time datetime="{{occurredAt}}">{{date occurredAt}}</time>
    {{#if sourceHref}}<a href="{{sourceHref}}">{{t "library.from" source=sourceTitle}}</a>{{/if}}
  </p>
  {{#if retracted}}<p class="muted">{{t "common.retractedBecause" reason=retractionReason}}</p>{{/if}}
  {{#if retractForm}}{{> form retractForm}}{{/if}}
</article>`,

  /** The forms of a page that changes an entity (shown only to those who may). */
  actions: `{{#if forms.length}}<section aria-labelledby="actions"><h2 id="actions">{{t "experiment.actions"}}</h2>{{#each forms}}{{> form}}{{/each}}</section>{{/if}}`,

  /** The forms on one list item (start an activity, confirm an initiative, …). */
  itemForms: `{{#each forms}}{{> form}}{{/each}}`,

  /** A refused form that is no longer offered (the entity moved on meanwhile). */
  formMessage: `{{#if formMessage}}<p class="form-error" role="alert">{{formMessage}}</p>{{/if}}`,

  milestones: `<section aria-labelledby="milestones"><h2 id="milestones">{{t "common.milestones"}}</h2>
{{#if milestones.length}}<ul class="items">{{#each milestones}}<li>{{title}}{{#if due}} <span class="muted">{{t "common.due" date=(date due)}}</span>{{/if}}{{#if achieved}} <span class="tag ok">{{t "common.achieved"}}</span>{{/if}}{{> itemForms}}</li>{{/each}}</ul>{{else}}<p class="muted">{{t "common.none"}}</p>{{/if}}
</section>`,

  pager: `{{#if next}}<p class="pager"><a href="{{next}}" rel="next">{{t "common.next"}}</a></p>{{/if}}`,
};
