// The report's one style sheet and one script, inline in the page. The script only sorts the
// trial table on a click: everything the page shows is already in the HTML, so the page
// reads the same with scripts off. The Content-Security-Policy allows this script by its
// hash and nothing else: no network, no other script, even if some text escaped escaping.
import { createHash } from 'node:crypto';

export const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--some:#bf8700;--err:#8250df;--fg:#1f2328;--mute:#656d76;--line:#d0d7de}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line)}
.headline{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.stat{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:90px}
.stat b{display:block;font-size:20px}.stat span{color:var(--mute);font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:var(--fg)}.axis{stroke:var(--mute)}
rect.ok,circle.ok{fill:var(--ok)}rect.bad,circle.bad{fill:var(--bad)}rect.some{fill:var(--some)}circle.err{fill:var(--err)}
.p0{fill:#8c959f}.p1{fill:#54aeff}.p2{fill:#0969da}.p3{fill:#bf8700}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}#trials th{cursor:pointer;user-select:none}#trials th[aria-sort=ascending]::after{content:" (up)"}#trials th[aria-sort=descending]::after{content:" (down)"}
tr.gating td{background:#fdecea}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}#trials td:first-child{min-width:140px}
.completed,.solved{color:var(--ok)}.error{color:var(--err)}.cancelled{color:var(--mute)}.unsolved{color:var(--bad)}
tr.failed td:nth-child(2){color:var(--bad)}tr.passed td:nth-child(2){color:var(--ok)}
details.trial{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px 10px}
details.trial>summary{cursor:pointer;font-weight:600}
ol.transcript{list-style:none;padding:0;margin:8px 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
ol.transcript li{white-space:pre-wrap;word-break:break-word;padding:1px 6px;border-left:3px solid transparent}
li.message{border-color:#0969da;background:#ddf4ff;font-family:system-ui,sans-serif}
li.tool_call{border-color:#8250df;background:#fbefff}li.tool_result{border-color:#8c959f;color:#424a53}
li.tool_result.failed,li.error{border-color:var(--bad);background:#ffebe9}
li.timeout{border-color:var(--some);background:#fff8c5}li.phase{font-weight:600;margin-top:6px}
li.note{color:var(--mute)}li.cut{color:var(--some);font-style:italic}li.output{color:#24292f}
.kind{color:var(--mute);margin-right:6px;font-size:10px;text-transform:uppercase}footer{color:var(--mute);margin:32px 0 8px;font-size:12px}
`;

export const SCRIPT = `(function(){
var table=document.getElementById("trials");if(!table||!table.tBodies[0])return;
var heads=table.tHead.rows[0].cells;
function key(row,i){var c=row.cells[i];var v=c.getAttribute("data-v");if(v!==null&&v!==""&&!isNaN(+v))return +v;return (c.textContent||"").toLowerCase();}
function sortBy(i){var body=table.tBodies[0];var asc=heads[i].getAttribute("aria-sort")!=="ascending";
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a,i),y=key(b,i);if(typeof x!==typeof y){x=String(x);y=String(y);}return (x<y?-1:x>y?1:0)*(asc?1:-1);});
for(var j=0;j<heads.length;j++)heads[j].removeAttribute("aria-sort");
heads[i].setAttribute("aria-sort",asc?"ascending":"descending");
rows.forEach(function(r){body.appendChild(r);});}
Array.prototype.forEach.call(heads,function(th,i){th.addEventListener("click",function(){sortBy(i);});});
function openTarget(){var t=location.hash&&document.getElementById(location.hash.slice(1));if(t&&t.tagName==="DETAILS")t.open=true;}
window.addEventListener("hashchange",openTarget);openTarget();
})();`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** Nothing may load: no fetch, frame, font, or image but data: URIs; only this script runs. */
export const CSP = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`;
