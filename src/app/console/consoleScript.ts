// The console's one script, served from /admin/console.js: the Content-Security-Policy lets no inline script or event
// handler run, so what pages do with scripts on (confirm a destructive button, follow a running job) lives here.
import type { Hono } from 'hono';
import type { ConsoleEnv } from './session.ts';

/** How often a page following an unfinished job asks for its figures. */
export const JOB_POLL_MS = 1000;

/**
 * A form with `data-confirm` asks before it is sent. An element with `data-jobs` (the jobs' JSON) and `data-page` makes
 * the page poll it while a job is unfinished and refill each row's figures and bar in place; a job that ends loses its
 * cancel button; a job the page does not show yet (started elsewhere) reloads the page.
 */
export const CONSOLE_SCRIPT = `(function(){
document.addEventListener('submit',function(e){
  var form=e.target,question=form&&form.getAttribute&&form.getAttribute('data-confirm');
  if(question&&!confirm(question))e.preventDefault();
});
var follower=document.querySelector('[data-jobs]');
if(!follower)return;
var source=follower.getAttribute('data-jobs'),page=follower.getAttribute('data-page');
function fill(row,job){
  Object.keys(job.fields).forEach(function(k){var el=row.querySelector('[data-field="'+k+'"]');if(el)el.textContent=job.fields[k];});
  var bar=row.querySelector('progress');
  if(bar){if(job.bar){bar.max=job.bar.max;bar.value=job.bar.value;}else{bar.removeAttribute('value');}}
  row.setAttribute('data-state',job.state);
  if(!job.unfinished){var cancel=row.querySelector('[data-cancel]');if(cancel)cancel.remove();}
}
function tick(){
  fetch(source,{credentials:'same-origin',headers:{accept:'application/json'}}).then(function(r){if(!r.ok)throw new Error(String(r.status));return r.json();}).then(function(data){
    var open=false,missing=false;
    data.jobs.forEach(function(job){
      var row=document.querySelector('[data-job="'+job.id+'"]');
      if(!row){if(job.unfinished)missing=true;return;}
      fill(row,job);if(job.unfinished)open=true;
    });
    if(missing)location.replace(page);else if(open)setTimeout(tick,${JOB_POLL_MS});
  }).catch(function(){setTimeout(tick,${5 * JOB_POLL_MS});});
}
setTimeout(tick,${JOB_POLL_MS});
})();`;

/** GET /admin/console.js: the same for everyone, logged in or not (it holds no data). */
export function consoleScriptRoute(r: Hono<ConsoleEnv>): void {
  r.get('/console.js', (c) => c.body(CONSOLE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
}
